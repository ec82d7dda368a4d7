package arv

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"
)

// Role is what a user does in the force. Every service method checks the
// role of the user in its context against the permission table (issue 6).
type Role string

// The roles of the operations server. The command chain follows the
// College of Policing APP (../shared/domain/armed-policing-facts.md §1.4):
// a call handler records the incident, the initial tactical firearms
// commander (a control-room inspector) decides on armed deployment, the
// tactical firearms commander takes over, and the strategic firearms
// commander ratifies or rescinds.
const (
	RoleCallHandler   Role = "call_handler"
	RoleITFC          Role = "itfc"
	RoleTFC           Role = "tfc"
	RoleSFC           Role = "sfc"
	RoleArmedOfficer  Role = "armed_officer"
	RolePlanner       Role = "planner"
	RoleAdministrator Role = "administrator"
)

// Roles lists every role in the order screens show them.
var Roles = []Role{RoleCallHandler, RoleITFC, RoleTFC, RoleSFC, RoleArmedOfficer, RolePlanner, RoleAdministrator}

// Title is the role's name for people.
func (r Role) Title() string {
	switch r {
	case RoleCallHandler:
		return "Call handler"
	case RoleITFC:
		return "Initial tactical firearms commander"
	case RoleTFC:
		return "Tactical firearms commander"
	case RoleSFC:
		return "Strategic firearms commander"
	case RoleArmedOfficer:
		return "Armed officer"
	case RolePlanner:
		return "Planner"
	case RoleAdministrator:
		return "Administrator"
	}
	return string(r)
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Action is something a user may be permitted to do.
type Action string

// The actions the permission table grants.
const (
	ActionViewOperations Action = "view operations"  // units, incidents, board, alerts
	ActionRecordIncident Action = "record incidents" // call handler's record
	ActionDecide         Action = "decide on armed deployment"
	ActionRatify         Action = "ratify or rescind deployments"
	ActionDispatch       Action = "assign and stand down ARVs"
	ActionReportUnit     Action = "report unit status"
	ActionSelfDeploy     Action = "record self-deployment"
	ActionCheckIn        Action = "check in on key-site patrols"
	ActionViewOfficers   Action = "view officers and rosters"
	ActionManageRoster   Action = "manage rosters"
	ActionManageOfficers Action = "manage officers and accreditations"
	ActionManageUnits    Action = "manage ARVs and patrol plans"
	ActionManageUsers    Action = "manage users"
	ActionViewAudit      Action = "view and verify the audit log"
	ActionViewReturns    Action = "produce statistics returns"
	ActionViewPlanning   Action = "view planning"
	// ActionSetStrategy is the SFC's working strategy and tactical
	// parameters (command.go).
	ActionSetStrategy Action = "set the firearms strategy"
	// After a discharge (discharge.go).
	ActionRecordDischarge Action = "record discharges"
	ActionPostIncident    Action = "manage post-incident procedures and debriefs"
	ActionSignOff         Action = "sign off deployment logs"
	ActionAmendRecord     Action = "amend signed-off records"
	ActionSubmitReturns   Action = "submit the annual return"
)

// permissions is the permission table: for each action, the roles that
// may take it.
var permissions = map[Action][]Role{
	ActionViewOperations: {RoleCallHandler, RoleITFC, RoleTFC, RoleSFC, RoleArmedOfficer, RolePlanner, RoleAdministrator},
	ActionRecordIncident: {RoleCallHandler, RoleITFC, RoleTFC},
	ActionDecide:         {RoleITFC, RoleTFC, RoleSFC},
	ActionRatify:         {RoleSFC},
	ActionDispatch:       {RoleITFC, RoleTFC},
	ActionReportUnit:     {RoleArmedOfficer, RoleITFC, RoleTFC},
	ActionSelfDeploy:     {RoleArmedOfficer},
	ActionCheckIn:        {RoleArmedOfficer, RoleITFC, RoleTFC},
	ActionViewOfficers:   {RoleITFC, RoleTFC, RoleSFC, RoleArmedOfficer, RolePlanner, RoleAdministrator},
	ActionManageRoster:   {RolePlanner, RoleAdministrator},
	ActionManageOfficers: {RoleAdministrator},
	ActionManageUnits:    {RoleAdministrator},
	ActionManageUsers:    {RoleAdministrator},
	ActionViewAudit:      {RoleSFC, RolePlanner, RoleAdministrator},
	ActionViewReturns:    {RoleSFC, RolePlanner, RoleAdministrator},
	ActionViewPlanning:   {RoleSFC, RolePlanner, RoleAdministrator},
	ActionSetStrategy:    {RoleSFC},
	// After a discharge: the commanders keep the record; the store narrows
	// sign-off further to its SignOffRoles (default the SFC).
	ActionRecordDischarge: {RoleITFC, RoleTFC, RoleSFC},
	ActionPostIncident:    {RoleITFC, RoleTFC, RoleSFC},
	ActionSignOff:         {RoleTFC, RoleSFC},
	ActionAmendRecord:     {RoleITFC, RoleTFC, RoleSFC},
	// The strategic firearms commander answers for the force's armed
	// policing and the administrator keeps its records; either submits
	// the return (our choice: the Home Office asks the force to sign off
	// its figures, not a given role).
	ActionSubmitReturns: {RoleSFC, RoleAdministrator},
}

// Actions lists every action of the permission table.
func Actions() []Action {
	out := make([]Action, 0, len(permissions))
	for a := range permissions {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Permitted reports whether role may take action.
func Permitted(role Role, action Action) bool {
	return slices.Contains(permissions[action], role)
}

// User is a person who signs in to the operations server.
type User struct {
	ID       int64     `json:"id"`
	Username string    `json:"username"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Created  time.Time `json:"created"`
	// Disabled users cannot sign in.
	Disabled bool `json:"disabled,omitempty"`
	// OfficerID is the officer the user is (0: none); commanders' tickets
	// are checked on that officer (command.go).
	OfficerID int64 `json:"officer_id,omitempty"`
}

// NewUser is a user to create.
type NewUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Password string `json:"password"`
	// OfficerID links the user to an officer (0: none).
	OfficerID int64 `json:"officer_id,omitempty"`
}

// MinPasswordLength is the shortest password accepted (NCSC guidance
// favours length over complexity; assumption: 12 characters).
const MinPasswordLength = 12

// Validate checks a new user.
func (u *NewUser) Validate() error {
	switch {
	case !validName(u.Username, 64) || !usernameChars(u.Username):
		return Errorf(EINVALID, "Username must be 1 to 64 letters, digits, dots, hyphens or underscores.")
	case !validName(u.Name, 200):
		return Errorf(EINVALID, "Name must be 1 to 200 characters.")
	case !u.Role.Valid():
		return Errorf(EINVALID, "Role %q is not one of call_handler, itfc, tfc, sfc, armed_officer, planner, administrator.", u.Role)
	case utf8.RuneCountInString(u.Password) < MinPasswordLength:
		return Errorf(EINVALID, "Password must be at least %d characters.", MinPasswordLength)
	case len(u.Password) > 256:
		return Errorf(EINVALID, "Password must be at most 256 characters.")
	}
	return nil
}

func usernameChars(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validName reports whether s is non-blank, at most max bytes and free of
// control characters.
func validName(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	blank := true
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c != ' ' {
			blank = false
		}
	}
	return !blank
}

type contextKey int

const userContextKey contextKey = 1

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the user in ctx, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// Authorize returns the user in ctx if their role permits action:
// EUNAUTHORIZED without a user, EFORBIDDEN when the role does not permit
// it.
func Authorize(ctx context.Context, action Action) (*User, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "Sign in first.")
	}
	if u.Disabled {
		return nil, Errorf(EUNAUTHORIZED, "This account is disabled.")
	}
	if u != SystemUser && !Permitted(u.Role, action) {
		return nil, Errorf(EFORBIDDEN, "Your role (%s) may not %s.", lower(u.Role.Title()), action)
	}
	return u, nil
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// SystemUser acts for the server itself (demo seeding, the command line,
// timed alerts); Authorize permits it everything.
var SystemUser = &User{ID: 0, Username: "system", Name: "arv", Role: RoleAdministrator}
