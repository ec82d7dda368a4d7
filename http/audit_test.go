package http_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

func TestAuditListQuery(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "administrator")
	w := e.do(t, req{method: "GET", path: "/api/v1/audit?after=41&entity=incident/12&limit=2", cookie: token})
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"entries":[]}` {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	if f := e.f.audFilter; f != (arv.AuditFilter{AfterSeq: 41, Entity: "incident/12", Limit: 2}) {
		t.Errorf("audit filter %+v", f)
	}
	for _, p := range []string{"/api/v1/audit?after=-1", "/api/v1/audit?limit=x", "/api/v1/audit?entity=" + strings.Repeat("a", 201)} {
		wantError(t, e.do(t, req{method: "GET", path: p, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}
