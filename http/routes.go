package http

import (
	"context"
	"crypto/subtle"
	"mime"
	"net/http"
	"strconv"

	"github.com/arv-project/arv"
)

// Route is one endpoint of the server: a JSON API route or a page.
type Route struct {
	// Method is the HTTP method ("GET", "POST", "DELETE").
	Method string
	// Pattern is the path pattern of http.ServeMux, with wildcards such
	// as {id} for int64 identifiers.
	Pattern string
	// Action is the permission the route needs: the route refuses a
	// signed-in user whose role does not permit it before the handler
	// runs (and the services check it again). "" for routes that need
	// only a session (sign-out, the signed-in user) and for public ones.
	Action arv.Action
	// Public routes need no session (sign-in, the health check, the
	// stylesheet and script); every other route refuses anonymous
	// requests.
	Public bool
	// Page routes answer with HTML (a page, a fragment of one, or a
	// redirect after a form) and their refusals with the error page or
	// the sign-in page; the others are the JSON API.
	Page bool
}

// apiFunc handles an API request that has passed the route's checks; the
// error it returns is written as the JSON error response.
type apiFunc func(s *Server, w http.ResponseWriter, r *http.Request) error

// pageFunc handles a page request that has passed the route's checks;
// p holds the signed-in user and session. The error it returns is shown
// on the error page.
type pageFunc func(s *Server, w http.ResponseWriter, r *http.Request, p *page) error

// route is a Route with its handler: api for API routes, page for pages.
type route struct {
	Route
	api  apiFunc
	page pageFunc
}

// apiRoute is an API route that needs a session and, unless action is
// "", the permission action.
func apiRoute(method, pattern string, action arv.Action, h apiFunc) route {
	return route{Route: Route{Method: method, Pattern: pattern, Action: action}, api: h}
}

// pageRoute is a page route that needs a session and, unless action is
// "", the permission action.
func pageRoute(method, pattern string, action arv.Action, h pageFunc) route {
	return route{Route: Route{Method: method, Pattern: pattern, Action: action, Page: true}, page: h}
}

// public marks rt as needing no session.
func public(rt route) route {
	rt.Public = true
	return rt
}

// routes is every route of the server, API and pages, grouped by
// resource. The server registers exactly these, and Routes returns them,
// so the list, the registrations and the authorisation matrix test
// cannot drift apart.
var routes = []route{
	public(apiRoute("GET", "/healthz", "", (*Server).handleHealth)),

	// Sessions (session.go).
	public(apiRoute("POST", "/api/v1/login", "", (*Server).handleLogin)),
	apiRoute("POST", "/api/v1/logout", "", (*Server).handleLogout),
	apiRoute("GET", "/api/v1/me", "", (*Server).handleMe),
	public(pageRoute("GET", "/login", "", (*Server).pageLogin)),
	public(pageRoute("POST", "/login", "", (*Server).pageLoginPost)),
	pageRoute("POST", "/logout", "", (*Server).pageLogout),

	// Users (user.go).
	apiRoute("GET", "/api/v1/users", arv.ActionManageUsers, (*Server).handleUsers),
	apiRoute("POST", "/api/v1/users", arv.ActionManageUsers, (*Server).handleCreateUser),
	apiRoute("PUT", "/api/v1/users/{id}/officer", arv.ActionManageUsers, (*Server).handleSetUserOfficer), // command.go

	// Officers (officer.go).
	apiRoute("GET", "/api/v1/officers", arv.ActionViewOfficers, (*Server).handleOfficers),
	apiRoute("POST", "/api/v1/officers", arv.ActionManageOfficers, (*Server).handleCreateOfficer),
	apiRoute("GET", "/api/v1/officers/{id}", arv.ActionViewOfficers, (*Server).handleOfficer),
	apiRoute("POST", "/api/v1/officers/{id}/accreditations", arv.ActionManageOfficers, (*Server).handleAddAccreditation),
	apiRoute("POST", "/api/v1/officers/{id}/accreditations/{aid}/revoke", arv.ActionManageOfficers, (*Server).handleRevokeAccreditation),
	apiRoute("POST", "/api/v1/officers/{id}/fitness", arv.ActionManageOfficers, (*Server).handleAddFitness),
	apiRoute("POST", "/api/v1/officers/{id}/duty", arv.ActionManageOfficers, (*Server).handleRecordDuty), // duty.go
	apiRoute("GET", "/api/v1/reminders", arv.ActionViewOfficers, (*Server).handleReminders),
	pageRoute("GET", "/officers", arv.ActionViewOfficers, (*Server).pageOfficers),
	pageRoute("POST", "/officers/duty", arv.ActionManageOfficers, (*Server).pageRecordDuty), // duty.go

	// Units (unit.go).
	apiRoute("GET", "/api/v1/units", arv.ActionViewOperations, (*Server).handleUnits),
	apiRoute("POST", "/api/v1/units", arv.ActionManageUnits, (*Server).handleCreateUnit),
	apiRoute("GET", "/api/v1/units/{id}", arv.ActionViewOperations, (*Server).handleUnit),
	apiRoute("POST", "/api/v1/units/{id}/status", arv.ActionReportUnit, (*Server).handleUnitStatus),
	pageRoute("POST", "/units/{id}/status", arv.ActionReportUnit, (*Server).pageUnitStatus),

	// Roster (roster.go).
	apiRoute("GET", "/api/v1/roster", arv.ActionViewOfficers, (*Server).handleRoster),
	apiRoute("POST", "/api/v1/roster/shifts", arv.ActionManageRoster, (*Server).handleAddShift),
	apiRoute("POST", "/api/v1/roster/shifts/{id}/crew", arv.ActionManageRoster, (*Server).handleAssignCrew),
	apiRoute("DELETE", "/api/v1/roster/shifts/{id}/crew/{officer}", arv.ActionManageRoster, (*Server).handleUnassignCrew),
	pageRoute("GET", "/roster", arv.ActionViewOfficers, (*Server).pageRoster),

	// Incidents (incident.go).
	apiRoute("GET", "/api/v1/incidents", arv.ActionViewOperations, (*Server).handleIncidents),
	apiRoute("GET", "/api/v1/incidents/export", arv.ActionViewPlanning, (*Server).handleExportIncidents), // export.go
	apiRoute("POST", "/api/v1/incidents", arv.ActionRecordIncident, (*Server).handleCreateIncident),
	apiRoute("GET", "/api/v1/incidents/{id}", arv.ActionViewOperations, (*Server).handleIncident),
	apiRoute("POST", "/api/v1/incidents/{id}/decision", arv.ActionDecide, (*Server).handleDecide),
	apiRoute("POST", "/api/v1/incidents/{id}/ratification", arv.ActionRatify, (*Server).handleRatify),
	apiRoute("GET", "/api/v1/incidents/{id}/recommendation", arv.ActionDispatch, (*Server).handleRecommend),
	apiRoute("POST", "/api/v1/incidents/{id}/assignments", arv.ActionDispatch, (*Server).handleAssign),
	apiRoute("POST", "/api/v1/incidents/{id}/assignments/{unit}/release", arv.ActionDispatch, (*Server).handleRelease),
	apiRoute("POST", "/api/v1/incidents/{id}/stand-down", arv.ActionDispatch, (*Server).handleStandDown),
	apiRoute("POST", "/api/v1/self-deployments", arv.ActionSelfDeploy, (*Server).handleSelfDeploy),
	// The command log (command.go): why these actions, see there.
	apiRoute("POST", "/api/v1/incidents/{id}/command", arv.ActionDecide, handleTakeCommand),
	apiRoute("POST", "/api/v1/incidents/{id}/advice", arv.ActionDecide, handleAddAdvice),
	apiRoute("POST", "/api/v1/incidents/{id}/strategy", arv.ActionSetStrategy, handleSetStrategy),
	pageRoute("GET", "/incidents", arv.ActionViewOperations, (*Server).pageIncidents),
	pageRoute("GET", "/incidents/new", arv.ActionRecordIncident, (*Server).pageNewIncident),
	pageRoute("POST", "/incidents/new", arv.ActionRecordIncident, (*Server).pageNewIncidentPost),
	// The incident page shows each role's forms, and the ARVs ranked by
	// road time only to roles that may dispatch; viewing operations is
	// all it needs.
	pageRoute("GET", "/incidents/{id}", arv.ActionViewOperations, (*Server).pageIncident),
	pageRoute("POST", "/incidents/{id}/decision", arv.ActionDecide, (*Server).pageDecide),
	pageRoute("POST", "/incidents/{id}/ratification", arv.ActionRatify, (*Server).pageRatify),
	pageRoute("POST", "/incidents/{id}/assignments", arv.ActionDispatch, (*Server).pageAssign),
	pageRoute("POST", "/incidents/{id}/assignments/{unit}/release", arv.ActionDispatch, (*Server).pageRelease),
	pageRoute("POST", "/incidents/{id}/stand-down", arv.ActionDispatch, (*Server).pageStandDown),
	pageRoute("POST", "/incidents/{id}/command", arv.ActionDecide, (*Server).pageTakeCommand),
	pageRoute("POST", "/incidents/{id}/advice", arv.ActionDecide, (*Server).pageAddAdvice),
	pageRoute("POST", "/incidents/{id}/strategy", arv.ActionSetStrategy, (*Server).pageSetStrategy),

	// After a discharge (discharge.go).
	apiRoute("POST", "/api/v1/incidents/{id}/discharges", arv.ActionRecordDischarge, handleRecordDischarge),
	apiRoute("POST", "/api/v1/incidents/{id}/post-incident/manager", arv.ActionPostIncident, handlePostIncidentManager),
	apiRoute("POST", "/api/v1/incidents/{id}/post-incident/witnesses", arv.ActionPostIncident, handleKeyWitness),
	apiRoute("POST", "/api/v1/incidents/{id}/post-incident/iopc-referral", arv.ActionPostIncident, handleIOPCReferral),
	apiRoute("POST", "/api/v1/incidents/{id}/debriefs", arv.ActionPostIncident, handleDebrief),
	apiRoute("POST", "/api/v1/incidents/{id}/sign-off", arv.ActionSignOff, handleSignOff),
	apiRoute("POST", "/api/v1/incidents/{id}/amendments", arv.ActionAmendRecord, handleAmend),
	pageRoute("POST", "/incidents/{id}/discharges", arv.ActionRecordDischarge, (*Server).pageRecordDischarge),
	pageRoute("POST", "/incidents/{id}/post-incident/manager", arv.ActionPostIncident, (*Server).pagePostIncidentManager),
	pageRoute("POST", "/incidents/{id}/post-incident/witnesses", arv.ActionPostIncident, (*Server).pageKeyWitness),
	pageRoute("POST", "/incidents/{id}/post-incident/iopc-referral", arv.ActionPostIncident, (*Server).pageIOPCReferral),
	pageRoute("POST", "/incidents/{id}/debriefs", arv.ActionPostIncident, (*Server).pageDebrief),
	pageRoute("POST", "/incidents/{id}/sign-off", arv.ActionSignOff, (*Server).pageSignOff),
	pageRoute("POST", "/incidents/{id}/amendments", arv.ActionAmendRecord, (*Server).pageAmend),

	// Patrols (patrol.go).
	apiRoute("GET", "/api/v1/patrols", arv.ActionViewOperations, (*Server).handlePatrols),
	apiRoute("POST", "/api/v1/patrols", arv.ActionManageUnits, (*Server).handleCreatePatrol),
	apiRoute("POST", "/api/v1/patrols/{id}/check-ins", arv.ActionCheckIn, (*Server).handleCheckIn),
	pageRoute("GET", "/patrols", arv.ActionViewOperations, (*Server).pagePatrols),
	pageRoute("POST", "/patrols/{id}/check-ins", arv.ActionCheckIn, (*Server).pageCheckIn),

	// The board and its alerts (board.go), the live events (events.go)
	// and the map (map.go).
	apiRoute("GET", "/api/v1/alerts", arv.ActionViewOperations, (*Server).handleAlerts),
	apiRoute("GET", "/api/v1/events", arv.ActionViewOperations, (*Server).handleEvents),
	public(pageRoute("GET", "/{$}", "", (*Server).pageHome)),
	pageRoute("GET", "/board", arv.ActionViewOperations, (*Server).pageBoard),
	pageRoute("GET", "/board/live", arv.ActionViewOperations, (*Server).pageBoardLive),
	pageRoute("GET", "/map", arv.ActionViewOperations, (*Server).pageMap),
	pageRoute("GET", "/map/live", arv.ActionViewOperations, (*Server).pageMapLive),

	// Audit (audit.go).
	apiRoute("GET", "/api/v1/audit", arv.ActionViewAudit, (*Server).handleAudit),
	apiRoute("GET", "/api/v1/audit/verify", arv.ActionViewAudit, (*Server).handleVerifyAudit),
	pageRoute("GET", "/audit", arv.ActionViewAudit, (*Server).pageAudit),

	// Returns (returns.go).
	apiRoute("GET", "/api/v1/returns/annual", arv.ActionViewReturns, (*Server).handleAnnualReturn),
	apiRoute("GET", "/api/v1/returns/response-times", arv.ActionViewReturns, (*Server).handleResponseReport),
	pageRoute("GET", "/reports", arv.ActionViewReturns, (*Server).pageReports),
	apiRoute("POST", "/api/v1/returns/annual/submissions", arv.ActionSubmitReturns, (*Server).handleSubmitReturn),   // returns_submit.go
	apiRoute("GET", "/api/v1/returns/annual/submissions", arv.ActionViewReturns, (*Server).handleReturnSubmissions), // returns_submit.go
	pageRoute("POST", "/reports/submit", arv.ActionSubmitReturns, (*Server).pageSubmitReturn),                       // returns_submit.go

	// Planning (planning.go).
	pageRoute("GET", "/planning", arv.ActionViewPlanning, (*Server).pagePlanning),
	pageRoute("POST", "/planning", arv.ActionViewPlanning, (*Server).pagePlanningRun),
	pageRoute("POST", "/planning/cancel", arv.ActionViewPlanning, (*Server).pagePlanningCancel),
	pageRoute("GET", "/planning/{id}", arv.ActionViewPlanning, (*Server).pagePlanningReport),

	// The pages' stylesheet and script (page.go).
	public(pageRoute("GET", "/assets/", "", (*Server).pageAsset)),
}

// Routes returns every route of the server, API and pages, in the order
// they are registered, for tests that walk them (such as the role ×
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

// route wraps a handler in the route's checks, the same for API and
// pages: the body limit; unless the route is public, the session and the
// CSRF token of unsafe requests (authenticate) and the route's Action
// against the user's role; for pages, the form of unsafe requests; and a
// context that outlives the client for unsafe requests. Only how a
// refusal, an error or a panic is answered differs: JSON for the API, the
// sign-in or error page for pages (fail).
func (s *Server) route(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBodyBytes())
		if rt.Page && !rt.Public {
			w.Header().Set("Content-Security-Policy", pageCSP)
		}
		p := &page{Now: s.now(), Form: map[string]string{}}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(rt, w, r, p, panicError{v})
			}
		}()
		if !rt.Public {
			ctx, err := s.authenticate(w, r)
			if ctx != nil {
				r = r.WithContext(ctx)
				sess, _ := sessionFrom(ctx)
				p.User, p.CSRF = arv.UserFromContext(ctx), sess.csrf
			}
			if err != nil {
				s.fail(rt, w, r, p, err)
				return
			}
			if rt.Action != "" {
				if _, err := arv.Authorize(r.Context(), rt.Action); err != nil {
					s.fail(rt, w, r, p, err)
					return
				}
			}
		}
		if unsafeMethod(r.Method) {
			if rt.Page {
				if err := r.ParseForm(); err != nil {
					s.fail(rt, w, r, p, formError(err))
					return
				}
			}
			// A change that reached the service is committed or rolled
			// back whole, whether or not the client waits for the answer.
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		var err error
		if rt.Page {
			err = rt.page(s, w, r, p)
		} else {
			err = rt.api(s, w, r)
		}
		if err != nil {
			s.fail(rt, w, r, p, err)
		}
	})
}

// fail answers a refused or failed request the way its route answers:
// the JSON error for the API; for pages, the sign-in page (or 401) when
// there is no session and the error page otherwise.
func (s *Server) fail(rt route, w http.ResponseWriter, r *http.Request, p *page, err error) {
	if rt.Page {
		s.pageError(w, r, p, err)
		return
	}
	s.writeError(w, r, err)
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

// csrfField is the form field that carries the CSRF token of a form.
const csrfField = "csrf_token"

// errCSRF refuses an unsafe request without the session's CSRF token.
var errCSRF = arv.Errorf(arv.EFORBIDDEN, "Missing or wrong CSRF token.")

// authenticate finds the session of the request's cookie and returns a
// context carrying its user and session, for API and pages alike. An
// unsafe request (any method but GET, HEAD, OPTIONS and TRACE) must carry
// the session's CSRF token, in the X-CSRF-Token header or in the
// csrf_token field of a form (csrfToken); without it the error is errCSRF and the
// context is still returned, so that the refusal can show who is signed
// in. Errors are EUNAUTHORIZED without a live session (the cookie of an
// ended one is dropped), EFORBIDDEN for the CSRF token, and the store's
// own.
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
	ctx := arv.NewContextWithUser(r.Context(), u)
	ctx = context.WithValue(ctx, sessionKey, session{token: c.Value, csrf: csrf})
	if unsafeMethod(r.Method) {
		got, err := csrfToken(r)
		if err != nil {
			return ctx, err
		}
		if got == "" || csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
			return ctx, errCSRF
		}
	}
	return ctx, nil
}

// csrfToken returns the CSRF token a request carries: the X-CSRF-Token
// header, else the csrf_token field of a form body (of a POST, PUT or
// PATCH: net/http reads no form from the body of other methods). A body
// of any other type is left unread for the handler.
func csrfToken(r *http.Request) (string, error) {
	if v := r.Header.Get(CSRFHeader); v != "" {
		return v, nil
	}
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return "", nil
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return "", nil
	}
	if err := r.ParseForm(); err != nil {
		return "", formError(err)
	}
	return r.PostForm.Get(csrfField), nil
}

// formError is the error of a form that could not be read.
func formError(err error) error {
	if e := tooLarge(err); e != nil {
		return e
	}
	return arv.Errorf(arv.EINVALID, "The form could not be read.")
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
