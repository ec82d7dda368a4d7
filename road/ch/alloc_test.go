package ch

import (
	"math/rand/v2"
	"testing"

	"github.com/arv-project/arv/internal/fixtures"
)

// TestQueryAllocs checks that queries allocate nothing once warm: point-to-
// point times between nodes and between snapped positions, and one-to-all
// sweeps into a caller's buffer (the 0 allocations per query).
func TestQueryAllocs(t *testing.T) {
	h := hierarchy(t, fixtures.Delaware)
	g := h.Road
	q := NewQuery(h)
	r := rand.New(rand.NewPCG(5, 5))
	pairs := randomPairs(g, 64)
	snaps := tableSnaps(g, 64, 9)
	for _, p := range pairs { // warm up: grow the heaps
		q.NodeTime(p[0], p[1])
	}
	for i := range snaps {
		q.Time(snaps[i], snaps[(i+1)%len(snaps)])
	}
	dst := q.OneToAll(snaps[0], nil)
	i := 0
	if a := testing.AllocsPerRun(500, func() {
		p := pairs[r.IntN(len(pairs))]
		q.NodeTime(p[0], p[1])
	}); a != 0 {
		t.Errorf("NodeTime: %v allocations per query, want 0", a)
	}
	if a := testing.AllocsPerRun(500, func() {
		q.Time(snaps[i%len(snaps)], snaps[(i+7)%len(snaps)])
		i++
	}); a != 0 {
		t.Errorf("Time: %v allocations per query, want 0", a)
	}
	if a := testing.AllocsPerRun(50, func() {
		dst = q.OneToAll(snaps[i%len(snaps)], dst)
		i++
	}); a != 0 {
		t.Errorf("OneToAll: %v allocations per query, want 0", a)
	}
}
