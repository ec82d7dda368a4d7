package demo

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/sim"
	"github.com/arv-project/arv/sqlite"
	"github.com/arv-project/arv/yaml"
)

// wiltshire is the built-in Wiltshire scenario on its built-in road
// network, compiled, as arv serve loads it; loaded once.
var wiltshire = sync.OnceValues(func() (*loaded, error) {
	ctx := context.Background()
	data, _ := scenarios.Get("wiltshire")
	doc, err := yaml.ParseScenario(data, "wiltshire.yaml")
	if err != nil {
		return nil, err
	}
	s := doc.Scenario
	area, err := atlas.Lookup(s.Network.Builtin)
	if err != nil {
		return nil, err
	}
	g, err := area.Network()
	if err != nil {
		return nil, err
	}
	h, err := ch.Build(ctx, g, nil)
	if err != nil {
		return nil, err
	}
	rt := ch.NewRouter(h)
	model, err := sim.Compile(ctx, s, rt)
	if err != nil {
		return nil, err
	}
	return &loaded{scenario: s, model: model, router: rt}, nil
})

type loaded struct {
	scenario *arv.Scenario
	model    *sim.Model
	router   *ch.Router
}

func loadWiltshire(t testing.TB) *loaded {
	t.Helper()
	l, err := wiltshire()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// lockedBuffer is a bytes.Buffer safe to read while the generator logs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fixture is the Wiltshire demo force on a fresh SQLite file, configured
// as arv serve configures it, on a clock that reads noon UTC today and
// runs (the demo roster crews the ARVs from 07:00 UTC on its first day).
type fixture struct {
	*loaded
	st     *sqlstore.Store
	now    func() time.Time
	stderr *lockedBuffer
	sys    context.Context
	users  map[string]*arv.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	wall := time.Now()
	off := time.Date(wall.Year(), wall.Month(), wall.Day(), 12, 0, 0, 0, time.UTC).Sub(wall)
	f := &fixture{loaded: loadWiltshire(t), stderr: &lockedBuffer{}, sys: arv.NewContextWithUser(ctx, arv.SystemUser),
		now: func() time.Time { return time.Now().Add(off) }, users: map[string]*arv.User{}}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "arv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	// Cheap password hashing: the tests sign in, they do not measure
	// sqlstore.DefaultPasswordCost.
	st.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
	s := f.scenario
	st.Now, st.Router, st.Classify = f.now, f.router, s.UrbanClassifier(f.router.Locate)
	st.UrbanTarget, st.RuralTarget = s.Targets.UrbanMinutes, s.Targets.RuralMinutes
	st.MinComplement = arv.Complement{ARVs: s.MinimumComplement, OfficersPerARV: s.ARVs[0].Crew}
	if _, err := Seed(ctx, st, s, f.router.Locate, f.now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := SetPasswords(ctx, st); err != nil {
		t.Fatal(err)
	}
	f.loadUsers(t)
	return f
}

func (f *fixture) loadUsers(t *testing.T) {
	t.Helper()
	users, err := f.st.FindUsers(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		f.users[u.Username] = u
	}
}

// as returns a context acting as the user username.
func (f *fixture) as(username string) context.Context {
	return arv.NewContextWithUser(context.Background(), f.users[username])
}

// person adds a user who is not one the generator acts as.
func (f *fixture) person(t *testing.T, username string, role arv.Role) context.Context {
	t.Helper()
	if _, err := f.st.CreateUser(f.sys, arv.NewUser{Username: username, Name: username, Role: role, Password: arv.NewPassword()}); err != nil {
		t.Fatal(err)
	}
	f.loadUsers(t)
	return f.as(username)
}

// generator returns a generator on the fixture logging to f.stderr.
func (f *fixture) generator(t *testing.T, r Rate) *Generator {
	t.Helper()
	g, err := NewGenerator(context.Background(), f.st, f.scenario, f.model, f.router.Locate,
		Options{Rate: r, Now: f.now, Log: slog.New(slog.NewTextHandler(f.stderr, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// incident reloads incident id.
func (f *fixture) incident(t *testing.T, id int64) *arv.Incident {
	t.Helper()
	inc, err := f.st.FindIncidentByID(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}
