package http_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{arv.Errorf(arv.EINVALID, "Bad."), 400, arv.EINVALID},
		{arv.Errorf(arv.EUNAUTHORIZED, "Who?"), 401, arv.EUNAUTHORIZED},
		{arv.Errorf(arv.EFORBIDDEN, "No."), 403, arv.EFORBIDDEN},
		{arv.Errorf(arv.ENOTFOUND, "Incident 9 not found."), 404, arv.ENOTFOUND},
		{arv.Errorf(arv.ECONFLICT, "Taken."), 409, arv.ECONFLICT},
		{arv.Errorf(arv.ERATELIMITED, "Slow down."), 429, arv.ERATELIMITED},
		{arv.Errorf(arv.ETOOLARGE, "Too big."), 413, arv.ETOOLARGE},
		{arv.Errorf(arv.ENOTIMPLEMENTED, "Not yet."), 501, arv.ENOTIMPLEMENTED},
		{arv.Errorf(arv.EINTERNAL, "Boom."), 500, arv.EINTERNAL},
		{arv.Errorf("strange", "Odd."), 500, arv.EINTERNAL},
		{errors.New("pq: password authentication failed for secret-host"), 500, arv.EINTERNAL},
	}
	e := newEnv(t)
	token, _ := e.login(t, "call_handler")
	for _, tc := range cases {
		t.Run(tc.err.Error(), func(t *testing.T) {
			e.f.err = tc.err
			w := e.do(t, req{method: "GET", path: "/api/v1/incidents/9", cookie: token})
			er := wantError(t, w, tc.status, tc.code)
			if tc.code == arv.EINTERNAL {
				if er.Message != "Internal error." {
					t.Errorf("internal message %q", er.Message)
				}
			} else if er.Message != arv.ErrorMessage(tc.err) {
				t.Errorf("message %q, want %q", er.Message, arv.ErrorMessage(tc.err))
			}
		})
	}
	log := e.log.String()
	if !strings.Contains(log, "secret-host") || !strings.Contains(log, "method=GET") || !strings.Contains(log, "path=/api/v1/incidents/9") {
		t.Errorf("internal error not logged with method and path:\n%s", log)
	}
}
