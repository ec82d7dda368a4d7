package locate

// An engine holds a current solution (units per candidate) with the
// per-demand state and the move tables of the fast interchange: for every
// candidate a the gain of adding a unit there, for every open candidate r
// the loss of removing one of its units, and for every pair the extra
// that corrects gain[a] − loss[r] where the two interact. The change of
// the objective from moving a unit from r to a is then
//
//	delta(r, a) = gain[a] − loss[r] + extra[r][a]
//
// read in O(1) (M. G. C. Resende and R. F. Werneck, "A fast swap-based
// local search procedure for location problems", Annals of Operations
// Research 150, 2007, after R. A. Whitaker, INFOR 21, 1983). A move
// updates the tables only for the demand points it affects. Objectives
// are maximised: the p-median engine works with minus the total time.
type engine interface {
	tab() *tables
	// load makes cnt (units per candidate) the current solution and
	// rebuilds everything from scratch.
	load(cnt []int32)
	// move removes a unit from r and adds one at a; r < 0 only adds,
	// a < 0 only removes.
	move(r, a int32)
	// obj returns the current objective (maximised), kept up to date by
	// move.
	obj() float64
	// refresh rebuilds the tables from the current solution, clearing the
	// rounding that incremental updates accumulate.
	refresh()
}

// tables are the move tables and the solution, shared by the engines.
type tables struct {
	in    *instance
	cnt   []int32   // units per candidate
	gain  []float64 // per candidate
	loss  []float64 // per candidate; meaningful where cnt > 0
	extra []float64 // extra[slot[r]*C+a]
	slot  []int32   // per candidate: its row of extra while open, else −1
	open  []int32   // candidates with cnt > 0, by slot (−1 where free)
	free  []int32   // free slots

	mark    []uint32 // per demand: epoch when last touched
	epoch   uint32
	touched []int32
	all     []int32 // every demand point, for rebuilds

	acc [moveChunks]acc // each piece's contributions during a spread
}

// acc collects one piece's contributions to the tables and to a sum.
type acc struct {
	gain, loss, extra []float64
	sum               float64
}

func newTables(in *instance) tables {
	slots := min(in.units, in.C)
	t := tables{
		in:    in,
		cnt:   make([]int32, in.C),
		gain:  make([]float64, in.C),
		loss:  make([]float64, in.C),
		extra: make([]float64, slots*in.C),
		slot:  make([]int32, in.C),
		open:  make([]int32, slots),
		mark:  make([]uint32, in.D),
		all:   make([]int32, in.D),
	}
	for d := range t.all {
		t.all[d] = int32(d)
	}
	for k := range t.acc {
		t.acc[k] = acc{
			gain:  make([]float64, in.C),
			loss:  make([]float64, in.C),
			extra: make([]float64, len(t.extra)),
		}
	}
	t.reset()
	return t
}

// spread calls each for every demand point of ds, in moveChunks pieces
// that may run in parallel (work estimates the inner-loop steps), each
// piece writing to its own acc; then it adds the pieces to the tables in
// piece order, leaves the accs zeroed, and returns the total of their
// sums. The result is the same whatever the number of processors.
func (t *tables) spread(ds []int32, work int, each func(d int32, a *acc)) float64 {
	parallel(moveChunks, len(ds), work, func(k, lo, hi int) {
		a := &t.acc[k]
		for _, d := range ds[lo:hi] {
			each(d, a)
		}
	})
	C := t.in.C
	parallel(moveChunks, C, moveChunks*(2+len(t.open))*C, func(_, lo, hi int) {
		for k := range t.acc {
			a := &t.acc[k]
			for c := lo; c < hi; c++ {
				t.gain[c] += a.gain[c]
				t.loss[c] += a.loss[c]
			}
			clear(a.gain[lo:hi])
			clear(a.loss[lo:hi])
			for s, r := range t.open {
				if r < 0 {
					continue
				}
				row, src := t.extra[s*C:(s+1)*C], a.extra[s*C:(s+1)*C]
				for c := lo; c < hi; c++ {
					row[c] += src[c]
				}
				clear(src[lo:hi])
			}
		}
	})
	sum := 0.0
	for k := range t.acc {
		sum += t.acc[k].sum
		t.acc[k].sum = 0
	}
	return sum
}

// zero clears gain, loss and the open rows of extra before a rebuild.
func (t *tables) zero() {
	clear(t.gain)
	clear(t.loss)
	C := t.in.C
	for s, r := range t.open {
		if r >= 0 {
			clear(t.extra[s*C : (s+1)*C])
		}
	}
}

// reset closes every candidate and zeroes the tables.
func (t *tables) reset() {
	clear(t.cnt)
	clear(t.gain)
	clear(t.loss)
	clear(t.extra)
	t.free = t.free[:0]
	for i := range t.slot {
		t.slot[i] = -1
	}
	for s := len(t.open) - 1; s >= 0; s-- {
		t.open[s] = -1
		t.free = append(t.free, int32(s))
	}
}

// openSlot gives c, which has no units, a zeroed row of extra.
func (t *tables) openSlot(c int32) {
	s := t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	t.slot[c] = s
	t.open[s] = c
	clear(t.extra[int(s)*t.in.C : int(s+1)*t.in.C])
	t.loss[c] = 0
}

// closeSlot releases the row of c, which has no units left.
func (t *tables) closeSlot(c int32) {
	s := t.slot[c]
	t.slot[c] = -1
	t.open[s] = -1
	t.free = append(t.free, s)
	t.loss[c] = 0
}

// touch starts a new set of affected demand points.
func (t *tables) touch() {
	t.epoch++
	if t.epoch == 0 { // wrapped: old marks could collide
		clear(t.mark)
		t.epoch = 1
	}
	t.touched = t.touched[:0]
}

// add marks d affected, once.
func (t *tables) add(d int32) {
	if t.mark[d] != t.epoch {
		t.mark[d] = t.epoch
		t.touched = append(t.touched, d)
	}
}

// delta returns the change of the objective from moving a unit from r to
// a (r < 0: adding at a).
func (t *tables) delta(r, a int32) float64 {
	if r < 0 {
		return t.gain[a]
	}
	return t.gain[a] - t.loss[r] + t.extra[int(t.slot[r])*t.in.C+int(a)]
}

// counts returns a copy of the units per candidate.
func (t *tables) counts() []int32 {
	out := make([]int32, len(t.cnt))
	copy(out, t.cnt)
	return out
}

func newEngine(in *instance) engine {
	if in.model == PMedian {
		return newMedian(in)
	}
	return newCover(in)
}
