// Package http serves the operations server's services (arv.Services) as
// a JSON API under /api/v1, with live events as Server-Sent Events.
//
// Conventions:
//
//   - Requests and responses are JSON. Request bodies must be sent as
//     Content-Type application/json, are limited to Server.MaxBodyBytes and
//     are decoded strictly: unknown fields, trailing data and wrong types
//     are refused.
//   - Errors are {"code": "...", "message": "..."} with the codes of the
//     arv package mapped to HTTP statuses by one table (statusOf). Internal
//     errors are logged and reach the client only as "Internal error.".
//   - Lists are wrapped in an object ({"officers": [...]}); single objects
//     are returned bare.
//   - Sign-in (POST /api/v1/login) sets the HttpOnly, SameSite=Strict
//     session cookie "arv_session" and returns a CSRF token, which every
//     unsafe request (POST, PUT, PATCH, DELETE) must echo in the
//     X-CSRF-Token header. Failed sign-ins are rate limited per username
//     and per client address.
//   - Handlers do no permission checks of their own beyond requiring a
//     session: the services check the signed-in user's role against the
//     permission table. Routes lists every route with the action it needs.
//   - Service calls of unsafe requests run on a context that is not
//     cancelled when the client goes away, so that a change is either
//     committed whole or not at all, whatever the client does.
package http
