package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/arv-project/arv"
)

func planReportEntity(id int64) string { return fmt.Sprintf("plan_report/%d", id) }

// maxPlanReportList bounds FindPlanReports.
const maxPlanReportList = 1000

// CreatePlanReport implements arv.PlanReportService. The audit row holds
// the report's metadata and SHA-256, not the report itself.
func (s *Store) CreatePlanReport(ctx context.Context, n arv.NewPlanReport) (*arv.PlanReport, error) {
	actor, err := arv.Authorize(ctx, arv.ActionViewPlanning)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var r *arv.PlanReport
	err = s.write(ctx, actor, func(t *tx) error {
		r = &arv.PlanReport{Scenario: n.Scenario, CreatedAt: t.now, CreatedBy: actor.Username, SHA256: arv.Digest(n.HTML), Size: len(n.HTML)}
		id, err := t.insert(`INSERT INTO plan_reports (scenario, created_at, created_by, sha256, size, html) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Scenario, ts(r.CreatedAt), r.CreatedBy, r.SHA256, r.Size, n.HTML)
		if err != nil {
			return err
		}
		r.ID = id
		return t.audit("plan_report.create", planReportEntity(id), nil, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// FindPlanReports implements arv.PlanReportService.
func (s *Store) FindPlanReports(ctx context.Context, limit int) ([]*arv.PlanReport, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewPlanning); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > maxPlanReportList {
		limit = maxPlanReportList
	}
	rows, err := s.query(ctx, `SELECT id, scenario, created_at, created_by, sha256, size FROM plan_reports ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*arv.PlanReport{}
	for rows.Next() {
		var r arv.PlanReport
		var at string
		if err := rows.Scan(&r.ID, &r.Scenario, &at, &r.CreatedBy, &r.SHA256, &r.Size); err != nil {
			return nil, err
		}
		if r.CreatedAt, err = parseTS(at); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// FindPlanReportByID implements arv.PlanReportService.
func (s *Store) FindPlanReportByID(ctx context.Context, id int64) (*arv.PlanReport, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewPlanning); err != nil {
		return nil, err
	}
	var r arv.PlanReport
	var at string
	err := s.queryRow(ctx, `SELECT id, scenario, created_at, created_by, sha256, size, html FROM plan_reports WHERE id = ?`, id).
		Scan(&r.ID, &r.Scenario, &at, &r.CreatedBy, &r.SHA256, &r.Size, &r.HTML)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Plan report", id)
	}
	if err != nil {
		return nil, err
	}
	if r.CreatedAt, err = parseTS(at); err != nil {
		return nil, err
	}
	return &r, nil
}
