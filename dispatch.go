package arv

import (
	"encoding/json"
	"math"
	"strconv"
)

// Recommendation is one ARV ranked for an incident.
type Recommendation struct {
	UnitID   int64      `json:"unit_id"`
	CallSign string     `json:"call_sign"`
	Status   UnitStatus `json:"status"`
	// ETASeconds is the blue-light road travel time from the unit's last
	// known position; +Inf (JSON null) when no route.
	ETASeconds float64 `json:"eta_seconds"`
	// Eligible reports whether the unit may be assigned now; Reason says
	// why not.
	Eligible bool         `json:"eligible"`
	Reason   string       `json:"reason,omitempty"`
	Crew     []CrewMember `json:"crew"`
}

// CrewProblems returns why a unit with this crew may not deploy, "" when
// it may: a rostered officer who may not be deployed (their
// CrewMember.Problem; an ARV does not go with an officer whose tickets
// have lapsed on board), or too few officers for the complement's crew
// size.
func CrewProblems(crew []CrewMember, officersPerARV int) string {
	for _, c := range crew {
		if c.Problem != "" {
			return c.Problem
		}
	}
	if len(crew) < officersPerARV {
		return "crew of " + strconv.Itoa(len(crew)) + ", " + strconv.Itoa(officersPerARV) + " needed"
	}
	return ""
}

// finitePtr returns &v, or nil for an infinite or NaN v.
func finitePtr(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

// MarshalJSON writes an unreachable (+Inf) ETA as null.
func (r Recommendation) MarshalJSON() ([]byte, error) {
	type plain Recommendation
	return json.Marshal(struct {
		plain
		ETASeconds *float64 `json:"eta_seconds"`
	}{plain(r), finitePtr(r.ETASeconds)})
}

// MarshalJSON writes an unknown (+Inf) ETA as null.
func (a Assignment) MarshalJSON() ([]byte, error) {
	type plain Assignment
	return json.Marshal(struct {
		plain
		ETASeconds *float64 `json:"eta_seconds"`
	}{plain(a), finitePtr(a.ETASeconds)})
}
