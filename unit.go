package arv

import (
	"slices"
	"time"

	"github.com/arv-project/arv/geo"
)

// UnitStatus is what an ARV crew reports.
type UnitStatus string

// The statuses a unit reports (issue 6).
const (
	StatusAvailable UnitStatus = "available" // free, at base or standby
	StatusMobile    UnitStatus = "mobile"    // free, on patrol
	StatusEnRoute   UnitStatus = "en_route"  // assigned, travelling
	StatusOnScene   UnitStatus = "on_scene"  // assigned, arrived
	StatusOffDuty   UnitStatus = "off_duty"  // not crewed
)

// UnitStatuses lists every status.
var UnitStatuses = []UnitStatus{StatusAvailable, StatusMobile, StatusEnRoute, StatusOnScene, StatusOffDuty}

// Valid reports whether s is one of UnitStatuses.
func (s UnitStatus) Valid() bool { return slices.Contains(UnitStatuses, s) }

// Free reports whether a unit with status s can take an incident.
func (s UnitStatus) Free() bool { return s == StatusAvailable || s == StatusMobile }

// Unit is an armed response vehicle.
type Unit struct {
	ID       int64  `json:"id"`
	CallSign string `json:"call_sign"`
	// Base is the name of its home base.
	Base   string     `json:"base"`
	Status UnitStatus `json:"status"`
	// Position is its last known position and PositionAt when it was
	// reported.
	Position   geo.Point `json:"position"`
	PositionAt time.Time `json:"position_at"`
	// IncidentID is the incident it is assigned to, 0 for none.
	IncidentID int64 `json:"incident_id,omitempty"`
	// Crew are the officers booked on now.
	Crew []CrewMember `json:"crew"`
}

// CrewMember is an officer on a unit, with the state of their tickets.
type CrewMember struct {
	OfficerID int64  `json:"officer_id"`
	Name      string `json:"name"`
	Collar    string `json:"collar"`
	// Problem is why the officer may not be deployed now, "" if they may.
	Problem string `json:"problem,omitempty"`
}

// NewUnit is a unit to create.
type NewUnit struct {
	CallSign string    `json:"call_sign"`
	Base     string    `json:"base"`
	Position geo.Point `json:"position"`
}

// Validate checks a new unit.
func (u *NewUnit) Validate() error {
	switch {
	case !validName(u.CallSign, 32):
		return Errorf(EINVALID, "Call sign must be 1 to 32 characters.")
	case !validName(u.Base, 200):
		return Errorf(EINVALID, "Base must be 1 to 200 characters.")
	}
	return CheckPoint(u.Position)
}

// CheckPoint checks a position is a latitude and longitude on Earth.
func CheckPoint(p geo.Point) error {
	if !(p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180) {
		return Errorf(EINVALID, "Position %v,%v is not a latitude and longitude.", p.Lat, p.Lon)
	}
	return nil
}

// StatusReport is a unit's report of status and, optionally, position.
type StatusReport struct {
	Status   UnitStatus `json:"status"`
	Position *geo.Point `json:"position,omitempty"`
}
