package http_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func TestRosterQuery(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "planner")
	w := e.do(t, req{method: "GET", path: "/api/v1/roster", cookie: token})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	now := e.clock.Now()
	if got := e.f.rosterArg; !got[0].Equal(now) || !got[1].Equal(now.AddDate(0, 0, 28)) {
		t.Errorf("default range %v, want %v + 28 days", got, now)
	}
	var resp struct {
		Complement arv.Complement    `json:"complement"`
		Shifts     []json.RawMessage `json:"shifts"`
		Gaps       []json.RawMessage `json:"gaps"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Complement.ARVs != 2 || resp.Shifts == nil || resp.Gaps == nil {
		t.Errorf("roster: %s", w.Body)
	}

	e.do(t, req{method: "GET", path: "/api/v1/roster?from=2026-12-01&days=7", cookie: token})
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if got := e.f.rosterArg; !got[0].Equal(from) || !got[1].Equal(from.AddDate(0, 0, 7)) {
		t.Errorf("range %v", got)
	}
	for _, q := range []string{"days=93", "days=0", "days=x", "from=tomorrow"} {
		wantError(t, e.do(t, req{method: "GET", path: "/api/v1/roster?" + q, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}
