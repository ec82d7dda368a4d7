// Package des is a discrete-event simulation kernel: a future-event list,
// reproducible random streams, and the random variates and arrival
// processes a stochastic model draws from. It knows nothing of what is
// being simulated.
//
// # Discrete-event simulation
//
// A discrete-event simulation models a system whose state changes only at
// instants, the events: a call arrives, a vehicle sets off, a job ends.
// Between events nothing happens, so instead of ticking a clock the
// simulation jumps from one event to the next. The kernel of such a
// simulation is the future-event list, the set of events scheduled but
// not yet happened, ordered by time (A. M. Law, "Simulation Modeling and
// Analysis", 5th ed., McGraw-Hill, 2015, chapter 1; earlier editions with
// W. D. Kelton). The model's loop is
//
//	for {
//		at, e, ok := q.Next() // the clock jumps to at
//		if !ok || at > horizon {
//			break
//		}
//		// Update the state for e, and Schedule the events it causes.
//	}
//
// Queue is that list, a 4-ary min-heap of events whose payload type the
// model chooses: Schedule and Next take O(log n) time for n pending
// events and allocate nothing once the heap has grown to its working
// size. A typical payload is a small struct of integers, an event kind
// and the index of the entity it concerns; keeping pointers out of it
// keeps the heap invisible to the garbage collector.
//
// # Determinism
//
// A run is a pure function of its inputs and its seed. Events due at the
// same time come out of a Queue in the order they were scheduled (first
// in, first out), so ties never depend on the heap's layout. The package
// never reads the wall clock or the global random source: time is the
// Queue's simulated clock, and every stochastic helper takes the
// *rand.Rand (math/rand/v2) it draws from.
//
// Streams derives those generators from (seed, replication, stream
// number) through a hash, so each purpose in a model (arrivals, locations,
// service times, …) has its own stream whose sequence does not depend on
// what the other streams did. This is the scheme of P. L'Ecuyer, R.
// Simard, E. J. Chen and W. D. Kelton, "An object-oriented random-number
// package with many long streams and substreams", Operations Research
// 50(6), 2002, with hashing standing in for their jump-ahead. Two
// scenarios run with the same seed then see the same arrivals at the same
// places needing the same work, and differ only where their policies
// differ: the common-random-numbers technique, which can shrink the
// variance of the estimated difference between them by orders of
// magnitude (Law, chapter 11, "Variance-reduction techniques"). For this
// to work, draw each random quantity from its purpose's stream at a
// moment that does not depend on the policy (when the incident arises,
// not when a vehicle reaches it). The variate helpers and
// PiecewiseRate.Next help by taking the same numbers from their stream
// whatever their parameters.
//
// # Cancelling events
//
// A Queue has no cancel operation: finding an event inside a heap costs
// either a search or an index kept up to date on every move. Models
// cancel lazily instead. Each entity whose pending event may be
// overtaken (a vehicle whose journey is cut short by a new task) carries
// a version counter; the event records the version current when it was
// scheduled; cancelling or rescheduling increments the counter; and the
// model ignores an event whose version no longer matches. A stale event
// costs one Next when its time comes, and nothing allocates:
//
//	type event struct {
//		kind    uint8
//		vehicle int32
//		version uint32
//	}
//
//	// arrive schedules vehicle v's arrival, superseding any earlier one.
//	func (m *model) arrive(v int32, at des.Time) {
//		m.version[v]++
//		m.q.Schedule(at, event{kind: arrival, vehicle: v, version: m.version[v]})
//	}
//
//	// In the event loop:
//	if e.version != m.version[e.vehicle] {
//		continue // superseded
//	}
//
// The example for Queue runs this pattern.
//
// # Arrivals and variates
//
// PiecewiseRate is a non-homogeneous Poisson process whose rate is
// constant over each step of a repeating period, such as 168 hourly rates
// for a week. Next draws the next arrival exactly by inverting the
// integrated rate, with one exponential variate per arrival, in O(log n)
// time for n steps at worst. Thinning (P. A. W. Lewis and G. S. Shedler,
// "Simulation of nonhomogeneous Poisson processes by thinning", Naval
// Research Logistics Quarterly 26(3), 1979) handles any bounded rate
// function but rejects a share of its candidates that depends on the
// rates, which wastes draws and breaks the step-by-step consumption of
// streams that common random numbers rely on; a piecewise-constant table
// needs neither.
//
// Exponential, Lognormal (by mean and standard deviation), Uniform and
// Triangular draw single values, in whatever unit the caller's parameters
// are in. They return NaN for invalid parameters rather than panic.
//
// # Panics
//
// Queue.Schedule panics when asked to schedule an event before the
// current time or at NaN: that is a bug in the model, not bad input, and
// continuing would silently reorder history. Nothing else in the package
// panics, other than on a nil *rand.Rand: NewPiecewiseRate returns an
// error for invalid input, and the variates return NaN.
package des
