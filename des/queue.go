package des

import (
	"math"
	"math/bits"
	"strconv"
)

// Time is simulated time in seconds since the start of the run (time 0).
//
// It is an alias of float64 rather than a named type so that durations
// drawn by the variate helpers, rates in events per second and the
// model's own arithmetic mix with it without conversions. A float64
// resolves better than a microsecond for the first 270 years of a run
// (2³³ s), and counts whole seconds exactly far beyond that (2⁵³ s).
type Time = float64

// arity is the number of children of each node of the heap. A 4-ary heap
// is half as deep as a binary one, and a node's children sit side by side
// in memory and are compared without branches, so removing the earliest
// event, which every event pays for, waits on fewer loads and
// mispredicts fewer branches. With 1,000 pending events the hold
// operation (BenchmarkQueue) took about 115 ns with a binary heap and
// branching comparisons, and about 85 ns as written.
const arity = 4

// entry is one pending event. Its key is the pair (hi, lo): hi is the bit
// pattern of its time, which for non-negative float64 values (the only
// ones a Queue holds) orders as the times do, and lo is its scheduling
// sequence number, the tie-breaker. Integer keys compare without
// branches (see less and lessBit), which matters because the outcome of a
// heap comparison is a coin toss the processor cannot predict.
type entry[E any] struct {
	hi, lo uint64
	e      E
}

// lessBit returns 1 if a is due before b and 0 otherwise, without a
// branch: the borrow out of the 128-bit subtraction a − b.
func lessBit[E any](a, b *entry[E]) int {
	_, borrow := bits.Sub64(a.lo, b.lo, 0)
	_, borrow = bits.Sub64(a.hi, b.hi, borrow)
	return int(borrow)
}

// less reports whether a is due before b: earlier time first, then
// earlier scheduling.
func less[E any](a, b *entry[E]) bool { return lessBit(a, b) != 0 }

// Queue is a future-event list: the pending events of a simulation in a
// min-heap ordered by time and then by the order in which they were
// scheduled, so that events due at the same time come out first in,
// first out and a run is deterministic.
//
// E is the model's event payload, typically a small struct of integers
// (an event kind, an entity index, a version number for lazy
// cancellation; see the package documentation). Payloads are copied in
// and out, so keep them small.
//
// The zero value is an empty queue at time 0, ready to use. Schedule and
// Next take O(log n) time for n pending events and allocate nothing once
// the queue's storage has grown to the largest number of events pending
// at once; Reset keeps that storage for the next run.
//
// A Queue is not safe for concurrent use; replications run in parallel
// each have their own.
type Queue[E any] struct {
	h   []entry[E]
	now Time
	seq uint64 // sequence number of the last event scheduled
}

// Schedule adds event e, due at time at. Events due at the same time
// come out of Next in the order they were scheduled, including events
// scheduled for the current time while it is being processed.
//
// Scheduling an event before the current time, or at NaN, is a bug in
// the model, and Schedule panics ("des: event scheduled in the past").
// Scheduling at +Inf is allowed: such an event sorts after every finite
// one, which is what "never" should do (PiecewiseRate.Next returns +Inf
// when the rate is zero everywhere); a model that runs to a horizon
// stops before reaching it.
func (q *Queue[E]) Schedule(at Time, e E) {
	if !(at >= q.now) {
		q.badTime(at)
	}
	if at == 0 {
		at = 0 // −0 has the sign bit set, which would sort it last
	}
	q.seq++
	x := entry[E]{hi: math.Float64bits(at), lo: q.seq, e: e}
	h := append(q.h, x)
	// Sift up: move parents down into the hole until x's place is found.
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / arity
		if !less(&x, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
	q.h = h
}

// badTime panics with the reason at is not a valid event time.
func (q *Queue[E]) badTime(at Time) {
	if math.IsNaN(at) {
		panic("des: event scheduled at NaN")
	}
	panic("des: event scheduled in the past (at " + formatTime(at) + " s, now " + formatTime(q.now) + " s)")
}

// formatTime formats t for messages, in as few digits as identify it.
func formatTime(t Time) string { return strconv.FormatFloat(t, 'g', -1, 64) }

// Next removes the earliest pending event, advances the current time to
// its time and returns it. When no event is pending it returns ok false,
// the current time and the zero E, and leaves the queue unchanged.
func (q *Queue[E]) Next() (at Time, e E, ok bool) {
	h := q.h
	n := len(h) - 1
	if n < 0 {
		return q.now, e, false
	}
	top := h[0]
	last := h[n]
	h[n] = entry[E]{} // drop any references the payload holds
	h = h[:n]
	q.h = h
	if n > 0 {
		// Sift down: move the earliest child up into the hole until the
		// last entry fits there.
		i := 0
		for {
			c := arity*i + 1
			var m int
			if c+arity <= n {
				// All four children exist: pick the earliest with a
				// branch-free tournament.
				k := h[c : c+arity : c+arity]
				a := lessBit(&k[1], &k[0])
				b := 2 + lessBit(&k[3], &k[2])
				m = c + a + lessBit(&k[b&3], &k[a&3])*(b-a)
			} else {
				if c >= n {
					break
				}
				m = c
				for j := c + 1; j < n; j++ {
					if less(&h[j], &h[m]) {
						m = j
					}
				}
			}
			if !less(&h[m], &last) {
				break
			}
			h[i] = h[m]
			i = m
		}
		h[i] = last
	}
	q.now = math.Float64frombits(top.hi)
	return q.now, top.e, true
}

// Peek returns the earliest pending event without removing it or
// advancing the current time; ok is false when no event is pending. A
// model running to a horizon uses it to stop before consuming the first
// event beyond it.
func (q *Queue[E]) Peek() (at Time, e E, ok bool) {
	if len(q.h) == 0 {
		return q.now, e, false
	}
	return math.Float64frombits(q.h[0].hi), q.h[0].e, true
}

// Now returns the current simulated time: the time of the event most
// recently returned by Next, or 0 for a new or reset queue.
func (q *Queue[E]) Now() Time { return q.now }

// Len returns the number of pending events.
func (q *Queue[E]) Len() int { return len(q.h) }

// Reset empties the queue and sets the current time back to 0, keeping
// its storage so that the next run allocates nothing. It takes O(n) time
// for n pending events (it clears them, so that the payloads' references,
// if any, are released).
func (q *Queue[E]) Reset() {
	clear(q.h)
	q.h = q.h[:0]
	q.now = 0
	q.seq = 0
}
