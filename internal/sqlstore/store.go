package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// Dialect is what differs between the database engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Dollar rewrites "?" placeholders to "$1", "$2", ...
	Dollar bool
	// Serialize, when not empty, is run first in every write transaction
	// to order writers across connections and processes.
	Serialize string
	// FormatError turns driver errors into arv errors (a unique-constraint
	// failure into ECONFLICT); nil leaves them alone.
	FormatError func(error) error
	// Notify, when set, is called in every write transaction with each
	// event, to reach other instances after commit. The store then leaves
	// publishing to whoever listens (the postgres adapter) instead of
	// publishing after commit itself, so every instance sees one order.
	Notify func(ctx context.Context, tx *sql.Tx, e arv.Event) error
}

// Store implements arv.Services.
type Store struct {
	// Write runs write transactions; Read serves reads (may be Write).
	Write, Read *sql.DB
	Dialect     Dialect
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// Events receives every change after commit (unless Dialect.Notify
	// is set). May be nil.
	Events arv.EventService
	// Router gives road travel times for dispatch and resolves place
	// names. May be nil: recommendations then have no ETA.
	Router arv.Router
	// Classify says whether a position is "urban" or "rural". Default:
	// everything rural.
	Classify func(geo.Point) string
	// UrbanTarget and RuralTarget are the response-time targets in
	// minutes (scenario targets).
	UrbanTarget, RuralTarget float64
	// Force complement per shift. Default: 1 ARV of 2 officers.
	MinComplement arv.Complement
	// RatifyWithin is the time the strategic commander has to ratify.
	// Default: arv.DefaultRatifyWithin.
	RatifyWithin time.Duration
	// Authorisers are the command tickets that may authorise armed
	// deployment (command.go). Default: arv.DefaultAuthorisers.
	Authorisers []arv.Accreditation
	// IOPCReferWithin is how long after a discharge causing death or
	// serious injury the IOPC referral is expected by. Default:
	// arv.DefaultIOPCReferWithin.
	IOPCReferWithin time.Duration
	// SignOffRoles are the roles that may sign a deployment log off.
	// Default: arv.DefaultSignOffRoles.
	SignOffRoles []arv.Role
	// Logger for background work. Default: slog.Default().
	Logger *slog.Logger
	// PasswordCost sets the argon2id parameters; zero: DefaultPasswordCost.
	PasswordCost PasswordCost
	// SubmitUnfinishedYear lets an annual return be submitted before its
	// financial year has ended (submission.go). Default false.
	SubmitUnfinishedYear bool
	// LateEntryAfter is how long before the record's creation a call time
	// may be without a late-entry reason. Default: arv.DefaultLateEntryAfter.
	LateEntryAfter time.Duration

	rebound sync.Map // query string -> rebound query

	// version counts committed changes (and notified ones from other
	// instances); caches compare it.
	version    atomic.Uint64
	fleetMu    sync.Mutex
	fleetCache *fleetCache
	// alertsCache is guarded by fleetMu too.
	alertsCache *alertsCache
}

var _ arv.Services = (*Store)(nil)

// New returns a store over the databases with defaults filled in.
func New(write, read *sql.DB, d Dialect) *Store {
	return &Store{
		Write:         write,
		Read:          read,
		Dialect:       d,
		Now:           time.Now,
		MinComplement: arv.Complement{ARVs: 1, OfficersPerARV: 2},
		RatifyWithin:  arv.DefaultRatifyWithin,
		Logger:        slog.Default(),
	}
}

// Close closes both databases.
func (s *Store) Close() error {
	err := s.Write.Close()
	if s.Read != s.Write {
		err = errors.Join(err, s.Read.Close())
	}
	return err
}

func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// q rebinds a query for the dialect.
func (s *Store) q(query string) string {
	if !s.Dialect.Dollar {
		return query
	}
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	out := b.String()
	s.rebound.Store(query, out)
	return out
}

func (s *Store) formatError(err error) error {
	if err == nil {
		return nil
	}
	var e *arv.Error
	if errors.As(err, &e) {
		return err
	}
	if s.Dialect.FormatError != nil {
		return s.Dialect.FormatError(err)
	}
	return err
}

// query runs a read query.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.Read.QueryContext(ctx, s.q(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.Read.QueryRowContext(ctx, s.q(query), args...)
}

// querier is what reads need: the read pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx is a write transaction: the time is fixed once, changes are
// audited, events are collected and published after commit.
type tx struct {
	s      *Store
	sqltx  *sql.Tx
	ctx    context.Context
	now    time.Time
	user   *arv.User
	events []arv.Event
}

// write runs fn in a write transaction for user, appending audit rows as
// fn records them, and commits.
func (s *Store) write(ctx context.Context, user *arv.User, fn func(t *tx) error) error {
	sqltx, err := s.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer sqltx.Rollback()
	t := &tx{s: s, sqltx: sqltx, ctx: ctx, now: s.now(), user: user}
	if s.Dialect.Serialize != "" {
		if _, err := sqltx.ExecContext(ctx, s.Dialect.Serialize); err != nil {
			return fmt.Errorf("sqlstore: serialise writers: %w", err)
		}
	}
	if err := fn(t); err != nil {
		return s.formatError(err)
	}
	if s.Dialect.Notify != nil {
		for _, e := range t.events {
			if err := s.Dialect.Notify(ctx, sqltx, e); err != nil {
				return fmt.Errorf("sqlstore: notify: %w", err)
			}
		}
	}
	err = sqltx.Commit()
	// Even a failed commit may have reached the database; let caches
	// reread.
	s.version.Add(1)
	if err != nil {
		return s.formatError(fmt.Errorf("sqlstore: commit: %w", err))
	}
	if s.Dialect.Notify == nil && s.Events != nil {
		for _, e := range t.events {
			s.Events.Publish(e)
		}
	}
	return nil
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.sqltx.ExecContext(t.ctx, t.s.q(query), args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.sqltx.QueryContext(ctx, t.s.q(query), args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.sqltx.QueryRowContext(ctx, t.s.q(query), args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (t *tx) insert(query string, args ...any) (int64, error) {
	var id int64
	err := t.sqltx.QueryRowContext(t.ctx, t.s.q(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// readQ is the store's read pool as a querier with rebinding.
type readQ struct{ s *Store }

func (r readQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.s.Read.QueryContext(ctx, r.s.q(query), args...)
}

func (r readQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.s.Read.QueryRowContext(ctx, r.s.q(query), args...)
}

// audit appends an entry to the chain and queues the event.
func (t *tx) audit(action, entity string, before, after any) error {
	b, err := marshalNull(before)
	if err != nil {
		return err
	}
	a, err := marshalNull(after)
	if err != nil {
		return err
	}
	var head arv.AuditHead
	if err := t.QueryRowContext(t.ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&head.Seq, &head.Hash); err != nil {
		return fmt.Errorf("sqlstore: read audit head: %w", err)
	}
	actor := "system"
	if t.user != nil {
		actor = t.user.Username
	}
	e := arv.AuditEntry{Seq: head.Seq + 1, At: t.now, Actor: actor, Action: action, Entity: entity, Before: b, After: a, PrevHash: head.Hash}
	e.Hash = e.ComputeHash()
	if _, err := t.exec(`INSERT INTO audit (seq, at, actor, action, entity, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.Actor, e.Action, e.Entity, string(e.Before), string(e.After), e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("sqlstore: append audit: %w", err)
	}
	if _, err := t.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("sqlstore: update audit head: %w", err)
	}
	t.events = append(t.events, arv.Event{Kind: action, Entity: entity, At: t.now, Data: a})
	return nil
}

func marshalNull(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("null"), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encode audit value: %w", err)
	}
	return b, nil
}

// ts formats a time for storage.
func ts(t time.Time) string { return t.UTC().Format(arv.AuditTimeFormat) }

// parseTS reads a stored time.
func parseTS(s string) (time.Time, error) {
	t, err := time.Parse(arv.AuditTimeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlstore: bad stored time %q: %w", s, err)
	}
	return t, nil
}

// nullTS reads an optional stored time.
func nullTS(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := parseTS(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// finite returns v, or nil (NULL) for an infinite or NaN value.
func finite(v float64) any {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return v
}

// Migrate applies the *.sql files of fsys in name order, each in its own
// transaction, recording them in the migrations table; applied ones are
// skipped.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: create migrations table: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	s := &Store{Dialect: d}
	for _, name := range names {
		if err := migrateOne(ctx, db, s, fsys, name); err != nil {
			return err
		}
	}
	return nil
}

func migrateOne(ctx context.Context, db *sql.DB, s *Store, fsys fs.FS, name string) error {
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if s.Dialect.Serialize != "" {
		if _, err := t.ExecContext(ctx, s.Dialect.Serialize); err != nil {
			return err
		}
	}
	var n int
	if err := t.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM migrations WHERE name = ?`), name).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", name, err)
	}
	if _, err := t.ExecContext(ctx, s.q(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`), name, ts(time.Now())); err != nil {
		return err
	}
	return t.Commit()
}

// notFound returns an ENOTFOUND error for a missing row.
func notFound(what string, id int64) error {
	return arv.Errorf(arv.ENOTFOUND, "%s %d not found.", what, id)
}

// eachIn runs query, whose "IN (?)" takes ids, on chunks of at most 500
// ids (below every engine's limit on parameters), and calls scan on every
// row.
func eachIn(ctx context.Context, q querier, query string, ids []int64, scan func(*sql.Rows) error) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for k, id := range chunk {
			args[k] = id
		}
		rows, err := q.QueryContext(ctx, strings.Replace(query, "IN (?)", "IN (?"+strings.Repeat(", ?", len(chunk)-1)+")", 1), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// pointOf builds a point from stored coordinates.
func pointOf(lat, lon float64) geo.Point { return geo.Point{Lat: lat, Lon: lon} }
