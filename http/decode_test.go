package http_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

func TestStrictDecoding(t *testing.T) {
	e := newEnv(t, func(s *arvhttp.Server) { s.MaxBodyBytes = 1024 })
	token, csrf := e.login(t, "administrator")
	post := func(body, contentType string) *httptest.ResponseRecorder {
		return e.do(t, req{method: "POST", path: "/api/v1/officers", body: body, contentType: contentType, cookie: token, csrf: csrf})
	}
	good := `{"collar":"1234","name":"PC Smith","rank":"PC","team":2}`
	if w := post(good, "application/json; charset=utf-8"); w.Code != http.StatusCreated {
		t.Fatalf("good body: %d %s", w.Code, w.Body)
	}
	cases := []struct {
		name, body, contentType string
		status                  int
		code, message           string
	}{
		{"unknown field", `{"collar":"1","name":"A","colar":"2"}`, "", 400, arv.EINVALID, `Unknown field "colar".`},
		{"trailing value", good + `{}`, "", 400, arv.EINVALID, "Request body has data after the JSON value."},
		{"trailing garbage", good + ` x`, "", 400, arv.EINVALID, "Request body has data after the JSON value."},
		{"syntax", `{"collar":}`, "", 400, arv.EINVALID, ""},
		{"truncated", `{"collar":"1"`, "", 400, arv.EINVALID, ""},
		{"empty", ``, "", 400, arv.EINVALID, ""},
		{"wrong type", `{"collar":"1","name":"A","team":"two"}`, "", 400, arv.EINVALID, `Field "team" must be an integer, not string.`},
		{"array", `[1,2]`, "", 400, arv.EINVALID, ""},
		{"not JSON type", good, "text/plain", 415, arv.EINVALID, ""},
		{"form", "collar=1", "application/x-www-form-urlencoded", 415, arv.EINVALID, ""},
		{"too large", `{"collar":"1","name":"` + strings.Repeat("a", 2000) + `"}`, "", 413, arv.ETOOLARGE, "Request body is larger than 1024 bytes."},
		{"too large after value", good + strings.Repeat(" ", 2000), "", 413, arv.ETOOLARGE, ""},
		{"invalid per service", `{"collar":"","name":"A"}`, "", 400, arv.EINVALID, "Collar number must be 1 to 32 characters."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rq := req{method: "POST", path: "/api/v1/officers", body: tc.body, contentType: tc.contentType, cookie: token, csrf: csrf}
			if tc.body == "" {
				rq.contentType = "application/json"
			}
			er := wantError(t, e.do(t, rq), tc.status, tc.code)
			if tc.message != "" && er.Message != tc.message {
				t.Errorf("message %q, want %q", er.Message, tc.message)
			}
		})
	}
}

// newDecodeTargets returns fresh values of every request type.
func newDecodeTargets() []any {
	return []any{
		new(arvhttp.LoginRequest), new(arv.NewUser), new(arv.NewOfficer), new(arv.NewAccreditation),
		new(arvhttp.FitnessRequest), new(arv.NewUnit), new(arv.StatusReport), new(arv.NewShift),
		new(arv.RosterAssignment), new(arv.NewIncident), new(arv.DecisionRequest),
		new(arv.RatificationRequest), new(arvhttp.UnitRequest), new(arvhttp.ReleaseRequest),
		new(arv.StandDown), new(arv.SelfDeployment), new(arv.NewPatrolPlan),
	}
}

func decodeBytes(body []byte, v any) error {
	r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, arvhttp.DefaultMaxBodyBytes)
	return arvhttp.Decode(r, v)
}

// FuzzDecode checks the strict decoder never panics, returns only
// invalid or too_large errors, and that any value it accepts encodes and
// decodes again to the same encoding.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"username":"admin","password":"correct horse battery"}`,
		`{"collar":"1234","name":"PC Smith","rank":"PC","team":2}`,
		`{"kind":"AFO","issued":"2025-01-01","expires":"2026-01-01"}`,
		`{"taken":"2025-06-01","passed":true,"note":"bleep test 9.4"}`,
		`{"call_sign":"ZULU1","base":"Devizes","position":{"lat":51.35,"lon":-1.99}}`,
		`{"status":"on_scene","position":{"Lat":51.3,"Lon":-1.9}}`,
		`{"name":"Days","start":"2026-11-05T07:00:00Z","end":"2026-11-05T17:00:00+01:00"}`,
		`{"call_at":"2026-11-05T14:00:00.123456789Z","place":"Swindon","description":"man with a knife","indicators":{"bladed_weapon":true,"casualties":1}}`,
		`{"authorised":true,"limb":"weapon_access","ndm":{"information":"a","threat":"b","powers_and_policy":"c","options":"d","action_and_review":"e"},"tactics":"contain"}`,
		`{"ratify":false,"rationale":"no longer"}`,
		`{"unit_id":3}`, `{"reason":"reassigned"}`,
		`{"unit_id":1,"position":{"lat":1e2,"lon":-0},"description":"x","reason":"\u00e9\ud83d\ude00"}`,
		`{"site":"Porton","position":{"lat":51.1,"lon":-1.7},"start":"08:00","hours_per_day":1.5e0,"check_in_minutes":30}`,
		`null`, `{}`, `[]`, `"x"`, `{"a":1}`, `{"unit_id":1}{}`, "{\"reason\":\"\xff\"}", `{"unit_id":1e3}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range newDecodeTargets() {
			err := decodeBytes(body, v)
			if err != nil {
				if c := arv.ErrorCode(err); c != arv.EINVALID && c != arv.ETOOLARGE {
					t.Fatalf("%T: error code %q: %v", v, c, err)
				}
				continue
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T: accepted %q but cannot encode it: %v", v, body, err)
			}
			again := newLike(v)
			if err := decodeBytes(out, again); err != nil {
				t.Fatalf("%T: re-encoding %s of accepted %q is refused: %v", v, out, body, err)
			}
			out2, err := json.Marshal(again)
			if err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("%T: round trip differs: %s then %s (%v)", v, out, out2, err)
			}
		}
	})
}

// newLike returns a fresh value of the type v points to.
func newLike(v any) any { return reflect.New(reflect.TypeOf(v).Elem()).Interface() }
