package arv

import "time"

// AlertKind is what an alert is about.
type AlertKind string

// Alert kinds.
const (
	AlertRatificationOverdue AlertKind = "ratification_overdue"        // SFC has not ratified or rescinded in time
	AlertRetrospective       AlertKind = "retrospective_authorisation" // self-deployment awaiting authorisation
	AlertComplement          AlertKind = "below_minimum_complement"
	AlertAccreditation       AlertKind = "accreditation_expiring"
	AlertCheckInMissed       AlertKind = "patrol_check_in_missed"
	AlertTargetBreach        AlertKind = "response_target_breached"
	AlertIOPCReferral        AlertKind = "iopc_referral_outstanding" // death or serious injury after a discharge, no IOPC referral yet
)

// Alert is something a commander or planner must act on. Alerts are
// derived from the state at a time, so they appear and clear by
// themselves.
type Alert struct {
	Kind AlertKind `json:"kind"`
	// Severity is "urgent" (act now) or "warning".
	Severity string `json:"severity"`
	// Entity is what it concerns ("incident/12", "shift/40").
	Entity string `json:"entity"`
	// Since is when the condition arose.
	Since   time.Time `json:"since"`
	Message string    `json:"message"`
}

// DefaultRatifyWithin is how long the strategic firearms commander has to
// ratify or rescind (issue 6 default).
const DefaultRatifyWithin = 15 * time.Minute

// RosterHorizon is how far ahead rosters are checked for gaps (issue 6:
// "a view of the next 28 days").
const RosterHorizon = 28 * 24 * time.Hour

// AnnualReturn is a force's figures for the Home Office "Police use of
// firearms statistics" (facts §1.5, §3): operations counted one per
// incident including self-authorised ones, ARV operations where the
// initial or sole response was an ARV, and officers counted at 31 March
// with those operationally deployable. The year runs from 1 April 00:00
// London time (FinancialYearStart). Definitions:
// https://www.gov.uk/government/statistics/police-use-of-firearms-statistics-april-2023-to-march-2024/police-use-of-firearms-statistics-england-and-wales-april-2023-to-march-2024
// and the Home Office's notes for guidance quoted in Hansard, 5 March
// 2010 (one operation per incident, self-authorised ones included, ARV
// operations where "the initial or sole response is by armed response
// vehicle"):
// https://publications.parliament.uk/pa/cm200910/cmhansrd/cm100305/wmstext/100305m0004.htm
// Incidents the demo generator made never count.
type AnnualReturn struct {
	// Year is the financial year, "2025/26" for 1 April 2025 to 31 March
	// 2026.
	Year string    `json:"year"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// FirearmsOperations counts incidents with an authorised or
	// self-authorised armed deployment.
	FirearmsOperations int `json:"firearms_operations"`
	// ARVOperations counts those whose first response was an ARV.
	ARVOperations int `json:"arv_operations"`
	// SelfDeployments counts self-authorised operations.
	SelfDeployments int `json:"self_deployments"`
	// AuthorisedFirearmsOfficers holds a valid AFO authorisation on 31
	// March (London time); OperationallyDeployable counts those of them
	// available for duty that day, not sick, on restricted duties or
	// suspended (duty.go). Taser is not part of this return.
	AuthorisedFirearmsOfficers int `json:"authorised_firearms_officers"`
	// IncidentsDischargedAtPersons counts incidents with at least one
	// conventional firearm (not less lethal) intentionally discharged at
	// a person: the Home Office's "incidents in which police firearms
	// were intentionally discharged (fired) at persons" (discharge.go).
	IncidentsDischargedAtPersons int `json:"incidents_firearms_discharged_at_persons"`
	OperationallyDeployable      int `json:"operationally_deployable_officers"`
	// CountedOn is the day officers were counted.
	CountedOn Date `json:"counted_on"`

	// Submitted is the latest submission of the year's return, if any:
	// the figures above are then the submitted ones, frozen, and
	// Amendments lists each figure that today's records would give
	// differently (submission.go).
	Submitted  *ReturnSubmission `json:"submitted,omitempty"`
	Amendments []ReturnAmendment `json:"amendments,omitempty"`
}

// ResponseRow is one class of a monthly response-time report.
type ResponseRow struct {
	Class string `json:"class"`
	// Incidents counts armed deployments in the month; Arrived those with
	// an arrival.
	Incidents int `json:"incidents"`
	Arrived   int `json:"arrived"`
	// P50 and P90 are minutes from call to first arrival (nearest-rank
	// percentiles); zero when nobody arrived.
	P50 float64 `json:"p50_minutes"`
	P90 float64 `json:"p90_minutes"`
	// WithinTarget is the share of arrivals within the target.
	WithinTarget  float64 `json:"within_target"`
	TargetMinutes float64 `json:"target_minutes"`
}

// ResponseReport is the monthly response-time report.
type ResponseReport struct {
	// Month is "2026-11".
	Month string        `json:"month"`
	Rows  []ResponseRow `json:"rows"`
}
