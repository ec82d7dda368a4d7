package road

// Components labels the strongly connected components of g. It returns
// the component of each node and the number of components. It uses
// Tarjan's algorithm (R. Tarjan, "Depth-first search and linear graph
// algorithms", SIAM J. Computing 1(2), 1972), iteratively, in O(V+E).
func Components(g *Graph) (comp []int32, n int) {
	nn := g.NumNodes()
	comp = make([]int32, nn)
	index := make([]int32, nn)
	low := make([]int32, nn)
	onStack := make([]bool, nn)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct {
		v    int32
		edge int32 // next edge of v to look at
	}
	var call []frame
	next := int32(0)
	for root := int32(0); root < int32(nn); root++ {
		if index[root] >= 0 {
			continue
		}
		call = append(call[:0], frame{root, g.FirstOut[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.edge < g.FirstOut[v+1] {
				w := g.Head[f.edge]
				f.edge++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, g.FirstOut[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			// v is finished.
			call = call[:len(call)-1]
			if len(call) > 0 {
				if u := call[len(call)-1].v; low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = int32(n)
					if w == v {
						break
					}
				}
				n++
			}
		}
	}
	return comp, n
}

// ComponentStats reports what LargestComponent kept and dropped.
type ComponentStats struct {
	Components   int // strongly connected components in the input
	KeptNodes    int
	DroppedNodes int
	KeptSegments int
	// DroppedSegments counts segments with an end outside the kept
	// component; DroppedLength is their total length in metres.
	DroppedSegments int
	DroppedLength   float64
}

// LargestComponent returns the subgraph induced by g's largest strongly
// connected component, in which every node can reach every other, and what
// was dropped. Nodes keep their relative order.
func LargestComponent(g *Graph) (*Graph, ComponentStats) {
	comp, n := Components(g)
	st := ComponentStats{Components: n}
	if n <= 1 {
		st.KeptNodes = g.NumNodes()
		st.KeptSegments = g.NumSegments()
		return g, st
	}
	size := make([]int, n)
	for _, c := range comp {
		size[c]++
	}
	big := 0
	for c := range size {
		if size[c] > size[big] {
			big = c
		}
	}
	keep := make([]bool, g.NumNodes())
	for v, c := range comp {
		keep[v] = int(c) == big
	}
	sub := Subgraph(g, keep)
	st.KeptNodes = sub.NumNodes()
	st.DroppedNodes = g.NumNodes() - st.KeptNodes
	st.KeptSegments = sub.NumSegments()
	st.DroppedSegments = g.NumSegments() - st.KeptSegments
	for s := range g.SegFrom {
		if !keep[g.SegFrom[s]] || !keep[g.SegTo[s]] {
			st.DroppedLength += float64(g.SegLength[s])
		}
	}
	return sub, st
}

// Subgraph returns the graph of the nodes with keep[v] set and the
// segments with both ends kept. Times, shapes, names, places and metadata
// are preserved exactly.
func Subgraph(g *Graph, keep []bool) *Graph {
	newID := make([]int32, g.NumNodes())
	var b Builder
	for v := range newID {
		newID[v] = -1
		if keep[v] {
			newID[v] = b.AddNode(g.Points[v])
		}
	}
	b.Meta = g.Meta
	b.places = g.Places
	var times [][2]uint32
	for s := range g.SegFrom {
		from, to := newID[g.SegFrom[s]], newID[g.SegTo[s]]
		if from < 0 || to < 0 {
			continue
		}
		sh := g.SegmentShape(int32(s))
		spec := segSpec{
			from: from, to: to,
			shapeStart: int32(len(b.shape)),
			length:     float64(g.SegLength[s]),
			class:      g.SegClass[s],
			name:       -1,
		}
		b.shape = append(b.shape, sh[1:len(sh)-1]...)
		spec.shapeEnd = int32(len(b.shape))
		if nm := g.SegName[s]; nm >= 0 {
			if b.nameIdx == nil {
				b.nameIdx = make(map[string]int32)
			}
			i, ok := b.nameIdx[g.Names[nm]]
			if !ok {
				i = int32(len(b.names))
				b.names = append(b.names, g.Names[nm])
				b.nameIdx[g.Names[nm]] = i
			}
			spec.name = i
		}
		var tt [2]uint32
		if e := g.SegFwd[s]; e >= 0 {
			spec.fwdKmh = 1 // marks the direction; the time is set below
			tt[0] = g.Time[e]
			b.numEdges++
		}
		if e := g.SegBwd[s]; e >= 0 {
			spec.bwdKmh = 1
			tt[1] = g.Time[e]
			b.numEdges++
		}
		b.segs = append(b.segs, spec)
		times = append(times, tt)
	}
	sub := b.Graph()
	// Restore the exact edge times.
	for s := range sub.SegFrom {
		if e := sub.SegFwd[s]; e >= 0 {
			sub.Time[e] = times[s][0]
		}
		if e := sub.SegBwd[s]; e >= 0 {
			sub.Time[e] = times[s][1]
		}
	}
	return sub
}
