package arv

import (
	"context"
	"slices"
	"time"
)

// After a discharge (issue 12): each discharge by an armed officer is
// recorded on its incident; a death or serious injury opens the
// post-incident procedure (post-incident manager, key police witnesses
// and the IOPC referral); the debrief is recorded; and the deployment log
// is signed off, which closes the incident's record: afterwards only
// annotated amendments are accepted.
//
// APP sources:
//   - Post-deployment (post-incident procedures, key roles, debriefing):
//     https://www.college.police.uk/app/armed-policing/post-deployment
//   - The Home Office return counts "incidents in which police firearms
//     were intentionally discharged (fired) at persons":
//     https://gov.uk/government/statistics/police-use-of-firearms-statistics-april-2023-to-march-2024/police-use-of-firearms-statistics-england-and-wales-april-2023-to-march-2024

// WeaponClass is the class of weapon discharged. The firearm classes are
// the conventional firearms the Home Office return counts (it counts
// "conventional firearms" discharged at persons); the attenuating energy
// projectile (AEP) is the less lethal option APP names, which the
// post-incident procedure covers but the return does not count. Taser is
// not recorded here: the Home Office firearms return does not ask for it
// and it has its own use-of-force recording.
type WeaponClass string

// Weapon classes.
const (
	WeaponPistol  WeaponClass = "pistol"
	WeaponCarbine WeaponClass = "carbine"
	WeaponShotgun WeaponClass = "shotgun"
	WeaponRifle   WeaponClass = "rifle"
	WeaponAEP     WeaponClass = "aep" // less lethal: attenuating energy projectile (baton round)
)

// WeaponClasses lists every weapon class.
var WeaponClasses = []WeaponClass{WeaponPistol, WeaponCarbine, WeaponShotgun, WeaponRifle, WeaponAEP}

// Firearm reports whether w is a conventional firearm (not less lethal).
func (w WeaponClass) Firearm() bool {
	return w == WeaponPistol || w == WeaponCarbine || w == WeaponShotgun || w == WeaponRifle
}

// Injury is the worst injury a discharge caused.
type Injury string

// Injuries. Serious injury follows the Police Reform Act 2002 s.29
// definition quoted by APP: a fracture, deep cut, deep laceration, or an
// injury causing damage to an internal organ or the impairment of any
// bodily function.
const (
	InjuryNone    Injury = "none"
	InjuryMinor   Injury = "minor"
	InjurySerious Injury = "serious"
	InjuryFatal   Injury = "fatal"
)

// Injuries lists every injury level, least first.
var Injuries = []Injury{InjuryNone, InjuryMinor, InjurySerious, InjuryFatal}

// DSI reports whether the injury is a death or serious injury, which
// opens the post-incident procedure (APP post-deployment: "This guidance
// is only applicable where a death or serious injury (DSI) results,
// directly or indirectly, from the discharge of a firearm, less lethal
// weapon, or specialist munition";
// https://www.college.police.uk/app/armed-policing/post-deployment).
func (i Injury) DSI() bool { return i == InjurySerious || i == InjuryFatal }

// Discharge is one officer's discharge of a weapon at an incident.
type Discharge struct {
	ID        int64       `json:"id"`
	OfficerID int64       `json:"officer_id"`
	Officer   string      `json:"officer"` // "PC Smith (W123)"
	At        time.Time   `json:"at"`
	Weapon    WeaponClass `json:"weapon"`
	Rounds    int         `json:"rounds"`
	AtPerson  bool        `json:"at_person"`
	Injury    Injury      `json:"injury"`
	// Circumstances is the free-text account recorded with it.
	Circumstances string    `json:"circumstances"`
	RecordedBy    string    `json:"recorded_by"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// NewDischarge is the record of a discharge.
type NewDischarge struct {
	OfficerID int64 `json:"officer_id"`
	// At is when it happened; zero means now.
	At            time.Time   `json:"at,omitzero"`
	Weapon        WeaponClass `json:"weapon"`
	Rounds        int         `json:"rounds"`
	AtPerson      bool        `json:"at_person"`
	Injury        Injury      `json:"injury"`
	Circumstances string      `json:"circumstances"`
}

// MaxRounds bounds the rounds of one recorded discharge.
const MaxRounds = 500

// Validate checks a discharge record's own fields.
func (d *NewDischarge) Validate() error {
	switch {
	case d.OfficerID <= 0:
		return Errorf(EINVALID, "Say which officer discharged (officer_id).")
	case !slices.Contains(WeaponClasses, d.Weapon):
		return Errorf(EINVALID, "Weapon %q is not one of pistol, carbine, shotgun, rifle or aep (attenuating energy projectile). Taser is not recorded as a discharge here.", d.Weapon)
	case d.Rounds < 1 || d.Rounds > MaxRounds:
		return Errorf(EINVALID, "Rounds must be between 1 and %d.", MaxRounds)
	case !slices.Contains(Injuries, d.Injury):
		return Errorf(EINVALID, "Injury %q is not one of none, minor, serious or fatal.", d.Injury)
	case !validText(d.Circumstances):
		return Errorf(EINVALID, "Record the circumstances of the discharge (1 to %d characters).", maxText)
	}
	return nil
}

// PostIncident is the post-incident procedure opened on an incident by a
// discharge that caused death or serious injury.
type PostIncident struct {
	OpenedAt time.Time `json:"opened_at"`
	// DischargeID is the discharge that opened it.
	DischargeID int64 `json:"discharge_id"`
	// ManagerID is the post-incident manager, an officer; 0 until one is
	// appointed.
	ManagerID int64         `json:"manager_id,omitempty"`
	Manager   string        `json:"manager,omitempty"`
	Witnesses []KeyWitness  `json:"key_witnesses"`
	Referral  *IOPCReferral `json:"iopc_referral,omitempty"`
	// ReferralDue is when the IOPC referral is expected by (the store's
	// IOPCReferWithin after the discharge).
	ReferralDue time.Time `json:"iopc_referral_due"`
}

// KeyWitness is a key police witness of a post-incident procedure.
type KeyWitness struct {
	OfficerID int64     `json:"officer_id"`
	Officer   string    `json:"officer"`
	Note      string    `json:"note"`
	AddedAt   time.Time `json:"added_at"`
	AddedBy   string    `json:"added_by"`
}

// IOPCReferral is the referral of the matter to the Independent Office
// for Police Conduct.
type IOPCReferral struct {
	At        time.Time `json:"at"`
	Reference string    `json:"reference"`
	// By is who made the referral (name and role, as given).
	By         string    `json:"by"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Debrief is a post-incident debrief (APP post-deployment, "organisational
// learning and debriefing").
type Debrief struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	LedBy      string    `json:"led_by"`
	Notes      string    `json:"notes"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// SignOff is the sign-off of the deployment log, which closes the
// incident's record.
type SignOff struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Role Role      `json:"role"`
	Note string    `json:"note,omitempty"`
}

// Amendment is an annotated amendment to a signed-off record: the record
// is not changed, the annotation is kept beside it.
type Amendment struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	By string    `json:"by"`
	// Corrects says what part of the record it corrects.
	Corrects string `json:"corrects"`
	Text     string `json:"text"`
}

// AfterDischarge is the part of an incident's record that follows armed
// deployment: discharges, the post-incident procedure, debriefs, the
// sign-off of the deployment log and amendments after it. Incident
// embeds it.
type AfterDischarge struct {
	Discharges   []Discharge   `json:"discharges,omitempty"`
	PostIncident *PostIncident `json:"post_incident,omitempty"`
	Debriefs     []Debrief     `json:"debriefs,omitempty"`
	SignedOff    *SignOff      `json:"signed_off,omitempty"`
	Amendments   []Amendment   `json:"amendments,omitempty"`
}

// Requests of the after-discharge service.
type (
	// PostIncidentManager appoints the post-incident manager.
	PostIncidentManager struct {
		OfficerID int64 `json:"officer_id"`
	}
	// NewKeyWitness names a key police witness with a note of their role.
	NewKeyWitness struct {
		OfficerID int64  `json:"officer_id"`
		Note      string `json:"note"`
	}
	// NewIOPCReferral records the referral; At zero means now.
	NewIOPCReferral struct {
		At        time.Time `json:"at,omitzero"`
		Reference string    `json:"reference"`
		By        string    `json:"by"`
	}
	// NewDebrief records a debrief; At zero means now.
	NewDebrief struct {
		At    time.Time `json:"at,omitzero"`
		LedBy string    `json:"led_by"`
		Notes string    `json:"notes"`
	}
	// SignOffRequest signs the deployment log off.
	SignOffRequest struct {
		Note string `json:"note,omitempty"`
	}
	// NewAmendment annotates a signed-off record.
	NewAmendment struct {
		Corrects string `json:"corrects"`
		Text     string `json:"text"`
	}
)

// MaxWitnesses bounds the key police witnesses of one procedure.
const MaxWitnesses = 100

// MaxAfterRows bounds the discharges, debriefs and amendments of one
// incident.
const MaxAfterRows = 200

// Validate checks a key witness.
func (w *NewKeyWitness) Validate() error {
	if w.OfficerID <= 0 {
		return Errorf(EINVALID, "Say which officer is a key police witness (officer_id).")
	}
	if !validName(w.Note, 500) {
		return Errorf(EINVALID, "Note the witness's part in the incident (1 to 500 characters, one line).")
	}
	return nil
}

// Validate checks a referral.
func (r *NewIOPCReferral) Validate() error {
	if !validName(r.Reference, 100) {
		return Errorf(EINVALID, "Give the IOPC referral reference (1 to 100 characters, one line).")
	}
	if !validName(r.By, 200) {
		return Errorf(EINVALID, "Say who made the IOPC referral (1 to 200 characters, one line).")
	}
	return nil
}

// Validate checks a debrief.
func (d *NewDebrief) Validate() error {
	if !validName(d.LedBy, 200) {
		return Errorf(EINVALID, "Say who led the debrief (1 to 200 characters, one line).")
	}
	if !validText(d.Notes) {
		return Errorf(EINVALID, "Record the debrief's notes and learning points (1 to %d characters).", maxText)
	}
	return nil
}

// Validate checks a sign-off.
func (r *SignOffRequest) Validate() error {
	if r.Note != "" && !validText(r.Note) {
		return Errorf(EINVALID, "The sign-off note is limited to %d characters, without control characters.", maxText)
	}
	return nil
}

// Validate checks an amendment.
func (a *NewAmendment) Validate() error {
	if !validName(a.Corrects, 500) {
		return Errorf(EINVALID, "Say what the amendment corrects (1 to 500 characters, one line).")
	}
	if !validText(a.Text) {
		return Errorf(EINVALID, "Write the amendment's annotation (1 to %d characters).", maxText)
	}
	return nil
}

// DefaultIOPCReferWithin is how long after a discharge causing death or
// serious injury the IOPC referral is expected by. The Police Reform Act
// 2002 (Sch. 3) and the Police (Complaints and Misconduct) Regulations
// 2020 (https://www.legislation.gov.uk/uksi/2020/2/made) require a DSI
// matter to be referred; APP post-deployment expects the referral at once
// (https://www.college.police.uk/app/armed-policing/post-deployment).
// Our choice: 24 hours, a setting (arv serve -iopc-refer-within); the
// alert is urgent from the discharge until the referral is recorded.
const DefaultIOPCReferWithin = 24 * time.Hour

// DefaultSignOffRoles are the roles that may sign the deployment log off.
// APP command (https://www.college.police.uk/app/armed-policing/command)
// gives the strategic firearms commander overall command and
// accountability for the operation; our choice is that the SFC signs the
// log off, a setting (arv serve -sign-off-roles).
var DefaultSignOffRoles = []Role{RoleSFC}

// AfterDischargeService records what follows a discharge.
type AfterDischargeService interface {
	// RecordDischarge records a discharge (ActionRecordDischarge); a
	// death or serious injury opens the post-incident procedure.
	RecordDischarge(ctx context.Context, id int64, d NewDischarge) (*Incident, error)
	// AppointPostIncidentManager names the post-incident manager
	// (ActionPostIncident).
	AppointPostIncidentManager(ctx context.Context, id int64, m PostIncidentManager) (*Incident, error)
	// AddKeyWitness names a key police witness (ActionPostIncident).
	AddKeyWitness(ctx context.Context, id int64, w NewKeyWitness) (*Incident, error)
	// ReferToIOPC records the IOPC referral (ActionPostIncident).
	ReferToIOPC(ctx context.Context, id int64, r NewIOPCReferral) (*Incident, error)
	// RecordDebrief records a debrief (ActionPostIncident).
	RecordDebrief(ctx context.Context, id int64, d NewDebrief) (*Incident, error)
	// SignOff signs the deployment log off (ActionSignOff, and the role
	// must be one the store allows): only after stand-down and not while
	// a post-incident procedure lacks its IOPC referral.
	SignOff(ctx context.Context, id int64, r SignOffRequest) (*Incident, error)
	// Amend annotates a signed-off record (ActionAmendRecord).
	Amend(ctx context.Context, id int64, a NewAmendment) (*Incident, error)
}
