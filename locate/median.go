package locate

// median is the p-median engine. Each demand point keeps its nearest and
// second-nearest units (c1 at t1, c2 at t2; a candidate holding two units
// is both); a missing unit is the penalty, at pen. The objective is minus
// the total weighted time, Σ −w·t1.
type median struct {
	tables
	c1, c2 []int32 // nearest and second-nearest unit's candidate, −1 for none
	t1, t2 []float64
	val    float64 // −Σ w·t1
	avgL   int     // mean sorted-list length, for work estimates
}

func newMedian(in *instance) *median {
	return &median{
		tables: newTables(in),
		c1:     make([]int32, in.D),
		c2:     make([]int32, in.D),
		t1:     make([]float64, in.D),
		t2:     make([]float64, in.D),
		avgL:   1 + len(in.srt)/max(1, in.D)/4, // a move reads about the first quarter
	}
}

func (e *median) tab() *tables { return &e.tables }
func (e *median) obj() float64 { return e.val }

// contrib adds sign times demand point d's share of the move tables
// (Resende and Werneck 2007, after Whitaker 1983):
//
//	gain[a]      += w·(t1 − t(a))            where t(a) < t1
//	loss[c1]     += w·(t2 − t1)
//	extra[c1][a] += w·(t2 − max(t(a), t1))   where t(a) < t2
//
// The candidates with t(a) < t2 are a prefix of d's sorted list. It also
// adds d's objective term, −w·t1, to acc.sum.
func (e *median) contrib(d int32, sign float64, acc *acc) {
	in := e.in
	acc.sum -= in.w[d] * e.t1[d]
	w := sign * in.w[d]
	t1, t2, c1 := e.t1[d], e.t2[d], e.c1[d]
	var row []float64
	if c1 >= 0 {
		acc.loss[c1] += w * (t2 - t1)
		s := int(e.slot[c1])
		row = acc.extra[s*in.C : (s+1)*in.C]
	}
	for _, key := range in.srt[in.sBeg[d]:in.sBeg[d+1]] {
		t, a := unkey(key)
		if t >= t2 {
			break
		}
		if t < t1 {
			acc.gain[a] += w * (t1 - t)
			if row != nil {
				row[a] += w * (t2 - t1)
			}
		} else if row != nil {
			row[a] += w * (t2 - t)
		}
	}
}

// nearest recomputes d's two nearest units from the open candidates.
func (e *median) nearest(d int32) {
	in := e.in
	b1, b2 := in.pen, in.pen
	i1, i2 := int32(-1), int32(-1)
	for _, c := range e.open {
		if c < 0 {
			continue
		}
		t := float64(in.col[int(c)*in.D+int(d)])
		switch {
		case t >= in.pen:
		case t < b1:
			b2, i2 = b1, i1
			b1, i1 = t, c
			if e.cnt[c] > 1 {
				b2, i2 = t, c
			}
		case t < b2:
			b2, i2 = t, c
		}
	}
	e.c1[d], e.c2[d], e.t1[d], e.t2[d] = i1, i2, b1, b2
}

func (e *median) load(cnt []int32) {
	e.reset()
	for c, n := range cnt {
		if n > 0 {
			e.openSlot(int32(c))
			e.cnt[c] = n
		}
	}
	for d := range e.in.D {
		e.nearest(int32(d))
	}
	e.rebuild()
}

func (e *median) refresh() {
	e.zero()
	e.rebuild()
}

// rebuild fills the zeroed tables and the objective from the nearest
// units.
func (e *median) rebuild() {
	e.val = e.spread(e.all, len(e.all)*e.avgL, e.add1)
}

func (e *median) add1(d int32, a *acc) { e.contrib(d, 1, a) }
func (e *median) sub1(d int32, a *acc) { e.contrib(d, -1, a) }
func (e *median) renew(d int32, a *acc) {
	e.nearest(d)
	e.contrib(d, 1, a)
}

func (e *median) move(r, a int32) {
	in := e.in
	e.touch()
	var col []float32
	if a >= 0 {
		col = in.col[int(a)*in.D : int(a+1)*in.D]
	}
	for d := range in.D {
		if (r >= 0 && (e.c1[d] == r || e.c2[d] == r)) || (a >= 0 && float64(col[d]) < e.t2[d]) {
			e.add(int32(d))
		}
	}
	work := len(e.touched) * e.avgL
	before := e.spread(e.touched, work, e.sub1)
	if r >= 0 {
		e.cnt[r]--
		if e.cnt[r] == 0 {
			e.closeSlot(r)
		}
	}
	if a >= 0 {
		if e.cnt[a] == 0 {
			e.openSlot(a)
		}
		e.cnt[a]++
	}
	after := e.spread(e.touched, work, e.renew)
	e.val += after - before
}
