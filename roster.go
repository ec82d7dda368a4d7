package arv

import (
	"strconv"
	"time"
)

// RosterShift is one rostered shift of the force's pattern.
type RosterShift struct {
	ID    int64     `json:"id"`
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Crews are the officers rostered on each unit for the shift.
	Crews []ShiftCrew `json:"crews"`
	// Amendments are the changes made after the shift had ended, with
	// their reasons (timebounds.go).
	Amendments []RosterAmendment `json:"amendments,omitempty"`
}

// ShiftCrew is the officers rostered on one unit for one shift.
type ShiftCrew struct {
	UnitID   int64        `json:"unit_id"`
	CallSign string       `json:"call_sign"`
	Officers []CrewMember `json:"officers"`
}

// NewShift is a shift to add to the roster.
type NewShift struct {
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Reason is needed when the shift has already ended (an amendment).
	Reason string `json:"reason,omitempty"`
}

// MaxShiftHours bounds a shift's length (assumption: 24 h; the force's
// pattern is 10 h shifts, docs/scenarios.md).
const MaxShiftHours = 24

// Validate checks a new shift.
func (s *NewShift) Validate() error {
	switch {
	case !validName(s.Name, 64):
		return Errorf(EINVALID, "Shift name must be 1 to 64 characters.")
	case !s.End.After(s.Start):
		return Errorf(EINVALID, "Shift must end after it starts.")
	case s.End.Sub(s.Start) > MaxShiftHours*time.Hour:
		return Errorf(EINVALID, "Shift is longer than %d hours.", MaxShiftHours)
	}
	return nil
}

// RosterAssignment puts an officer on a unit for a shift.
type RosterAssignment struct {
	UnitID    int64 `json:"unit_id"`
	OfficerID int64 `json:"officer_id"`
	// Reason is needed when the shift has already ended (an amendment).
	Reason string `json:"reason,omitempty"`
}

// Complement is the force's minimum complement per shift: how many ARVs
// crewed, with how many officers each.
type Complement struct {
	ARVs           int `json:"arvs"`
	OfficersPerARV int `json:"officers_per_arv"`
}

// Gap is a shift below the minimum complement.
type Gap struct {
	ShiftID int64     `json:"shift_id"`
	Shift   string    `json:"shift"`
	Start   time.Time `json:"start"`
	// Crewed is how many units have a full, deployable crew.
	Crewed int `json:"crewed"`
	// Need is the complement's ARVs.
	Need int `json:"need"`
	// Detail says which units fall short and why.
	Detail []string `json:"detail"`
}

// CheckComplement returns the gap of s against c, or nil when s meets
// it. A unit counts as crewed when it has c.OfficersPerARV officers whose
// crewing problems (CrewMember.Problem) are empty.
func CheckComplement(s RosterShift, c Complement) *Gap {
	g := &Gap{ShiftID: s.ID, Shift: s.Name, Start: s.Start, Need: c.ARVs}
	for _, cr := range s.Crews {
		ok := 0
		for _, o := range cr.Officers {
			if o.Problem == "" {
				ok++
			} else {
				g.Detail = append(g.Detail, cr.CallSign+": "+o.Problem)
			}
		}
		if ok >= c.OfficersPerARV {
			g.Crewed++
		} else {
			g.Detail = append(g.Detail, cr.CallSign+": "+strconv.Itoa(ok)+" of "+strconv.Itoa(c.OfficersPerARV)+" officers deployable")
		}
	}
	if g.Crewed >= c.ARVs {
		return nil
	}
	return g
}
