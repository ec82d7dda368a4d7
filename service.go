package arv

import (
	"context"
	"time"
)

// The service interfaces of the operations server. One implementation
// serves them all over database/sql (internal/sqlstore), opened by the
// sqlite and postgres adapters; the http package serves them as a JSON
// API. Every method takes the signed-in user from ctx and checks the
// permission table (Authorize) before anything else: EUNAUTHORIZED
// without a user, EFORBIDDEN when the role may not. Every change appends
// to the audit log in the same transaction and is acknowledged only once
// committed.

// UserService manages users and sign-in.
type UserService interface {
	// CreateUser adds a user (ActionManageUsers). ECONFLICT if the
	// username is taken.
	CreateUser(ctx context.Context, u NewUser) (*User, error)
	// FindUsers lists users (ActionManageUsers).
	FindUsers(ctx context.Context) ([]*User, error)
	// Authenticate checks a username and password and returns the user;
	// EUNAUTHORIZED for any mismatch, without saying which. Needs no user
	// in ctx.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// CreateSession starts a session for the user and returns its secret
	// token and CSRF token; only a hash of the session token is stored.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token, csrf string, err error)
	// FindSession returns the user and CSRF token of a live session;
	// EUNAUTHORIZED when unknown or expired.
	FindSession(ctx context.Context, token string) (*User, string, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, token string) error
	// SetPassword replaces the password of the user with username and
	// ends their sessions (ActionManageUsers). EINVALID when the
	// password is shorter than MinPasswordLength or longer than 256
	// characters; ENOTFOUND when no user has that username.
	SetPassword(ctx context.Context, username, password string) error
}

// OfficerService manages officers and their accreditations.
type OfficerService interface {
	// CreateOfficer adds an officer (ActionManageOfficers); ECONFLICT on a
	// duplicate collar number.
	CreateOfficer(ctx context.Context, o NewOfficer) (*Officer, error)
	// FindOfficerByID returns an officer with accreditations and fitness
	// (ActionViewOfficers); ENOTFOUND.
	FindOfficerByID(ctx context.Context, id int64) (*Officer, error)
	// FindOfficers lists every officer (ActionViewOfficers).
	FindOfficers(ctx context.Context) ([]*Officer, error)
	// AddAccreditation records an accreditation (ActionManageOfficers).
	AddAccreditation(ctx context.Context, officerID int64, a NewAccreditation) (*Officer, error)
	// RevokeAccreditation withdraws a ticket before expiry
	// (ActionManageOfficers).
	RevokeAccreditation(ctx context.Context, officerID, accreditationID int64) (*Officer, error)
	// AddFitnessTest records a fitness test or requalification
	// (ActionManageOfficers).
	AddFitnessTest(ctx context.Context, officerID int64, f FitnessTest) (*Officer, error)
	// Reminders lists accreditations and fitness tests due within 30 days
	// or lapsed in the last 30 (ActionViewOfficers).
	Reminders(ctx context.Context) ([]Reminder, error)
}

// UnitService manages ARVs.
type UnitService interface {
	// CreateUnit adds an ARV (ActionManageUnits).
	CreateUnit(ctx context.Context, u NewUnit) (*Unit, error)
	// FindUnits lists ARVs with their crews now (ActionViewOperations).
	FindUnits(ctx context.Context) ([]*Unit, error)
	// FindUnitByID returns one ARV (ActionViewOperations).
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	// ReportStatus records a unit's status and position
	// (ActionReportUnit). Reporting on_scene records the arrival at its
	// incident; available or mobile releases it from the incident.
	ReportStatus(ctx context.Context, id int64, r StatusReport) (*Unit, error)
}

// RosterService manages shifts and crews.
type RosterService interface {
	// AddShift adds a shift (ActionManageRoster).
	AddShift(ctx context.Context, s NewShift) (*RosterShift, error)
	// FindRoster returns the shifts overlapping [from, to) with crews
	// (ActionViewOfficers).
	FindRoster(ctx context.Context, from, to time.Time) ([]*RosterShift, error)
	// AssignCrew rosters an officer on a unit for a shift
	// (ActionManageRoster); EINVALID naming the accreditation and its
	// expiry when the officer's tickets do not cover the whole shift;
	// ECONFLICT when already rostered on that shift.
	AssignCrew(ctx context.Context, shiftID int64, a RosterAssignment) (*RosterShift, error)
	// UnassignCrew removes an officer from a shift (ActionManageRoster);
	// reason is needed when the shift has already ended (timebounds.go).
	UnassignCrew(ctx context.Context, shiftID, officerID int64, reason string) (*RosterShift, error)
	// Complement returns the force's minimum complement.
	Complement() Complement
	// Gaps lists shifts overlapping [from, to) below the minimum
	// complement (ActionViewOfficers).
	Gaps(ctx context.Context, from, to time.Time) ([]Gap, error)
}

// IncidentService records incidents and the authorisation record.
type IncidentService interface {
	// CreateIncident records a call (ActionRecordIncident).
	CreateIncident(ctx context.Context, n NewIncident) (*Incident, error)
	// FindIncidentByID returns an incident with its decisions and
	// assignments (ActionViewOperations).
	FindIncidentByID(ctx context.Context, id int64) (*Incident, error)
	// FindIncidents lists incidents, newest first (ActionViewOperations).
	FindIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, error)
	// Decide records a commander's decision, yes or no (ActionDecide).
	// An authorisation notifies the strategic commander, who must ratify
	// within the configured time.
	Decide(ctx context.Context, id int64, d DecisionRequest) (*Incident, error)
	// Ratify records the strategic commander's ratification or rescission
	// (ActionRatify); rescinding stands the ARVs down.
	Ratify(ctx context.Context, id int64, r RatificationRequest) (*Incident, error)
	// SelfDeploy records an armed crew's self-deployment: a new incident,
	// assigned to the unit, awaiting retrospective authorisation
	// (ActionSelfDeploy).
	SelfDeploy(ctx context.Context, s SelfDeployment) (*Incident, error)
	// Recommend ranks every ARV by road travel time to the incident and
	// marks which may be assigned (ActionDispatch).
	Recommend(ctx context.Context, id int64) ([]Recommendation, error)
	// Assign sends a unit (ActionDispatch): the incident must be
	// authorised, the unit free and its crew deployable. Reassigning a
	// unit from another incident is refused; release it first.
	Assign(ctx context.Context, id, unitID int64) (*Incident, error)
	// Release takes one unit off the incident (ActionDispatch).
	Release(ctx context.Context, id, unitID int64, reason string) (*Incident, error)
	// StandDown stands every assigned unit down and closes the incident
	// for armed policing (ActionDispatch).
	StandDown(ctx context.Context, id int64, s StandDown) (*Incident, error)
}

// PatrolService manages key-site patrol plans.
type PatrolService interface {
	// CreatePatrolPlan adds a plan (ActionManageUnits).
	CreatePatrolPlan(ctx context.Context, p NewPatrolPlan) (*PatrolPlan, error)
	// FindPatrolPlans lists plans with their last check-in
	// (ActionViewOperations).
	FindPatrolPlans(ctx context.Context) ([]*PatrolPlan, error)
	// CheckIn records an armed patrol's check-in (ActionCheckIn).
	CheckIn(ctx context.Context, planID, unitID int64) (*PatrolPlan, error)
}

// AlertService derives alerts from the state now.
type AlertService interface {
	// Alerts lists the alerts standing now (ActionViewOperations).
	Alerts(ctx context.Context) ([]Alert, error)
}

// AuditService reads and verifies the audit log.
type AuditService interface {
	// FindAudit lists entries in sequence order (ActionViewAudit).
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// VerifyAudit recomputes the whole chain (ActionViewAudit).
	VerifyAudit(ctx context.Context) (*AuditReport, error)
}

// ReturnService produces statistics returns.
type ReturnService interface {
	// AnnualReturn gives the Home Office return for the financial year
	// starting 1 April of startYear (ActionViewReturns).
	AnnualReturn(ctx context.Context, startYear int) (*AnnualReturn, error)
	// ResponseReport gives P50/P90 response by urban/rural for a month,
	// "2026-11" (ActionViewReturns).
	ResponseReport(ctx context.Context, month string) (*ResponseReport, error)
}

// Services bundles every service, as the http package serves them.
type Services interface {
	UserService
	OfficerService
	UnitService
	RosterService
	IncidentService
	CommandService
	PatrolService
	AlertService
	AuditService
	ReturnService
	PlanReportService
	AfterDischargeService
	DutyService
	ReturnSubmissionService
	HistoryService
}
