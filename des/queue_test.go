package des

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// drain pops every pending event, returning the times and payloads in
// the order Next gave them.
func drain[E any](q *Queue[E]) (times []Time, es []E) {
	for {
		at, e, ok := q.Next()
		if !ok {
			return times, es
		}
		times = append(times, at)
		es = append(es, e)
	}
}

func TestQueueOrder(t *testing.T) {
	cases := []struct {
		name  string
		times []Time // scheduling order; the payload is the index
		want  []int  // payloads in the order Next must return them
	}{
		{"Empty", nil, nil},
		{"One", []Time{5}, []int{0}},
		{"Sorted", []Time{1, 2, 3}, []int{0, 1, 2}},
		{"Reversed", []Time{3, 2, 1}, []int{2, 1, 0}},
		{"TiesFIFO", []Time{7, 7, 7, 7, 7, 7}, []int{0, 1, 2, 3, 4, 5}},
		{"TiesAmongOthers", []Time{2, 1, 2, 0, 1, 2, 0}, []int{3, 6, 1, 4, 0, 2, 5}},
		{"Zero", []Time{0, 0, 1, 0}, []int{0, 1, 3, 2}},
		{"NegativeZero", []Time{1, math.Copysign(0, -1), 0}, []int{1, 2, 0}},
		{"Inf", []Time{math.Inf(1), 1e300, math.Inf(1), 0}, []int{3, 1, 0, 2}},
		{"Subnormal", []Time{5e-324, 0, 1e-300}, []int{1, 0, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var q Queue[int]
			for i, at := range tc.times {
				q.Schedule(at, i)
			}
			if got, want := q.Len(), len(tc.times); got != want {
				t.Fatalf("Len=%d, want %d", got, want)
			}
			times, got := drain(&q)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("order=%v, want %v", got, tc.want)
			}
			for i, e := range got {
				if want := tc.times[e] + 0; times[i] != want || math.Signbit(times[i]) {
					t.Errorf("event %d came out at %v, want %v", e, times[i], want)
				}
			}
		})
	}
}

func TestQueueNow(t *testing.T) {
	var q Queue[string]
	if got := q.Now(); got != 0 {
		t.Fatalf("new queue: Now=%v, want 0", got)
	}
	q.Schedule(10, "b")
	q.Schedule(4, "a")
	if at, e, ok := q.Peek(); !ok || at != 4 || e != "a" {
		t.Fatalf("Peek=(%v, %q, %v), want (4, a, true)", at, e, ok)
	}
	if got := q.Now(); got != 0 {
		t.Fatalf("after Peek: Now=%v, want 0", got)
	}
	if at, e, ok := q.Next(); !ok || at != 4 || e != "a" || q.Now() != 4 {
		t.Fatalf("Next=(%v, %q, %v), Now=%v, want (4, a, true), 4", at, e, ok, q.Now())
	}
	// An event scheduled for the current time while it is processed comes
	// after those already due then, and before later ones.
	q.Schedule(4, "c")
	q.Schedule(q.Now(), "d")
	for _, want := range []struct {
		at Time
		e  string
	}{{4, "c"}, {4, "d"}, {10, "b"}} {
		if at, e, ok := q.Next(); !ok || at != want.at || e != want.e || q.Now() != want.at {
			t.Fatalf("Next=(%v, %q, %v), Now=%v, want (%v, %q, true)", at, e, ok, q.Now(), want.at, want.e)
		}
	}
	// Empty: Next and Peek report nothing and leave the clock alone.
	if at, e, ok := q.Next(); ok || at != 10 || e != "" || q.Now() != 10 {
		t.Fatalf("empty Next=(%v, %q, %v), Now=%v, want (10, \"\", false), 10", at, e, ok, q.Now())
	}
	if at, _, ok := q.Peek(); ok || at != 10 {
		t.Fatalf("empty Peek=(%v, %v), want (10, false)", at, ok)
	}
}

func TestQueueReset(t *testing.T) {
	var q Queue[*int] // a pointer payload, to see Reset release it
	for i := range 100 {
		q.Schedule(Time(i), new(int))
	}
	for range 50 {
		q.Next()
	}
	c := cap(q.h)
	q.Reset()
	if q.Len() != 0 || q.Now() != 0 {
		t.Fatalf("after Reset: Len=%d, Now=%v, want 0, 0", q.Len(), q.Now())
	}
	if cap(q.h) != c {
		t.Errorf("Reset changed the capacity from %d to %d", c, cap(q.h))
	}
	for i, x := range q.h[:c] {
		if x.e != nil {
			t.Fatalf("slot %d still holds its payload after Reset", i)
		}
	}
	// The clock is back at 0, so early times are accepted again, and ties
	// are FIFO from a fresh count.
	q.Schedule(1, nil)
	a := new(int)
	q.Schedule(0, a)
	if at, e, ok := q.Next(); !ok || at != 0 || e != a {
		t.Fatalf("Next=(%v, %p, %v), want (0, %p, true)", at, e, ok, a)
	}
}

func TestQueueNextReleasesPayload(t *testing.T) {
	var q Queue[*int]
	for i := range 10 {
		q.Schedule(Time(i), new(int))
	}
	q.Next()
	if x := q.h[:cap(q.h)][q.Len()]; x.e != nil {
		t.Fatal("the slot Next vacated still holds a payload")
	}
}

func TestQueueSchedulePanics(t *testing.T) {
	cases := []struct {
		name string
		at   Time
		want string
	}{
		{"Past", 4.5, "des: event scheduled in the past (at 4.5 s, now 5 s)"},
		{"JustBefore", math.Nextafter(5, 0), "des: event scheduled in the past"},
		{"MinusInf", math.Inf(-1), "des: event scheduled in the past"},
		{"NaN", math.NaN(), "des: event scheduled at NaN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var q Queue[int]
			q.Schedule(5, 0)
			q.Next() // Now = 5
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, tc.want) {
					t.Fatalf("panic %q, want %q", msg, tc.want)
				}
				if q.Len() != 0 || q.Now() != 5 {
					t.Fatalf("after the panic: Len=%d, Now=%v, want 0, 5", q.Len(), q.Now())
				}
			}()
			q.Schedule(tc.at, 1)
		})
	}
}

// refEvent is an event of the reference queue.
type refEvent struct {
	at Time
	id int
}

func compareRef(a, b refEvent) int {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.id, b.id))
}

// TestQueueRandom checks the queue against a sorted slice on 100,000
// events with many ties, scheduled all at once and interleaved with Next
// the way a simulation does.
func TestQueueRandom(t *testing.T) {
	const n = 100_000
	// randTime returns a time at or after now: often now itself or a
	// whole number of seconds later, so that ties are common, and
	// otherwise exponential.
	randTime := func(r *rand.Rand, now Time) Time {
		switch r.IntN(4) {
		case 0:
			return now
		case 1:
			return now + Time(r.IntN(10))
		default:
			return now + r.ExpFloat64()*100
		}
	}

	t.Run("Batch", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 1))
		var q Queue[int]
		ref := make([]refEvent, n)
		for i := range ref {
			ref[i] = refEvent{randTime(r, 0), i}
			q.Schedule(ref[i].at, i)
		}
		slices.SortFunc(ref, compareRef)
		times, ids := drain(&q)
		if len(ids) != n {
			t.Fatalf("drained %d events, want %d", len(ids), n)
		}
		for i, want := range ref {
			if times[i] != want.at || ids[i] != want.id {
				t.Fatalf("event %d: (%v, %d), want (%v, %d)", i, times[i], ids[i], want.at, want.id)
			}
		}
	})

	t.Run("Interleaved", func(t *testing.T) {
		r := rand.New(rand.NewPCG(2, 2))
		var q Queue[int]
		var ref []refEvent // pending events, sorted
		scheduled, popped, maxLen := 0, 0, 0
		for scheduled < n || len(ref) > 0 {
			// While events remain to be scheduled, schedule with
			// probability 0.6 below 1,000 pending and 0.4 above, so the
			// queue hovers around the size of a typical simulation's
			// (about 1,000); then drain it.
			p := 0.6
			if len(ref) > 1000 {
				p = 0.4
			}
			if scheduled < n && (len(ref) == 0 || r.Float64() < p) {
				x := refEvent{randTime(r, q.Now()), scheduled}
				scheduled++
				q.Schedule(x.at, x.id)
				i, _ := slices.BinarySearchFunc(ref, x, compareRef)
				ref = slices.Insert(ref, i, x)
				maxLen = max(maxLen, len(ref))
				continue
			}
			at, id, ok := q.Next()
			want := ref[0]
			ref = ref[1:]
			if !ok || at != want.at || id != want.id || q.Now() != at {
				t.Fatalf("pop %d: (%v, %d, %v), Now=%v, want (%v, %d, true)", popped, at, id, ok, q.Now(), want.at, want.id)
			}
			popped++
			if q.Len() != len(ref) {
				t.Fatalf("Len=%d, want %d", q.Len(), len(ref))
			}
		}
		if _, _, ok := q.Next(); ok {
			t.Fatal("queue not empty after every event was popped")
		}
		t.Logf("%d events, up to %d pending", popped, maxLen)
	})
}

// TestQueueAllocs checks that a warm queue allocates nothing per event,
// and that Reset keeps the storage for the next run.
func TestQueueAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	var q Queue[benchEvent]
	for i := range 1000 {
		q.Schedule(r.ExpFloat64()*1000, benchEvent{unit: int32(i)})
	}
	if a := testing.AllocsPerRun(1000, func() {
		at, e, _ := q.Next()
		q.Schedule(at+r.ExpFloat64()*1000, e)
	}); a != 0 {
		t.Errorf("Schedule+Next: %v allocations per event, want 0", a)
	}
	if a := testing.AllocsPerRun(10, func() {
		q.Reset()
		for i := range 1000 {
			q.Schedule(Time(i), benchEvent{})
		}
	}); a != 0 {
		t.Errorf("Reset and refill: %v allocations, want 0", a)
	}
}
