package ch

import (
	"fmt"
	"io"
	"os"

	"github.com/arv-project/arv/internal/atomicfile"
	"github.com/arv-project/arv/road"
)

// Encode writes h and its road graph as a graph file (see road.FileMagic
// for the layout).
func Encode(w io.Writer, h *Graph) error {
	var fw road.FileWriter
	if err := h.Road.Encode(&fw); err != nil {
		return err
	}
	fw.Int32s("chorder", h.Order)
	fw.Int32s("chfirst", h.First)
	fw.Int32s("chmid", h.Mid)
	fw.Int32s("charcs", flatArcs(h.Arcs))
	fw.Int32s("chvia", h.Via)
	_, err := fw.WriteTo(w)
	return err
}

// flatArcs lays arcs out as (node, time) int32 pairs.
func flatArcs(arcs []Arc) []int32 {
	v := make([]int32, 2*len(arcs))
	for i, a := range arcs {
		v[2*i], v[2*i+1] = a.Node, int32(a.Time)
	}
	return v
}

// Decode reads a graph file written by Encode. It rejects foreign, corrupt
// and inconsistent files with an error saying what is wrong.
func Decode(data []byte) (*Graph, error) {
	r, err := road.NewFileReader(data)
	if err != nil {
		return nil, err
	}
	g, err := road.DecodeGraph(r)
	if err != nil {
		return nil, err
	}
	if !r.Has("chorder") {
		return nil, fmt.Errorf("the file has a road graph but no contraction hierarchy; rebuild it with arv graph build")
	}
	h := &Graph{Road: g}
	if h.Order, err = r.Int32s("chorder"); err != nil {
		return nil, err
	}
	if len(h.Order) != g.NumNodes() {
		return nil, fmt.Errorf("ch: %d ranks for %d nodes", len(h.Order), g.NumNodes())
	}
	h.Rank = make([]int32, len(h.Order))
	for i := range h.Rank {
		h.Rank[i] = -1
	}
	for r, v := range h.Order {
		if v < 0 || int(v) >= len(h.Rank) || h.Rank[v] >= 0 {
			return nil, fmt.Errorf("ch: the node order is not a permutation")
		}
		h.Rank[v] = int32(r)
	}
	if h.First, err = r.Int32s("chfirst"); err != nil {
		return nil, err
	}
	if h.Mid, err = r.Int32s("chmid"); err != nil {
		return nil, err
	}
	if h.Arcs, err = readArcs(r, "charcs"); err != nil {
		return nil, err
	}
	if h.Via, err = r.Int32s("chvia"); err != nil {
		return nil, err
	}
	if err := h.validate(); err != nil {
		return nil, err
	}
	return h, nil
}

func readArcs(r *road.FileReader, tag string) ([]Arc, error) {
	v, err := r.Int32s(tag)
	if err != nil {
		return nil, err
	}
	if len(v)%2 != 0 {
		return nil, fmt.Errorf("section %q: odd length", tag)
	}
	arcs := make([]Arc, len(v)/2)
	for i := range arcs {
		arcs[i] = Arc{Node: v[2*i], Time: uint32(v[2*i+1])}
	}
	return arcs, nil
}

// ReadFile loads a graph file. Errors name the file.
func ReadFile(path string) (*Graph, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	h, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// WriteFile saves h to path atomically (internal/atomicfile): a failed
// write never leaves a partial graph file behind, and once WriteFile
// returns the file is on disk. The file is readable by everyone (0644):
// a graph is for everyone who plans on this machine.
func WriteFile(path string, h *Graph) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return Encode(w, h) })
}
