// Package http serves the operations server's services (arv.Services): a
// JSON API under /api/v1, with live events as Server-Sent Events, and the
// control-room pages (server-rendered html/template views in html/, with
// forms that post back).
//
// Layout: one file per resource holds its API and page handlers side by
// side (officer.go, unit.go, roster.go, incident.go, patrol.go, board.go,
// map.go, audit.go, returns.go, planning.go, session.go, user.go,
// events.go); routes.go holds the one route table and the checks every
// route goes through; page.go what the pages share (templates, render,
// the error page); error.go, decode.go and json.go what the API shares.
//
// Conventions:
//
//   - Every route, API and page, is one entry of the route table
//     (routes.go), and Routes lists them all with the permission (Action)
//     each needs; the server registers exactly these.
//   - One check for all: a route that is not public needs a signed-in
//     session (the cookie), and every unsafe request (any method but GET,
//     HEAD, OPTIONS and TRACE) must carry the session's CSRF token, in the
//     X-CSRF-Token header or in the csrf_token field of a form, either
//     for either kind of route. Then the route's Action is checked against
//     the signed-in user's role (arv.Authorize) before the handler runs.
//     Handlers make no permission checks of their own; they consult the
//     permission table only to choose which forms a page shows. The
//     services check every permission again, as defence in depth.
//   - Only how a refusal is answered differs by kind of route. The API
//     answers JSON: 401 without a session, 403 for a missing or wrong CSRF
//     token or a role that may not. A page sends a GET without a session
//     to /login?next=… (the live fragments of the board and the map get
//     401, which their script turns into the sign-in page), answers other
//     methods without a session with 401, and shows the error page, with
//     status 403, for a bad CSRF token or a role that may not, naming what
//     the role may not do.
//   - API requests and responses are JSON. Request bodies must be sent as
//     Content-Type application/json, are limited to Server.MaxBodyBytes
//     (as forms are) and are decoded strictly: unknown fields, trailing
//     data and wrong types are refused.
//   - API errors are {"code": "...", "message": "..."} with the codes of
//     the arv package mapped to HTTP statuses by one table (statusOf),
//     which the error page uses too. Internal errors are logged and reach
//     the client only as "Internal error.".
//   - Lists are wrapped in an object ({"officers": [...]}); single objects
//     are returned bare.
//   - Sign-in (POST /api/v1/login, or the form of GET /login) sets the
//     HttpOnly, SameSite=Strict session cookie "arv_session"; the API
//     returns the CSRF token and the pages put it in their forms.
//     Cross-site sign-in is refused, and failed sign-ins are rate limited
//     per username and per client address.
//   - Service calls of unsafe requests run on a context that is not
//     cancelled when the client goes away, so that a change is either
//     committed whole or not at all, whatever the client does.
package http
