// Package minheap is the one binary min-heap of the road engine: plain
// Dijkstra (road), the contraction hierarchy's queries and witness
// searches, and the order in which nodes are contracted (road/ch).
//
// It is generic over the key only, so each key type gets its own compiled
// copy with a plain < and the methods inline at the call sites as a
// hand-written heap would (docs/BENCHMARKS.md, "One heap").
package minheap

import "cmp"

// Item is a heap entry: a node and the key it is ordered by.
type Item[K cmp.Ordered] struct {
	Key  K
	Node int32
}

// Heap is a binary min-heap of Items ordered by Key. It has no
// decrease-key: push the node again and skip stale entries when they are
// popped (lazy deletion). Entries with equal keys come out in an order
// that depends only on the sequence of calls; a caller that needs a
// particular tie-break folds it into the key. The zero Heap is empty and
// ready to use; Reset keeps its storage, so a reused Heap allocates only
// while it grows.
type Heap[K cmp.Ordered] struct{ items []Item[K] }

// Len returns the number of entries, stale ones included.
func (h *Heap[K]) Len() int { return len(h.items) }

// Min returns the smallest key; the heap must not be empty.
func (h *Heap[K]) Min() K { return h.items[0].Key }

// Reset empties the heap, keeping its storage.
func (h *Heap[K]) Reset() { h.items = h.items[:0] }

// Push adds node with key.
func (h *Heap[K]) Push(key K, node int32) {
	it := Item[K]{key, node}
	h.items = append(h.items, it)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.items[p].Key <= key {
			break
		}
		h.items[i] = h.items[p]
		i = p
	}
	h.items[i] = it
}

// Pop removes and returns an entry with the smallest key; the heap must
// not be empty.
func (h *Heap[K]) Pop() Item[K] {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	n := len(h.items)
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.items[c+1].Key < h.items[c].Key {
			c++
		}
		if last.Key <= h.items[c].Key {
			break
		}
		h.items[i] = h.items[c]
		i = c
	}
	h.items[i] = last
	return top
}
