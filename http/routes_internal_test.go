package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// oneSession knows one session, "token", of an administrator, whose CSRF
// token is "csrf"; every other method of arv.Services panics.
type oneSession struct{ arv.Services }

func (oneSession) FindSession(ctx context.Context, token string) (*arv.User, string, error) {
	if token != "token" {
		return nil, "", arv.Errorf(arv.EUNAUTHORIZED, "Session not found.")
	}
	return &arv.User{ID: 1, Username: "admin", Name: "Admin", Role: arv.RoleAdministrator}, "csrf", nil
}

// TestUnsafeMethodsNeedCSRF checks that the route wrapper asks for the
// CSRF token on every unsafe method, for pages as for the API: no page
// is routed for PUT, PATCH or DELETE today, so the routes here are made
// up for the test.
func TestUnsafeMethodsNeedCSRF(t *testing.T) {
	s := NewServer()
	s.Services = oneSession{}
	for _, kind := range []string{"page", "api"} {
		for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
			ran := 0
			rt := route{Route: Route{Method: method, Pattern: "/test", Action: arv.ActionViewOperations}}
			if kind == "page" {
				rt.Page = true
				rt.page = func(s *Server, w http.ResponseWriter, r *http.Request, p *page) error {
					ran++
					if method != "DELETE" && r.PostForm.Get("note") != "kept" {
						t.Errorf("%s %s: form %v", kind, method, r.PostForm)
					}
					http.Redirect(w, r, "/board", http.StatusSeeOther)
					return nil
				}
			} else {
				rt.api = func(s *Server, w http.ResponseWriter, r *http.Request) error {
					ran++
					w.WriteHeader(http.StatusNoContent)
					return nil
				}
			}
			h := s.route(rt)
			do := func(formToken, headerToken string) *httptest.ResponseRecorder {
				body := url.Values{"note": {"kept"}}
				if formToken != "" {
					body.Set("csrf_token", formToken)
				}
				r := httptest.NewRequest(method, "/test", strings.NewReader(body.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.AddCookie(&http.Cookie{Name: SessionCookie, Value: "token"})
				if headerToken != "" {
					r.Header.Set(CSRFHeader, headerToken)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w
			}
			bads := [][2]string{{"", ""}, {"wrong", ""}, {"", "wrong"}, {"csr", ""}}
			goods := [][2]string{{"csrf", ""}, {"", "csrf"}}
			if method == "DELETE" {
				// net/http reads no form from a DELETE's body: the
				// token must come in the header.
				bads = append(bads, goods[0])
				goods = goods[1:]
			}
			for _, bad := range bads {
				w := do(bad[0], bad[1])
				if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Missing or wrong CSRF token.") {
					t.Errorf("%s %s with form token %q, header %q: %d %s", kind, method, bad[0], bad[1], w.Code, w.Body)
				}
				wantType := "application/json"
				if kind == "page" {
					wantType = "text/html"
				}
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
					t.Errorf("%s %s refused as %q, want %s", kind, method, ct, wantType)
				}
			}
			if ran != 0 {
				t.Errorf("%s %s: the handler ran %d times without the token", kind, method, ran)
			}
			for _, good := range goods {
				if w := do(good[0], good[1]); w.Code >= 400 {
					t.Errorf("%s %s with form token %q, header %q: %d %s", kind, method, good[0], good[1], w.Code, w.Body)
				}
			}
			if ran != len(goods) {
				t.Errorf("%s %s: the handler ran %d times with the token, want %d", kind, method, ran, len(goods))
			}
		}
	}
}
