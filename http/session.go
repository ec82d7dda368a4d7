package http

import (
	"cmp"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// Sessions: sign-in, sign-out and the signed-in user, for the API and the
// pages, which share the rate limits and the cookie.

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// SessionResponse answers sign-in and GET /api/v1/me: the user and the
// CSRF token to send in the X-CSRF-Token header of unsafe requests.
type SessionResponse struct {
	User      *arv.User `json:"user"`
	CSRFToken string    `json:"csrf_token"`
}

// handleLogin checks a username and password, subject to the rate limits,
// and starts a session.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	if err := crossSite(r); err != nil {
		return err
	}
	var req LoginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, csrf, err := s.signIn(w, r, req.Username, req.Password)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, SessionResponse{User: u, CSRFToken: csrf})
	return nil
}

// handleLogout ends the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	sess, _ := sessionFrom(r.Context())
	if err := s.Services.DeleteSession(r.Context(), sess.token); err != nil {
		return err
	}
	s.clearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleMe returns the signed-in user and the session's CSRF token.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	sess, _ := sessionFrom(r.Context())
	s.writeJSON(w, r, http.StatusOK, SessionResponse{User: arv.UserFromContext(r.Context()), CSRFToken: sess.csrf})
	return nil
}

// pageLogin shows the sign-in form.
func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request, p *page) error {
	p.Title = "Sign in"
	p.Form["next"] = r.URL.Query().Get("next")
	s.render(w, r, "login", http.StatusOK, p)
	return nil
}

// pageLoginPost signs in through the same checks as the API and goes on
// to the page asked for (next), the board by default. A refusal shows
// the sign-in form again with the reason.
func (s *Server) pageLoginPost(w http.ResponseWriter, r *http.Request, p *page) error {
	p.Title = "Sign in"
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	next := cmp.Or(r.PostForm.Get("next"), r.URL.Query().Get("next"))
	p.Form["username"], p.Form["next"] = username, next
	err := crossSite(r)
	if err == nil {
		_, _, err = s.signIn(w, r, username, password)
	}
	if err != nil {
		p.Error = arv.ErrorMessage(err)
		status, ok := statusOf[arv.ErrorCode(err)]
		if !ok {
			status = http.StatusInternalServerError
		}
		s.render(w, r, "login", status, p)
		return nil
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/board"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// pageLogout ends the session and shows the sign-in page.
func (s *Server) pageLogout(w http.ResponseWriter, r *http.Request, p *page) error {
	sess, _ := sessionFrom(r.Context())
	if err := s.Services.DeleteSession(r.Context(), sess.token); err != nil {
		return err
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// crossSite refuses a cross-site sign-in (login CSRF): the session cookie
// is SameSite=Strict and sign-in needs no CSRF token, so it is judged by
// the Origin header, or by Sec-Fetch-Site where the browser sends no
// Origin.
func crossSite(r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) || r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return arv.Errorf(arv.EFORBIDDEN, "Sign-in from another site is refused.")
	}
	return nil
}

// clearCookie tells the client to drop the session cookie.
func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.Secure,
		SameSite: http.SameSiteStrictMode,
	})
}

// sameOrigin reports whether the Origin header names the request's Host
// (hostname and port, a missing port meaning the scheme's default).
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	def := "80"
	if u.Scheme == "https" {
		def = "443"
	}
	oh, op := splitHost(u.Host, def)
	hh, hp := splitHost(host, def)
	return strings.EqualFold(oh, hh) && op == hp
}

// splitHost splits host[:port], giving def when there is no port.
func splitHost(hostport, def string) (host, port string) {
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return strings.Trim(hostport, "[]"), def
	}
	return h, p
}

// clientIP returns the host of the request's remote address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// signIn checks a username and password subject to the rate limits,
// replaces any session the client had with a new one and sets its cookie.
// The API and the sign-in page share it.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, username, password string) (*arv.User, string, error) {
	req := LoginRequest{Username: username, Password: password}
	user, ip := strings.ToLower(req.Username), clientIP(r)
	now := s.now()
	if wait := s.limiter.wait(user, ip, now); wait > 0 {
		mins := int((wait + time.Minute - 1) / time.Minute)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		unit := "minutes"
		if mins == 1 {
			unit = "minute"
		}
		return nil, "", arv.Errorf(arv.ERATELIMITED, "Too many failed sign-ins; try again in %d %s.", mins, unit)
	}
	u, err := s.Services.Authenticate(r.Context(), req.Username, req.Password)
	if err != nil {
		if arv.ErrorCode(err) == arv.EUNAUTHORIZED {
			s.limiter.fail(user, ip, now)
		}
		return nil, "", err
	}
	s.limiter.succeed(user)

	// A new session replaces any the client had.
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.Services.DeleteSession(r.Context(), c.Value); err != nil && arv.ErrorCode(err) == arv.EINTERNAL {
			s.logger().Warn("delete previous session", "err", err)
		}
	}
	ttl := s.sessionTTL()
	token, csrf, err := s.Services.CreateSession(r.Context(), u.ID, ttl)
	if err != nil {
		return nil, "", err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  now.Add(ttl),
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		Secure:   s.Secure,
		SameSite: http.SameSiteStrictMode,
	})
	return u, csrf, nil
}
