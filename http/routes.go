package http

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"

	"github.com/arv-project/arv"
)

// Route is one endpoint of the API.
type Route struct {
	// Method is the HTTP method ("GET", "POST", "DELETE").
	Method string
	// Pattern is the path pattern of http.ServeMux, with wildcards such
	// as {id} for int64 identifiers.
	Pattern string
	// Action is the permission the route needs, which the service behind
	// it checks; "" for routes that need none (sign-in, sign-out, the
	// signed-in user, the health check).
	Action arv.Action
	// Public routes need no session: anonymous requests to any other
	// route are refused with 401.
	Public bool
}

// handlerFunc handles a request that has passed the route's checks; the
// error it returns is written as the response.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request) error

// route is a Route with its handler.
type route struct {
	Route
	handle handlerFunc
}

// routes is the API. The server registers exactly these, and Routes
// returns them, so the list and the registrations cannot drift.
var routes = []route{
	{Route{"GET", "/healthz", "", true}, (*Server).handleHealth},

	{Route{"POST", "/api/v1/login", "", true}, (*Server).handleLogin},
	{Route{"POST", "/api/v1/logout", "", false}, (*Server).handleLogout},
	{Route{"GET", "/api/v1/me", "", false}, (*Server).handleMe},

	{Route{"GET", "/api/v1/users", arv.ActionManageUsers, false}, (*Server).handleUsers},
	{Route{"POST", "/api/v1/users", arv.ActionManageUsers, false}, (*Server).handleCreateUser},

	{Route{"GET", "/api/v1/officers", arv.ActionViewOfficers, false}, (*Server).handleOfficers},
	{Route{"POST", "/api/v1/officers", arv.ActionManageOfficers, false}, (*Server).handleCreateOfficer},
	{Route{"GET", "/api/v1/officers/{id}", arv.ActionViewOfficers, false}, (*Server).handleOfficer},
	{Route{"POST", "/api/v1/officers/{id}/accreditations", arv.ActionManageOfficers, false}, (*Server).handleAddAccreditation},
	{Route{"POST", "/api/v1/officers/{id}/accreditations/{aid}/revoke", arv.ActionManageOfficers, false}, (*Server).handleRevokeAccreditation},
	{Route{"POST", "/api/v1/officers/{id}/fitness", arv.ActionManageOfficers, false}, (*Server).handleAddFitness},
	{Route{"GET", "/api/v1/reminders", arv.ActionViewOfficers, false}, (*Server).handleReminders},

	{Route{"GET", "/api/v1/units", arv.ActionViewOperations, false}, (*Server).handleUnits},
	{Route{"POST", "/api/v1/units", arv.ActionManageUnits, false}, (*Server).handleCreateUnit},
	{Route{"GET", "/api/v1/units/{id}", arv.ActionViewOperations, false}, (*Server).handleUnit},
	{Route{"POST", "/api/v1/units/{id}/status", arv.ActionReportUnit, false}, (*Server).handleUnitStatus},

	{Route{"GET", "/api/v1/roster", arv.ActionViewOfficers, false}, (*Server).handleRoster},
	{Route{"POST", "/api/v1/roster/shifts", arv.ActionManageRoster, false}, (*Server).handleAddShift},
	{Route{"POST", "/api/v1/roster/shifts/{id}/crew", arv.ActionManageRoster, false}, (*Server).handleAssignCrew},
	{Route{"DELETE", "/api/v1/roster/shifts/{id}/crew/{officer}", arv.ActionManageRoster, false}, (*Server).handleUnassignCrew},

	{Route{"GET", "/api/v1/incidents", arv.ActionViewOperations, false}, (*Server).handleIncidents},
	{Route{"POST", "/api/v1/incidents", arv.ActionRecordIncident, false}, (*Server).handleCreateIncident},
	{Route{"GET", "/api/v1/incidents/{id}", arv.ActionViewOperations, false}, (*Server).handleIncident},
	{Route{"POST", "/api/v1/incidents/{id}/decision", arv.ActionDecide, false}, (*Server).handleDecide},
	{Route{"POST", "/api/v1/incidents/{id}/ratification", arv.ActionRatify, false}, (*Server).handleRatify},
	{Route{"GET", "/api/v1/incidents/{id}/recommendation", arv.ActionDispatch, false}, (*Server).handleRecommend},
	{Route{"POST", "/api/v1/incidents/{id}/assignments", arv.ActionDispatch, false}, (*Server).handleAssign},
	{Route{"POST", "/api/v1/incidents/{id}/assignments/{unit}/release", arv.ActionDispatch, false}, (*Server).handleRelease},
	{Route{"POST", "/api/v1/incidents/{id}/stand-down", arv.ActionDispatch, false}, (*Server).handleStandDown},
	{Route{"POST", "/api/v1/self-deployments", arv.ActionSelfDeploy, false}, (*Server).handleSelfDeploy},

	{Route{"GET", "/api/v1/patrols", arv.ActionViewOperations, false}, (*Server).handlePatrols},
	{Route{"POST", "/api/v1/patrols", arv.ActionManageUnits, false}, (*Server).handleCreatePatrol},
	{Route{"POST", "/api/v1/patrols/{id}/check-ins", arv.ActionCheckIn, false}, (*Server).handleCheckIn},

	{Route{"GET", "/api/v1/alerts", arv.ActionViewOperations, false}, (*Server).handleAlerts},
	{Route{"GET", "/api/v1/events", arv.ActionViewOperations, false}, (*Server).handleEvents},

	{Route{"GET", "/api/v1/audit", arv.ActionViewAudit, false}, (*Server).handleAudit},
	{Route{"GET", "/api/v1/audit/verify", arv.ActionViewAudit, false}, (*Server).handleVerifyAudit},

	{Route{"GET", "/api/v1/returns/annual", arv.ActionViewReturns, false}, (*Server).handleAnnualReturn},
	{Route{"GET", "/api/v1/returns/response-times", arv.ActionViewReturns, false}, (*Server).handleResponseReport},
}

// Routes returns every route of the API, in the order they are
// registered, for tests that walk the API (such as the role ×
// endpoint authorisation matrix).
func Routes() []Route {
	out := make([]Route, len(routes))
	for i, rt := range routes {
		out[i] = rt.Route
	}
	return out
}

// unsafeMethod reports whether a request of method changes state.
func unsafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// route wraps a handler in the route's checks: the body limit, the
// session (unless public), the CSRF token of unsafe requests, and a
// context that outlives the client for unsafe requests.
func (s *Server) route(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBodyBytes())
		if !rt.Public {
			ctx, err := s.authenticate(w, r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		}
		if unsafeMethod(r.Method) {
			// A change that reached the service is committed or rolled
			// back whole, whether or not the client waits for the answer.
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		if err := rt.handle(s, w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// session is the signed-in session of a request.
type session struct {
	token string
	csrf  string
}

type ctxKey int

const sessionKey ctxKey = 1

// sessionFrom returns the session of ctx, if any.
func sessionFrom(ctx context.Context) (session, bool) {
	sess, ok := ctx.Value(sessionKey).(session)
	return sess, ok
}

// errCSRF refuses an unsafe request without the session's CSRF token.
var errCSRF = arv.Errorf(arv.EFORBIDDEN, "Missing or wrong CSRF token.")

// authenticate finds the session of the request's cookie and returns a
// context carrying its user and session. Unsafe requests must carry the
// session's CSRF token.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (context.Context, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, arv.Errorf(arv.EUNAUTHORIZED, "Sign in first.")
	}
	u, csrf, err := s.Services.FindSession(r.Context(), c.Value)
	if err != nil {
		if arv.ErrorCode(err) == arv.EUNAUTHORIZED {
			// The session is unknown or expired: drop the cookie.
			s.clearCookie(w)
			return nil, arv.Errorf(arv.EUNAUTHORIZED, "Your session has ended; sign in again.")
		}
		return nil, err
	}
	if u == nil {
		return nil, arv.Errorf(arv.EUNAUTHORIZED, "Sign in first.")
	}
	if unsafeMethod(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if got == "" || csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
			return nil, errCSRF
		}
	}
	ctx := arv.NewContextWithUser(r.Context(), u)
	return context.WithValue(ctx, sessionKey, session{token: c.Value, csrf: csrf}), nil
}

// pathID returns the int64 path wildcard name; invalid if it is not a
// positive integer.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, arv.Errorf(arv.EINVALID, "%q is not an id: ids are positive integers.", v)
	}
	return id, nil
}
