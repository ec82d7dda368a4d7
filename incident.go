package arv

import (
	"slices"
	"time"

	"github.com/arv-project/arv/geo"
)

// IncidentStatus is where an incident stands.
type IncidentStatus string

// Incident statuses.
const (
	IncidentAwaitingDecision IncidentStatus = "awaiting_decision" // recorded, no decision yet
	IncidentNotAuthorised    IncidentStatus = "not_authorised"    // commander declined armed deployment
	IncidentAuthorised       IncidentStatus = "authorised"        // armed deployment authorised
	IncidentStoodDown        IncidentStatus = "stood_down"        // ARVs stood down, incident closed for armed policing
)

// Limb is the "reason to suppose" ground for authorising armed deployment
// (APP, facts §1.2).
type Limb string

// The grounds.
const (
	LimbWeapon      Limb = "weapon_access"           // in possession of, or immediate access to, a firearm or other weapon
	LimbDangerous   Limb = "otherwise_dangerous"     // otherwise so dangerous that a firearm may be necessary
	LimbContingency Limb = "operational_contingency" // operational contingency
	LimbAnimal      Limb = "animal"                  // to destroy an animal
)

// Limbs lists every ground.
var Limbs = []Limb{LimbWeapon, LimbDangerous, LimbContingency, LimbAnimal}

// Incident is a call that may need an armed response.
type Incident struct {
	ID int64 `json:"id"`
	// CallAt is when the call was received.
	CallAt   time.Time `json:"call_at"`
	Location geo.Point `json:"location"`
	// Address is the caller's description of the place.
	Address     string     `json:"address,omitempty"`
	Description string     `json:"description"`
	Indicators  Indicators `json:"indicators"`
	// Class is "urban" or "rural", from the force's settlements; it sets
	// the response-time target.
	Class string `json:"class"`
	// TargetMinutes is the response-time target for Class.
	TargetMinutes float64        `json:"target_minutes"`
	Status        IncidentStatus `json:"status"`
	RecordedBy    string         `json:"recorded_by"`

	// DecisionAt is the time of the first recorded decision and
	// AuthorisedAt of the first authorisation.
	DecisionAt   *time.Time `json:"decision_at,omitempty"`
	AuthorisedAt *time.Time `json:"authorised_at,omitempty"`
	// RatifyDue is when the strategic firearms commander must have
	// ratified or rescinded; RatifiedAt when they ratified.
	RatifyDue  *time.Time `json:"ratify_due,omitempty"`
	RatifiedAt *time.Time `json:"ratified_at,omitempty"`
	// SelfDeployed is set when an armed crew deployed on its own
	// authority; retrospective authorisation is then required.
	SelfDeployed bool `json:"self_deployed,omitempty"`
	// LateEntry is set when the call time was more than the late-entry
	// allowance before the record was created; LateReason says why
	// (timebounds.go).
	LateEntry  bool   `json:"late_entry,omitempty"`
	LateReason string `json:"late_reason,omitempty"`

	DispatchedAt *time.Time `json:"dispatched_at,omitempty"`
	ArrivedAt    *time.Time `json:"arrived_at,omitempty"`
	StoodDownAt  *time.Time `json:"stood_down_at,omitempty"`
	// StandDownReason says why it was stood down.
	StandDownReason string `json:"stand_down_reason,omitempty"`
	// Demo marks an incident the demo generator made: it never counts in
	// returns, reports or the planning export (arv.WithDemo).
	Demo bool `json:"demo,omitempty"`
	// PrePlanned marks a pre-planned firearms operation, for planning.
	PrePlanned bool `json:"pre_planned,omitempty"`

	Decisions   []Decision   `json:"decisions,omitempty"`
	Assignments []Assignment `json:"assignments,omitempty"`
	// Command is who is in command, the tactical advice and the working
	// strategy (command.go); nil in lists.
	Command *CommandLog `json:"command_log,omitempty"`

	// AfterDischarge holds discharges, the post-incident procedure,
	// debriefs, sign-off and amendments (discharge.go).
	AfterDischarge
}

// Indicators are what the caller reports of weapons and threat.
type Indicators struct {
	FirearmSeen   bool `json:"firearm_seen,omitempty"`
	FirearmHeard  bool `json:"firearm_heard,omitempty"`
	BladedWeapon  bool `json:"bladed_weapon,omitempty"`
	OtherWeapon   bool `json:"other_weapon,omitempty"`
	ThreatsToKill bool `json:"threats_to_kill,omitempty"`
	Hostage       bool `json:"hostage,omitempty"`
	// Casualties is the number of people reported hurt.
	Casualties int `json:"casualties,omitempty"`
}

// ResponseMinutes returns the minutes from call to the first arrival, and
// false before anyone has arrived.
func (i *Incident) ResponseMinutes() (float64, bool) {
	if i.ArrivedAt == nil {
		return 0, false
	}
	return i.ArrivedAt.Sub(i.CallAt).Minutes(), true
}

// Breached reports whether the response-time target is breached at now:
// the first arrival came after the target, or no one has arrived within
// it while armed deployment stands.
func (i *Incident) Breached(now time.Time) bool {
	if i.TargetMinutes <= 0 || i.AuthorisedAt == nil && !i.SelfDeployed {
		return false
	}
	if m, ok := i.ResponseMinutes(); ok {
		return m > i.TargetMinutes
	}
	if i.Status == IncidentStoodDown {
		return false
	}
	return now.Sub(i.CallAt).Minutes() > i.TargetMinutes
}

// NewIncident is a call handler's record of a call.
type NewIncident struct {
	// CallAt is when the call came in; zero means now.
	CallAt time.Time `json:"call_at,omitzero"`
	// Location is where: either Position, or Place (a place name or
	// "LAT,LON" the road engine resolves).
	Position    *geo.Point `json:"position,omitempty"`
	Place       string     `json:"place,omitempty"`
	Address     string     `json:"address,omitempty"`
	Description string     `json:"description"`
	Indicators  Indicators `json:"indicators"`
	// PrePlanned records a pre-planned firearms operation.
	PrePlanned bool `json:"pre_planned,omitempty"`
	// LateReason is needed when CallAt is more than the late-entry
	// allowance (default an hour) before now (timebounds.go).
	LateReason string `json:"late_reason,omitempty"`
}

// Validate checks the record's own fields (the location is resolved by
// the service).
func (n *NewIncident) Validate() error {
	switch {
	case n.Position == nil && n.Place == "":
		return Errorf(EINVALID, "Give the incident's position (lat, lon) or a place name.")
	case n.Position != nil && n.Place != "":
		return Errorf(EINVALID, "Give either a position or a place name, not both.")
	case !validText(n.Description) || len(n.Description) > 4000:
		return Errorf(EINVALID, "Description must be 1 to 4000 characters, without control characters.")
	case n.Address != "" && !validName(n.Address, 500):
		return Errorf(EINVALID, "Address must be at most 500 characters, on one line.")
	case n.Place != "" && !validName(n.Place, 200):
		return Errorf(EINVALID, "Place must be at most 200 characters, on one line.")
	case n.Indicators.Casualties < 0 || n.Indicators.Casualties > 10000:
		return Errorf(EINVALID, "Casualties must be between 0 and 10000.")
	}
	if n.Position != nil {
		return CheckPoint(*n.Position)
	}
	return nil
}

// DecisionKind is what a recorded decision was.
type DecisionKind string

// Decision kinds.
const (
	DecisionAuthorisation DecisionKind = "authorisation" // (initial) tactical firearms commander's decision, yes or no
	DecisionRatify        DecisionKind = "ratify"        // strategic commander ratifies
	DecisionRescind       DecisionKind = "rescind"       // strategic commander rescinds: ARVs stand down
	DecisionSelfDeploy    DecisionKind = "self_deployment"
)

// Decision is one entry of the authorisation record. Every decision is
// kept, yes and no.
type Decision struct {
	ID   int64        `json:"id"`
	Kind DecisionKind `json:"kind"`
	At   time.Time    `json:"at"`
	// By is the username and Role the role of the decider.
	By   string `json:"by"`
	Role Role   `json:"role"`
	// Authorised is the answer for authorisation decisions.
	Authorised bool `json:"authorised"`
	// Retrospective marks an authorisation given after a self-deployment.
	Retrospective bool   `json:"retrospective,omitempty"`
	Limb          Limb   `json:"limb,omitempty"`
	NDM           NDM    `json:"ndm"`
	Tactics       string `json:"tactics,omitempty"`
	// Rationale is free text (always required for ratify and rescind).
	Rationale string `json:"rationale,omitempty"`
	// UnitID is the self-deploying unit.
	UnitID int64 `json:"unit_id,omitempty"`
	// OfficerID and Officer ("Insp Shah (4512)") are the decider's
	// officer, when their user is linked to one.
	OfficerID int64  `json:"officer_id,omitempty"`
	Officer   string `json:"officer,omitempty"`
}

// NDM is the National Decision Model rationale (facts §1.6).
type NDM struct {
	Information     string `json:"information"`
	Threat          string `json:"threat"`
	PowersAndPolicy string `json:"powers_and_policy"`
	Options         string `json:"options"`
	ActionAndReview string `json:"action_and_review"`
}

// DecisionRequest is a commander's authorisation decision.
type DecisionRequest struct {
	Authorised bool   `json:"authorised"`
	Limb       Limb   `json:"limb,omitempty"`
	NDM        NDM    `json:"ndm"`
	Tactics    string `json:"tactics,omitempty"`
	Rationale  string `json:"rationale,omitempty"`
}

// maxText bounds free-text fields.
const maxText = 8000

// Validate checks a decision: an authorisation needs its ground, and
// every decision needs the NDM headings that record why.
func (d *DecisionRequest) Validate() error {
	if d.Authorised && !slices.Contains(Limbs, d.Limb) {
		return Errorf(EINVALID, "An authorisation needs its reason-to-suppose ground: weapon_access, otherwise_dangerous, operational_contingency or animal.")
	}
	if !d.Authorised && d.Limb != "" && !slices.Contains(Limbs, d.Limb) {
		return Errorf(EINVALID, "Ground %q is not one of weapon_access, otherwise_dangerous, operational_contingency, animal.", d.Limb)
	}
	for _, f := range []struct{ name, v string }{
		{"information", d.NDM.Information}, {"threat assessment", d.NDM.Threat},
		{"powers and policy", d.NDM.PowersAndPolicy}, {"options", d.NDM.Options},
		{"action and review", d.NDM.ActionAndReview},
	} {
		if !validText(f.v) {
			return Errorf(EINVALID, "NDM %s must be recorded (1 to %d characters).", f.name, maxText)
		}
	}
	if d.Authorised && !validText(d.Tactics) {
		return Errorf(EINVALID, "An authorisation must record the tactics (1 to %d characters).", maxText)
	}
	for _, v := range []string{d.Tactics, d.Rationale} {
		if v != "" && !validText(v) {
			return Errorf(EINVALID, "Tactics and rationale are limited to %d characters, without control characters.", maxText)
		}
	}
	return nil
}

// validText reports whether s is non-blank and at most maxText bytes,
// with no control characters but newlines and tabs.
func validText(s string) bool {
	if len(s) > maxText {
		return false
	}
	blank := true
	for _, c := range s {
		switch {
		case c == '\n' || c == '\r' || c == '\t' || c == ' ':
		case c < 0x20 || c == 0x7f:
			return false
		default:
			blank = false
		}
	}
	return !blank
}

// RatificationRequest is the strategic firearms commander's answer.
type RatificationRequest struct {
	// Ratify is true to ratify, false to rescind.
	Ratify    bool   `json:"ratify"`
	Rationale string `json:"rationale"`
}

// Validate checks the rationale is given.
func (r *RatificationRequest) Validate() error {
	if !validText(r.Rationale) {
		return Errorf(EINVALID, "Record the rationale for ratifying or rescinding (1 to %d characters).", maxText)
	}
	return nil
}

// SelfDeployment is an armed crew's record of deploying on its own
// authority to an immediate threat to life (facts §1.5).
type SelfDeployment struct {
	UnitID      int64      `json:"unit_id"`
	Position    *geo.Point `json:"position,omitempty"`
	Place       string     `json:"place,omitempty"`
	Description string     `json:"description"`
	// Reason is why waiting for authority would have risked life.
	Reason string `json:"reason"`
}

// Validate checks a self-deployment record.
func (s *SelfDeployment) Validate() error {
	if s.UnitID <= 0 {
		return Errorf(EINVALID, "Say which ARV self-deployed (unit_id).")
	}
	n := NewIncident{Position: s.Position, Place: s.Place, Description: s.Description}
	if err := n.Validate(); err != nil {
		return err
	}
	if !validText(s.Reason) {
		return Errorf(EINVALID, "Record why waiting for authority would have risked life (1 to %d characters).", maxText)
	}
	return nil
}

// Assignment is an ARV's part in an incident.
type Assignment struct {
	ID         int64     `json:"id"`
	UnitID     int64     `json:"unit_id"`
	CallSign   string    `json:"call_sign"`
	AssignedAt time.Time `json:"assigned_at"`
	AssignedBy string    `json:"assigned_by"`
	// ETASeconds is the road travel time when assigned; +Inf (JSON null)
	// when the unit had no road route.
	ETASeconds float64    `json:"eta_seconds"`
	ArrivedAt  *time.Time `json:"arrived_at,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
	// ReleaseReason is why it was released (reassigned, stood down).
	ReleaseReason string `json:"release_reason,omitempty"`
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	// Open selects incidents not stood down or declined.
	Open bool
	// From and To bound the call time (To exclusive); zero: unbounded.
	From, To time.Time
	Limit    int
}

// MaxDecisions bounds the authorisations (first and revised) kept for
// one incident; ratification and rescission are always taken.
const MaxDecisions = 200

// StandDown is a commander's stand-down of an incident.
type StandDown struct {
	Reason string `json:"reason"`
}

// Validate checks the reason: 1 to 2000 characters, without control
// characters.
func (s *StandDown) Validate() error {
	if len(s.Reason) > 2000 || !validText(s.Reason) {
		return Errorf(EINVALID, "Record why the ARVs are stood down (1 to 2000 characters, without control characters).")
	}
	return nil
}
