package locate

// cover is the engine of the covering models. A demand point d reached
// within T by k units contributes w[d]·g[k]; g is concave, so the
// marginal share m[k] = g[k+1] − g[k] of one more unit never grows with k.
// For MaxCover g[k] = [k ≥ 1]: m[0] = 1 and m[k ≥ 1] = 0, so only
// uncovered points feed gain and only points covered once feed loss and
// extra, and the engine skips the rest.
type cover struct {
	tables
	k    []int32 // units within T of each demand point
	val  float64 // Σ w·g[k]
	avgM int     // mean candidates within T of a point, for work estimates
}

func newCover(in *instance) *cover {
	return &cover{tables: newTables(in), k: make([]int32, in.D), avgM: 1 + len(in.cDem)/max(1, in.D)}
}

func (e *cover) tab() *tables { return &e.tables }
func (e *cover) obj() float64 { return e.val }

// contrib adds sign times demand point d's share of the move tables to a:
//
//	gain[a]     += w·m[k]              for every a within T of d
//	loss[r]     += w·m[k−1]            for every open r within T of d
//	extra[r][a] += w·(m[k−1] − m[k])   for every such pair
//
// Moving a unit from r to a when both reach d leaves d's cover as it
// was, and the extra cancels what gain and loss counted for it. It also
// adds d's objective term to a.sum.
func (e *cover) contrib(d int32, sign float64, acc *acc) {
	in := e.in
	k := e.k[d]
	acc.sum += in.w[d] * in.g[k]
	w := sign * in.w[d]
	cands := in.dCand[in.dStart[d]:in.dStart[d+1]]
	if g := w * in.m[k]; g != 0 {
		for _, a := range cands {
			acc.gain[a] += g
		}
	}
	if k == 0 {
		return
	}
	l := w * in.m[k-1]
	x := l - w*in.m[k]
	if l == 0 && x == 0 {
		return
	}
	C := in.C
	for _, r := range cands {
		if e.cnt[r] == 0 {
			continue
		}
		acc.loss[r] += l
		if x != 0 {
			row := acc.extra[int(e.slot[r])*C : int(e.slot[r]+1)*C]
			for _, a := range cands {
				row[a] += x
			}
		}
	}
}

func (e *cover) load(cnt []int32) {
	e.reset()
	clear(e.k)
	in := e.in
	for c, n := range cnt {
		if n == 0 {
			continue
		}
		e.openSlot(int32(c))
		e.cnt[c] = n
		for _, d := range in.cDem[in.cStart[c]:in.cStart[c+1]] {
			e.k[d] += n
		}
	}
	e.rebuild()
}

func (e *cover) refresh() {
	e.zero()
	e.rebuild()
}

// rebuild fills the zeroed tables and the objective from cnt and k.
func (e *cover) rebuild() {
	e.val = e.spread(e.all, len(e.all)*e.avgM, e.add1)
}

func (e *cover) add1(d int32, a *acc) { e.contrib(d, 1, a) }
func (e *cover) sub1(d int32, a *acc) { e.contrib(d, -1, a) }

func (e *cover) move(r, a int32) {
	in := e.in
	e.touch()
	if r >= 0 {
		for _, d := range in.cDem[in.cStart[r]:in.cStart[r+1]] {
			e.add(d)
		}
	}
	if a >= 0 {
		for _, d := range in.cDem[in.cStart[a]:in.cStart[a+1]] {
			e.add(d)
		}
	}
	work := len(e.touched) * e.avgM
	before := e.spread(e.touched, work, e.sub1)
	if r >= 0 {
		e.cnt[r]--
		for _, d := range in.cDem[in.cStart[r]:in.cStart[r+1]] {
			e.k[d]--
		}
		if e.cnt[r] == 0 {
			e.closeSlot(r)
		}
	}
	if a >= 0 {
		if e.cnt[a] == 0 {
			e.openSlot(a)
		}
		e.cnt[a]++
		for _, d := range in.cDem[in.cStart[a]:in.cStart[a+1]] {
			e.k[d]++
		}
	}
	after := e.spread(e.touched, work, e.add1)
	e.val += after - before
}
