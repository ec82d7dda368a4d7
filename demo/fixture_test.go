package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/sim"
	"github.com/arv-project/arv/sqlite"
)

// wiltshire is the built-in Wiltshire scenario on its built-in road
// network, compiled, as arv serve loads it; loaded once.
var wiltshire = sync.OnceValues(func() (*loaded, error) {
	ls, err := load.Scenario(context.Background(), "wiltshire", nil)
	if err != nil {
		return nil, err
	}
	return &loaded{scenario: ls.Scenario, model: ls.Model, router: ls.Router}, nil
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

// fixture is the Wiltshire demo force on a fresh SQLite file, configured
// as arv serve configures it, on a clock that reads noon UTC today and
// runs.
type fixture struct {
	*loaded
	st     *sqlstore.Store
	now    func() time.Time
	stderr *arvtest.Buffer
	sys    context.Context
	users  map[string]*arv.User
}

// seededDB is a database file with the Wiltshire demo force seeded today
// and the demo users' passwords set, made once: seeding is the slow part
// of a fixture (seconds under the race detector), so each fixture opens a
// copy.
var seededDB = sync.OnceValues(func() (string, error) {
	l, err := wiltshire()
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	path := filepath.Join(tempDir, "seeded.db")
	st, err := openStore(ctx, l, path, noonToday())
	if err != nil {
		return "", err
	}
	_, err = Seed(ctx, st, l.scenario, l.router.Locate, st.Now(), io.Discard)
	if err == nil {
		_, err = SetPasswords(ctx, st)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return path, err
})

// tempDir holds seededDB.
var tempDir string

func TestMain(m *testing.M) {
	var err error
	if tempDir, err = os.MkdirTemp("", "arv-demo-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tempDir)
	os.Exit(code)
}

// noonToday returns a clock that reads noon UTC today and runs (the demo
// roster crews the ARVs from 07:00 UTC on its first day).
func noonToday() func() time.Time {
	wall := time.Now()
	off := time.Date(wall.Year(), wall.Month(), wall.Day(), 12, 0, 0, 0, time.UTC).Sub(wall)
	return func() time.Time { return time.Now().Add(off) }
}

// openStore opens the SQLite file at path configured as arv serve
// configures its store for the scenario, on the clock now.
func openStore(ctx context.Context, l *loaded, path string, now func() time.Time) (*sqlstore.Store, error) {
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s := l.scenario
	st.Now, st.Router, st.Classify = now, l.router, s.UrbanClassifier(l.router.Locate)
	st.UrbanTarget, st.RuralTarget = s.Targets.UrbanMinutes, s.Targets.RuralMinutes
	st.MinComplement = arv.Complement{ARVs: s.MinimumComplement, OfficersPerARV: s.ARVs[0].Crew}
	// Cheap password hashing: the tests sign in, they do not measure
	// sqlstore.DefaultPasswordCost.
	st.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
	return st, nil
}

// newFixture opens a copy of the seeded database.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	seeded, err := seededDB()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(seeded)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "arv.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fixture{loaded: loadWiltshire(t), stderr: &arvtest.Buffer{}, now: noonToday(),
		sys: arv.NewContextWithUser(context.Background(), arv.SystemUser), users: map[string]*arv.User{}}
	if f.st, err = openStore(context.Background(), f.loaded, path, f.now); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
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
	if _, err := f.st.CreateUser(f.sys, arv.NewUser{Username: username, Name: username, Role: role, Password: arv.NewPassword(), OfficerID: f.commandOfficer(t, username, role)}); err != nil {
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
