package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/postgres"
)

// dsn returns the test server's address; tests skip without it.
func dsn(tb testing.TB) string {
	d := os.Getenv("ARV_TEST_POSTGRES_DSN")
	if d == "" && os.Getenv("ARV_REQUIRE_POSTGRES") != "" {
		tb.Fatal("ARV_REQUIRE_POSTGRES is set but ARV_TEST_POSTGRES_DSN is not")
	}
	if d == "" {
		tb.Skip("set ARV_TEST_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the PostgreSQL suite; .ci/run does")
	}
	return d
}

var seq atomic.Int64

// schema returns a fresh schema name for one test, dropped afterwards.
func schema(tb testing.TB, d string) string {
	name := fmt.Sprintf("arvtest_%d_%d", os.Getpid(), seq.Add(1))
	tb.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), d, name); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

func configure(s *sqlstore.Store, cfg arvtest.Config) {
	s.Now, s.Router, s.Classify = cfg.Now, cfg.Router, cfg.Classify
	s.UrbanTarget, s.RuralTarget, s.MinComplement = cfg.Urban, cfg.Rural, cfg.Complement
	s.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
}

func open(tb testing.TB, cfg arvtest.Config) *arvtest.Backend {
	tb.Helper()
	d := dsn(tb)
	name := schema(tb, d)
	ev := inmem.NewEventService()
	db, err := postgres.Open(tb.Context(), d, name, ev)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	configure(db.Store, cfg)
	return &arvtest.Backend{Services: db.Store, DB: db.Store.Write, Verify: db.Store.Verify, Events: ev}
}

func TestConformance(t *testing.T) {
	arvtest.Run(t, open)
}

// TestTwoInstances runs two stores on one schema, as a control room and a
// regional hub would: a change committed on one reaches the other's live
// board through LISTEN/NOTIFY, and both append to one audit chain.
func TestTwoInstances(t *testing.T) {
	d := dsn(t)
	name := schema(t, d)
	clock := arvtest.NewClock(arvtest.Start)
	evA, evB := inmem.NewEventService(), inmem.NewEventService()
	a, err := postgres.Open(t.Context(), d, name, evA)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(t.Context(), d, name, evB)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, db := range []*postgres.DB{a, b} {
		configure(db.Store, arvtest.Config{Now: clock.Now, Router: arvtest.LineRouter{}, Urban: 20, Rural: 30, Complement: arv.Complement{ARVs: 1, OfficersPerARV: 2}})
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	onB := evB.Subscribe(ctx)
	onA := evA.Subscribe(ctx)

	handler := arvtest.As(t.Context(), &arv.User{Username: "handler", Role: arv.RoleCallHandler})
	const n = 20
	for i := range n {
		s := a.Store
		if i%2 == 1 {
			s = b.Store
		}
		if _, err := s.CreateIncident(handler, arv.NewIncident{Position: &arvtest.Devizes, Description: fmt.Sprintf("call %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// Every instance hears every change, in the same (commit) order.
	collect := func(ch <-chan arv.Event) []string {
		var got []string
		deadline := time.After(10 * time.Second)
		for len(got) < n {
			select {
			case e := <-ch:
				got = append(got, e.Entity)
			case <-deadline:
				t.Fatalf("heard %d of %d changes", len(got), n)
			}
		}
		return got
	}
	gotA, gotB := collect(onA), collect(onB)
	for i := range gotA {
		if gotA[i] != gotB[i] {
			t.Fatalf("event %d: instance A heard %s, B heard %s", i, gotA[i], gotB[i])
		}
	}
	rep, err := b.Store.Verify(t.Context())
	if err != nil || !rep.OK || rep.Checked != n {
		t.Fatalf("shared audit chain: %+v %v", rep, err)
	}
}
