package road

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/arv-project/arv/geo"
)

// Graph files (.arvg) hold a graph, and whatever else a writer adds (the
// contraction hierarchy), as named sections:
//
//	magic    8 bytes  "ARVG\r\n\x1a\n" (detects text-mode mangling)
//	version  uint32   FileVersion
//	count    uint32   number of sections
//	sections          tag [8]byte, length uint64, data, zero padding to 8 bytes
//	checksum uint32   CRC-32C (Castagnoli) of every byte before it
//
// Integers are little-endian; coordinates are int32 units of 1e-7 degree
// (OpenStreetMap's own precision). Readers reject a wrong magic, an
// unknown version, a checksum mismatch and any structural inconsistency
// with an error saying which.
const (
	FileMagic   = "ARVG\r\n\x1a\n"
	FileVersion = 1
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrNotGraphFile is returned (wrapped) for data that is not a graph file.
var ErrNotGraphFile = errors.New("not an arv graph file")

// FileWriter writes a graph file's sections. Errors are sticky: check the
// one Close returns.
type FileWriter struct {
	sections []section
}

type section struct {
	tag  string
	data []byte
}

// Bytes adds a section of raw bytes. Tags are at most 8 ASCII bytes.
func (w *FileWriter) Bytes(tag string, data []byte) {
	w.sections = append(w.sections, section{tag, data})
}

// Int32s adds a section holding v.
func (w *FileWriter) Int32s(tag string, v []int32) { w.Bytes(tag, encodeWords(v)) }

// Uint32s adds a section holding v.
func (w *FileWriter) Uint32s(tag string, v []uint32) { w.Bytes(tag, encodeWords(v)) }

// word is a 32-bit section element.
type word interface{ ~int32 | ~uint32 }

// encodeWords lays v out as little-endian 32-bit words.
func encodeWords[T word](v []T) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

// Points adds a section of coordinates in 1e-7 degree units.
func (w *FileWriter) Points(tag string, v []geo.Point) {
	b := make([]byte, 8*len(v))
	for i, p := range v {
		binary.LittleEndian.PutUint32(b[8*i:], uint32(int32(math.Round(p.Lat*1e7))))
		binary.LittleEndian.PutUint32(b[8*i+4:], uint32(int32(math.Round(p.Lon*1e7))))
	}
	w.Bytes(tag, b)
}

// JSON adds a section holding v encoded as JSON.
func (w *FileWriter) JSON(tag string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Bytes(tag, b)
	return nil
}

// WriteTo writes the file.
func (w *FileWriter) WriteTo(out io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(FileMagic)
	var tmp [8]byte
	binary.LittleEndian.PutUint32(tmp[:4], FileVersion)
	binary.LittleEndian.PutUint32(tmp[4:], uint32(len(w.sections)))
	buf.Write(tmp[:])
	for _, s := range w.sections {
		var tag [8]byte
		copy(tag[:], s.tag)
		buf.Write(tag[:])
		binary.LittleEndian.PutUint64(tmp[:], uint64(len(s.data)))
		buf.Write(tmp[:])
		buf.Write(s.data)
		if pad := (8 - len(s.data)%8) % 8; pad > 0 {
			buf.Write(make([]byte, pad))
		}
	}
	binary.LittleEndian.PutUint32(tmp[:4], crc32.Checksum(buf.Bytes(), crcTable))
	buf.Write(tmp[:4])
	return buf.WriteTo(out)
}

// FileReader gives access to the sections of a graph file in memory.
type FileReader struct {
	sections map[string][]byte
}

// NewFileReader checks the magic, version and checksum of data and
// indexes its sections.
func NewFileReader(data []byte) (*FileReader, error) {
	if len(data) < len(FileMagic)+12 || string(data[:len(FileMagic)]) != FileMagic {
		return nil, fmt.Errorf("%w (bad magic number)", ErrNotGraphFile)
	}
	body := data[:len(data)-4]
	if got, want := crc32.Checksum(body, crcTable), binary.LittleEndian.Uint32(data[len(data)-4:]); got != want {
		return nil, errors.New("checksum mismatch: the file is corrupt or truncated; rebuild it")
	}
	p := body[len(FileMagic):]
	version := binary.LittleEndian.Uint32(p)
	if version != FileVersion {
		return nil, fmt.Errorf("graph file format %d, but this arv reads format %d; rebuild the file with this version", version, FileVersion)
	}
	count := binary.LittleEndian.Uint32(p[4:])
	p = p[8:]
	r := &FileReader{sections: make(map[string][]byte)}
	for i := uint32(0); i < count; i++ {
		if len(p) < 16 {
			return nil, fmt.Errorf("section %d: truncated header", i)
		}
		tag := string(bytes.TrimRight(p[:8], "\x00"))
		n := binary.LittleEndian.Uint64(p[8:])
		p = p[16:]
		if n > uint64(len(p)) {
			return nil, fmt.Errorf("section %q: length %d beyond end of file", tag, n)
		}
		r.sections[tag] = p[:n]
		padded := n + (8-n%8)%8
		if padded > uint64(len(p)) {
			padded = uint64(len(p))
		}
		p = p[padded:]
	}
	return r, nil
}

// Has reports whether a section is present.
func (r *FileReader) Has(tag string) bool {
	_, ok := r.sections[tag]
	return ok
}

// Bytes returns a section's bytes (aliasing the file data).
func (r *FileReader) Bytes(tag string) ([]byte, error) {
	b, ok := r.sections[tag]
	if !ok {
		return nil, fmt.Errorf("missing section %q", tag)
	}
	return b, nil
}

// Int32s decodes a section of int32.
func (r *FileReader) Int32s(tag string) ([]int32, error) { return decodeWords[int32](r, tag) }

// Uint32s decodes a section of uint32.
func (r *FileReader) Uint32s(tag string) ([]uint32, error) { return decodeWords[uint32](r, tag) }

// decodeWords decodes a section of little-endian 32-bit words.
func decodeWords[T word](r *FileReader, tag string) ([]T, error) {
	b, err := r.records(tag, 4)
	if err != nil {
		return nil, err
	}
	v := make([]T, len(b)/4)
	for i := range v {
		v[i] = T(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// records returns a section's bytes, checking that they hold whole
// records of size bytes.
func (r *FileReader) records(tag string, size int) ([]byte, error) {
	b, err := r.Bytes(tag)
	if err != nil {
		return nil, err
	}
	if len(b)%size != 0 {
		return nil, fmt.Errorf("section %q: length %d is not a multiple of %d", tag, len(b), size)
	}
	return b, nil
}

// Points decodes a section of coordinates.
func (r *FileReader) Points(tag string) ([]geo.Point, error) {
	b, err := r.records(tag, 8)
	if err != nil {
		return nil, err
	}
	v := make([]geo.Point, len(b)/8)
	for i := range v {
		v[i].Lat = float64(int32(binary.LittleEndian.Uint32(b[8*i:]))) * 1e-7
		v[i].Lon = float64(int32(binary.LittleEndian.Uint32(b[8*i+4:]))) * 1e-7
	}
	return v, nil
}

// JSON decodes a JSON section into v.
func (r *FileReader) JSON(tag string, v any) error {
	b, err := r.Bytes(tag)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("section %q: %v", tag, err)
	}
	return nil
}

// Encode adds the graph's sections to w.
func (g *Graph) Encode(w *FileWriter) error {
	if err := w.JSON("meta", g.Meta); err != nil {
		return err
	}
	if err := w.JSON("places", g.Places); err != nil {
		return err
	}
	if err := w.JSON("names", g.Names); err != nil {
		return err
	}
	w.Points("points", g.Points)
	w.Int32s("firstout", g.FirstOut)
	w.Int32s("head", g.Head)
	w.Uint32s("time", g.Time)
	w.Int32s("edgeseg", g.EdgeSeg)
	w.Int32s("segfrom", g.SegFrom)
	w.Int32s("segto", g.SegTo)
	w.Int32s("segfwd", g.SegFwd)
	w.Int32s("segbwd", g.SegBwd)
	w.Uint32s("seglen", g.SegLength)
	classes := make([]byte, len(g.SegClass))
	for i, c := range g.SegClass {
		classes[i] = byte(c)
	}
	w.Bytes("segclass", classes)
	w.Int32s("segname", g.SegName)
	w.Int32s("shapefst", g.ShapeFirst)
	w.Points("shape", g.Shape)
	return nil
}

// DecodeGraph reads the graph sections of a file and checks that they
// form a consistent graph, so that no query can index out of range.
func DecodeGraph(r *FileReader) (*Graph, error) {
	g := &Graph{}
	var err error
	get32 := func(tag string, dst *[]int32) {
		if err == nil {
			*dst, err = r.Int32s(tag)
		}
	}
	getU32 := func(tag string, dst *[]uint32) {
		if err == nil {
			*dst, err = r.Uint32s(tag)
		}
	}
	getPts := func(tag string, dst *[]geo.Point) {
		if err == nil {
			*dst, err = r.Points(tag)
		}
	}
	if err = r.JSON("meta", &g.Meta); err != nil {
		return nil, err
	}
	if err = r.JSON("places", &g.Places); err != nil {
		return nil, err
	}
	if err = r.JSON("names", &g.Names); err != nil {
		return nil, err
	}
	getPts("points", &g.Points)
	get32("firstout", &g.FirstOut)
	get32("head", &g.Head)
	getU32("time", &g.Time)
	get32("edgeseg", &g.EdgeSeg)
	get32("segfrom", &g.SegFrom)
	get32("segto", &g.SegTo)
	get32("segfwd", &g.SegFwd)
	get32("segbwd", &g.SegBwd)
	getU32("seglen", &g.SegLength)
	get32("segname", &g.SegName)
	get32("shapefst", &g.ShapeFirst)
	getPts("shape", &g.Shape)
	if err != nil {
		return nil, err
	}
	classes, err := r.Bytes("segclass")
	if err != nil {
		return nil, err
	}
	g.SegClass = make([]Class, len(classes))
	for i, c := range classes {
		g.SegClass[i] = Class(c)
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return g, nil
}

// Validate checks the graph's structural invariants: array lengths, index
// ranges, edges consistent with their segments, shapes that start and end
// at their nodes.
func (g *Graph) Validate() error {
	n, m, s := len(g.Points), len(g.Head), len(g.SegFrom)
	switch {
	case len(g.FirstOut) != n+1:
		return fmt.Errorf("graph: %d edge offsets for %d nodes", len(g.FirstOut), n)
	case len(g.Time) != m || len(g.EdgeSeg) != m:
		return errors.New("graph: edge arrays differ in length")
	case len(g.SegTo) != s || len(g.SegFwd) != s || len(g.SegBwd) != s || len(g.SegLength) != s ||
		len(g.SegClass) != s || len(g.SegName) != s || len(g.ShapeFirst) != s+1:
		return errors.New("graph: segment arrays differ in length")
	case g.FirstOut[0] != 0 || int(g.FirstOut[n]) != m:
		return errors.New("graph: edge offsets do not span the edges")
	case g.ShapeFirst[0] != 0 || int(g.ShapeFirst[s]) != len(g.Shape):
		return errors.New("graph: shape offsets do not span the shape")
	}
	for _, p := range g.Points {
		if !p.Valid() {
			return fmt.Errorf("graph: node at invalid position %v", p)
		}
	}
	for u := 0; u < n; u++ {
		if g.FirstOut[u+1] < g.FirstOut[u] || int(g.FirstOut[u+1]) > m {
			return fmt.Errorf("graph: edge offsets decrease at node %d", u)
		}
		for e := g.FirstOut[u]; e < g.FirstOut[u+1]; e++ {
			seg := g.EdgeSeg[e]
			fwd := seg >= 0
			if !fwd {
				seg = ^seg
			}
			if seg < 0 || int(seg) >= s {
				return fmt.Errorf("graph: edge %d on unknown segment", e)
			}
			if g.Time[e] > MaxEdgeTime {
				return fmt.Errorf("graph: edge %d takes %d ms, over a day", e, g.Time[e])
			}
			from, to, back := g.SegFrom[seg], g.SegTo[seg], g.SegFwd[seg]
			if !fwd {
				from, to, back = to, from, g.SegBwd[seg]
			}
			if from != int32(u) || to != g.Head[e] || back != e {
				return fmt.Errorf("graph: edge %d disagrees with segment %d", e, seg)
			}
		}
	}
	for i := 0; i < s; i++ {
		if g.SegFrom[i] < 0 || int(g.SegFrom[i]) >= n || g.SegTo[i] < 0 || int(g.SegTo[i]) >= n {
			return fmt.Errorf("graph: segment %d joins unknown nodes", i)
		}
		for _, e := range []int32{g.SegFwd[i], g.SegBwd[i]} {
			if e < -1 || int(e) >= m {
				return fmt.Errorf("graph: segment %d names unknown edge %d", i, e)
			}
		}
		if g.SegFwd[i] >= 0 && g.EdgeSeg[g.SegFwd[i]] != int32(i) || g.SegBwd[i] >= 0 && g.EdgeSeg[g.SegBwd[i]] != ^int32(i) {
			return fmt.Errorf("graph: segment %d and its edges disagree", i)
		}
		if g.SegClass[i] >= numClasses {
			return fmt.Errorf("graph: segment %d has unknown class %d", i, g.SegClass[i])
		}
		if nm := g.SegName[i]; nm < -1 || int(nm) >= len(g.Names) {
			return fmt.Errorf("graph: segment %d names unknown road name %d", i, nm)
		}
		a, b := int(g.ShapeFirst[i]), int(g.ShapeFirst[i+1])
		if a < 0 || b-a < 2 || b > len(g.Shape) {
			return fmt.Errorf("graph: segment %d has a bad shape range %d..%d", i, a, b)
		}
		if g.Shape[a] != g.Points[g.SegFrom[i]] || g.Shape[b-1] != g.Points[g.SegTo[i]] {
			return fmt.Errorf("graph: segment %d shape does not join its nodes", i)
		}
	}
	for _, p := range g.Shape {
		if !p.Valid() {
			return fmt.Errorf("graph: shape point at invalid position %v", p)
		}
	}
	return nil
}
