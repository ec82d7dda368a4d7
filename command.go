package arv

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Who may decide, and the command log (issue 12).
//
// The rules follow College of Policing APP, armed policing: command,
// https://www.college.police.uk/app/armed-policing/command :
//   - the strategic firearms commander (SFC) "must authorise the
//     deployment of AFOs, or ratify or rescind the deployment where it has
//     already been approved by the tactical firearms commander"; in a
//     spontaneous incident the initial tactical firearms commander (ITFC,
//     a control-room inspector) takes command first. So the tickets that
//     may authorise are ITFC, TFC and SFC (a force may narrow this: the
//     setting Store.Authorisers, flag --authorisers), and only an SFC may
//     ratify or rescind.
//   - ratification is the SFC's review of another commander's
//     authorisation; APP gives the review to the SFC because the
//     authoriser cannot review themself. We refuse a ratification by the
//     user or officer who made an authorisation it would cover (our
//     reading of APP: it does not spell out the self-ratification case).
//   - the SFC "must set, review, communicate and update the strategy" and
//     "ensure that the strategy for the armed deployment is recorded,
//     including any changes to it": every strategy revision is kept.
//   - the command structure "must be clearly articulated ... and
//     documented": every taking of command is kept with whom it passed
//     from.
//   - tactical advice "should be independent": the adviser should be
//     independent of the command structure, so the officer in command
//     cannot be recorded as their own tactical adviser.

// CommandAccreditations are the command tickets, lowest first.
var CommandAccreditations = []Accreditation{AccITFC, AccTFC, AccSFC}

// DefaultAuthorisers are the tickets that may authorise armed deployment
// by default: any command ticket (APP command, see above).
var DefaultAuthorisers = []Accreditation{AccITFC, AccTFC, AccSFC}

// Ratifiers are the tickets that may ratify or rescind: the SFC's only.
var Ratifiers = []Accreditation{AccSFC}

// ParseAccreditations reads a comma-separated list of command tickets
// ("ITFC,TFC,SFC"), as the --authorisers flag takes it.
func ParseAccreditations(s string) ([]Accreditation, error) {
	var out []Accreditation
	for _, f := range strings.Split(s, ",") {
		a := Accreditation(strings.TrimSpace(f))
		if !slices.Contains(CommandAccreditations, a) {
			return nil, Errorf(EINVALID, "%q is not a command accreditation: give some of ITFC, TFC, SFC, separated by commas.", string(a))
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// orList writes kinds as "ITFC, TFC or SFC".
func orList(kinds []Accreditation) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// CheckCommander returns the ticket, one of kinds, that lets the officer
// o (the user's linked officer; nil when the user is not linked) do
// doing ("authorise", "ratify or rescind") at at; or an EFORBIDDEN error
// naming the ticket and what is wrong with it, or the officer's
// suspension that day. When o holds several, the
// one matching the user's role is preferred (an ITFC user with ITFC and
// TFC acts as ITFC). arv.SystemUser needs no ticket ("" and nil).
func CheckCommander(u *User, o *Officer, kinds []Accreditation, at time.Time, doing string) (Accreditation, error) {
	if u == SystemUser {
		return "", nil
	}
	if o == nil {
		return "", Errorf(EFORBIDDEN, "You cannot %s: your user is not linked to an officer, so your %s accreditation cannot be checked. Ask an administrator to link your user to your officer record.", doing, orList(kinds))
	}
	// A suspended officer's authorisation is withdrawn for the time
	// (duty.go, docs/operations.md "Duty status"), command tickets too.
	// Sick or restricted duties do not stop a commander (our choice: the
	// command role is not armed deployment).
	if st, r := o.DutyOn(LocalDate(at)); st == DutySuspended {
		until := "until further notice"
		if r.To != "" {
			until = "until " + string(r.To)
		}
		return "", Errorf(EFORBIDDEN, "You cannot %s: you are suspended from %s %s, and a suspended officer's authorisation is withdrawn. Another commander must act.", doing, r.From, until)
	}
	var valid []Accreditation
	for _, k := range kinds {
		if o.HasValid(k, at) {
			valid = append(valid, k)
		}
	}
	if len(valid) > 0 {
		for _, k := range valid {
			if strings.EqualFold(string(k), string(u.Role)) {
				return k, nil
			}
		}
		return valid[len(valid)-1], nil
	}
	var best AccreditationRecord
	found := false
	for _, k := range kinds {
		if a, ok := o.Latest(k); ok && (!found || a.Expires > best.Expires) {
			best, found = a, true
		}
	}
	if found {
		if best.Expires.End().After(at) {
			return "", Errorf(EFORBIDDEN, "You cannot %s: your %s accreditation is not valid until %s.", doing, best.Kind, best.Issued)
		}
		return "", Errorf(EFORBIDDEN, "You cannot %s: your %s accreditation expired on %s.", doing, best.Kind, best.Expires)
	}
	for _, k := range kinds {
		if o.hasRevoked(k) {
			return "", Errorf(EFORBIDDEN, "You cannot %s: your %s accreditation was revoked.", doing, k)
		}
	}
	return "", Errorf(EFORBIDDEN, "You cannot %s: no %s accreditation is recorded for %s.", doing, orList(kinds), o)
}

// SelfRatificationRule is the refusal of a ratification by the one who
// authorised.
const SelfRatificationRule = "APP: the strategic firearms commander must not ratify their own authorisation; another SFC must ratify."

// CoveredByRatification returns the authorisations a ratification now
// would cover: those given since the last ratification.
func CoveredByRatification(i *Incident) []Decision {
	var out []Decision
	for _, d := range i.Decisions {
		switch {
		case d.Kind == DecisionRatify:
			out = out[:0]
		case d.Kind == DecisionAuthorisation && d.Authorised:
			out = append(out, d)
		}
	}
	return out
}

// CheckNotOwnAuthorisation refuses (EFORBIDDEN) a ratification by u, the
// officer officerID (0: none), of i when they made an authorisation it
// would cover. arv.SystemUser is exempt.
func CheckNotOwnAuthorisation(u *User, officerID int64, i *Incident) error {
	if u == SystemUser {
		return nil
	}
	for _, d := range CoveredByRatification(i) {
		if d.By == u.Username || officerID != 0 && d.OfficerID == officerID {
			return Errorf(EFORBIDDEN, "%s You made the authorisation of incident %d at %s.", SelfRatificationRule, i.ID, HourLocal(d.At))
		}
	}
	return nil
}

// NeedsRatificationAgain reports whether a new authorisation d of the
// ratified incident i changes what was ratified: another ground (limb)
// or new tactics (compared without regard to spacing). The SFC then must
// ratify again.
func NeedsRatificationAgain(i *Incident, d DecisionRequest) bool {
	if i.RatifiedAt == nil || !d.Authorised {
		return false
	}
	var last *Decision
	for k := range i.Decisions {
		if x := &i.Decisions[k]; x.Kind == DecisionAuthorisation && x.Authorised {
			last = x
		}
	}
	if last == nil {
		return true
	}
	return last.Limb != d.Limb || strings.Join(strings.Fields(last.Tactics), " ") != strings.Join(strings.Fields(d.Tactics), " ")
}

// CommandLog is who commanded an incident and on what strategy.
type CommandLog struct {
	// InCommand is the commander now (the last of Handovers); nil when
	// no one has taken command.
	InCommand *CommandEntry `json:"in_command,omitempty"`
	// Handovers lists every taking of command, oldest first.
	Handovers []CommandEntry `json:"handovers"`
	// Advice lists the tactical advisers consulted, oldest first.
	Advice []TacticalAdvice `json:"tactical_advice"`
	// Strategy is the SFC's current working strategy and Strategies every
	// revision, oldest first.
	Strategy   *StrategyRevision  `json:"strategy,omitempty"`
	Strategies []StrategyRevision `json:"strategy_revisions"`
}

// CommandEntry is one commander taking command.
type CommandEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// Level is the ticket they command under: ITFC, TFC or SFC.
	Level Accreditation `json:"level"`
	// Commander is the username, Officer their officer.
	Commander string `json:"commander"`
	OfficerID int64  `json:"officer_id,omitempty"`
	Officer   string `json:"officer,omitempty"`
	// From and FromLevel are who handed over ("" for the first).
	From      string        `json:"from,omitempty"`
	FromLevel Accreditation `json:"from_level,omitempty"`
	Note      string        `json:"note,omitempty"`
}

// TacticalAdvice is a tactical adviser consulted.
type TacticalAdvice struct {
	ID int64 `json:"id"`
	// ConsultedAt is when the advice was given.
	ConsultedAt time.Time `json:"consulted_at"`
	// Adviser names the adviser; AdviserOfficerID is their officer
	// record, if they have one here.
	Adviser          string    `json:"adviser"`
	AdviserOfficerID int64     `json:"adviser_officer_id,omitempty"`
	Advice           string    `json:"advice"`
	RecordedBy       string    `json:"recorded_by"`
	RecordedAt       time.Time `json:"recorded_at"`
}

// StrategyRevision is one revision of the SFC's working strategy.
type StrategyRevision struct {
	ID       int64     `json:"id"`
	Revision int       `json:"revision"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Officer  string    `json:"officer,omitempty"`
	Strategy string    `json:"strategy"`
	// Parameters are the tactical parameters the SFC sets.
	Parameters string `json:"tactical_parameters"`
}

// TakeCommand is a commander taking command of an incident.
type TakeCommand struct {
	// Level is the ticket they take command under: ITFC, TFC or SFC.
	Level Accreditation `json:"level"`
	Note  string        `json:"note,omitempty"`
}

// Validate checks the level and the note.
func (c *TakeCommand) Validate() error {
	if !slices.Contains(CommandAccreditations, c.Level) {
		return Errorf(EINVALID, "Say which command you take: level ITFC, TFC or SFC.")
	}
	if c.Note != "" && (len(c.Note) > 2000 || !validText(c.Note)) {
		return Errorf(EINVALID, "The note must be at most 2000 characters, without control characters.")
	}
	return nil
}

// NewAdvice records a tactical adviser consulted.
type NewAdvice struct {
	Adviser          string `json:"adviser"`
	AdviserOfficerID int64  `json:"adviser_officer_id,omitempty"`
	// ConsultedAt is when; zero means now.
	ConsultedAt time.Time `json:"consulted_at,omitzero"`
	Advice      string    `json:"advice"`
}

// Validate checks the adviser and the advice.
func (a *NewAdvice) Validate() error {
	switch {
	case !validName(a.Adviser, 200):
		return Errorf(EINVALID, "Name the tactical adviser (1 to 200 characters, on one line).")
	case a.AdviserOfficerID < 0:
		return Errorf(EINVALID, "adviser_officer_id must be an officer's id, or left out.")
	case !validText(a.Advice):
		return Errorf(EINVALID, "Record the advice given (1 to %d characters).", maxText)
	}
	return nil
}

// NewStrategy is a revision of the SFC's working strategy.
type NewStrategy struct {
	Strategy   string `json:"strategy"`
	Parameters string `json:"tactical_parameters"`
}

// Validate checks both are recorded.
func (n *NewStrategy) Validate() error {
	if !validText(n.Strategy) {
		return Errorf(EINVALID, "Record the working strategy (1 to %d characters).", maxText)
	}
	if !validText(n.Parameters) {
		return Errorf(EINVALID, "Record the tactical parameters (1 to %d characters).", maxText)
	}
	return nil
}

// MaxCommandEntries bounds each list of an incident's command log.
const MaxCommandEntries = 200

// CommandService links users to officers and keeps the command log.
type CommandService interface {
	// SetUserOfficer links a user to an officer, or unlinks with 0
	// (ActionManageUsers).
	SetUserOfficer(ctx context.Context, userID, officerID int64) (*User, error)
	// TakeCommand records the signed-in commander taking command, from
	// whoever was in command (ActionDecide; the ticket of Level in date).
	TakeCommand(ctx context.Context, incidentID int64, c TakeCommand) (*Incident, error)
	// AddAdvice records a tactical adviser consulted (ActionDecide).
	AddAdvice(ctx context.Context, incidentID int64, a NewAdvice) (*Incident, error)
	// SetStrategy records a revision of the working strategy and
	// tactical parameters (ActionSetStrategy; an in-date SFC ticket).
	SetStrategy(ctx context.Context, incidentID int64, s NewStrategy) (*Incident, error)
}
