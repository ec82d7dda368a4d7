package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/sqlite"
)

// open opens a fresh database file for one test.
func open(tb testing.TB, cfg arvtest.Config) *arvtest.Backend {
	tb.Helper()
	s, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "arv.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	configure(s, cfg)
	ev := inmem.NewEventService()
	s.Events = ev
	return &arvtest.Backend{Services: s, DB: s.Write, Verify: s.Verify, Events: ev}
}

func configure(s *sqlstore.Store, cfg arvtest.Config) {
	s.Now, s.Router, s.Classify = cfg.Now, cfg.Router, cfg.Classify
	s.UrbanTarget, s.RuralTarget, s.MinComplement = cfg.Urban, cfg.Rural, cfg.Complement
	// Tests hash passwords cheaply; the production cost is
	// sqlstore.DefaultPasswordCost.
	s.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
}

func TestConformance(t *testing.T) {
	arvtest.Run(t, open)
}
