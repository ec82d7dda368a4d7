package minheap

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestHeapOrders(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h Heap[uint32]
	for round := range 3 {
		h.Reset()
		var want []uint32
		for i := range 1000 + round {
			k := r.Uint32N(200) // many ties
			h.Push(k, int32(i))
			want = append(want, k)
		}
		slices.Sort(want)
		if h.Min() != want[0] {
			t.Fatalf("Min = %d, want %d", h.Min(), want[0])
		}
		var got []uint32
		for h.Len() > 0 {
			got = append(got, h.Pop().Key)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: popped keys not in order", round)
		}
	}
}

func TestHeapKeepsNodes(t *testing.T) {
	var h Heap[int64]
	for _, v := range []int32{5, 3, 9, 1, 7} {
		h.Push(-int64(v), v) // largest node first
	}
	for _, want := range []int32{9, 7, 5, 3, 1} {
		if it := h.Pop(); it.Node != want || it.Key != -int64(want) {
			t.Fatalf("Pop = %+v, want node %d", it, want)
		}
	}
}

// TestHeapInterleaved mixes pushes and pops, as a search does, against a
// sorted slice.
func TestHeapInterleaved(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var h Heap[uint32]
	var ref []uint32
	for range 5000 {
		if len(ref) > 0 && r.IntN(3) == 0 {
			got := h.Pop().Key
			slices.Sort(ref)
			if got != ref[0] {
				t.Fatalf("Pop = %d, want %d", got, ref[0])
			}
			ref = ref[1:]
			continue
		}
		k := r.Uint32()
		h.Push(k, 0)
		ref = append(ref, k)
		if h.Len() != len(ref) {
			t.Fatalf("Len = %d, want %d", h.Len(), len(ref))
		}
	}
}

func TestHeapReuseAllocatesNothing(t *testing.T) {
	var h Heap[uint32]
	fill := func() {
		h.Reset()
		for i := range 256 {
			h.Push(uint32(i*7919%256), int32(i))
		}
		for h.Len() > 0 {
			h.Pop()
		}
	}
	fill()
	if n := testing.AllocsPerRun(10, fill); n != 0 {
		t.Fatalf("a reused heap allocates %v times per fill", n)
	}
}
