package ch

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/internal/testgraphs"
)

func encoded(t testing.TB, h *Graph) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, h); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFileRoundTrip(t *testing.T) {
	g := testgraphs.Random(3, 900, 0.2)
	g.Meta = road.Meta{Name: "test", Note: "a note", SnapLimit: 1234, AccessKmh: 20}
	g.Places = []road.Place{{Name: "Oakham", Kind: "town", Population: 10922}}
	h := mustBuild(t, g)
	path := filepath.Join(t.TempDir(), "g.arvg")
	if err := WriteFile(path, h); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("graph file mode: %v, %v; want 0644", fi, err)
	}
	if es, _ := os.ReadDir(filepath.Dir(path)); len(es) != 1 {
		t.Fatalf("the directory holds %d entries after WriteFile, want 1", len(es))
	}
	h2, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g2 := h2.Road
	if g2.Meta != g.Meta {
		t.Fatalf("Meta=%+v, want %+v", g2.Meta, g.Meta)
	}
	if len(g2.Places) != 1 || !reflect.DeepEqual(g2.Places[0], g.Places[0]) {
		t.Fatalf("Places=%+v", g2.Places)
	}
	if g2.NumNodes() != g.NumNodes() || g2.NumEdges() != g.NumEdges() || h2.NumArcs() != h.NumArcs() {
		t.Fatal("sizes differ after round trip")
	}
	// Coordinates are stored to 1e-7 degree (about 1 cm).
	for i := range g.Points {
		if d := g.Points[i].Lat - g2.Points[i].Lat; d > 1e-7 || d < -1e-7 {
			t.Fatalf("node %d moved by %g degrees", i, d)
		}
	}
	q1, q2 := NewQuery(h), NewQuery(h2)
	r := rand.New(rand.NewPCG(3, 9))
	for k := 0; k < 200; k++ {
		a, b := int32(r.IntN(g.NumNodes())), int32(r.IntN(g.NumNodes()))
		if t1, t2 := q1.NodeTime(a, b), q2.NodeTime(a, b); t1 != t2 {
			t.Fatalf("%d→%d: %d before saving, %d after", a, b, t1, t2)
		}
	}
}

// recrc rewrites a file's checksum after a deliberate edit.
func recrc(b []byte) {
	sum := crc32.Checksum(b[:len(b)-4], crc32.MakeTable(crc32.Castagnoli))
	binary.LittleEndian.PutUint32(b[len(b)-4:], sum)
}

func TestFileRejects(t *testing.T) {
	h := mustBuild(t, testgraphs.Random(4, 100, 0.2))
	good := encoded(t, h)
	cases := []struct {
		name string
		edit func([]byte) []byte
		want string
	}{
		{"empty", func([]byte) []byte { return nil }, "not an arv graph file"},
		{"foreign", func([]byte) []byte { return []byte("PK\x03\x04 a zip file, not a graph, not a graph") }, "not an arv graph file"},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "checksum mismatch"},
		{"flipped byte", func(b []byte) []byte { b[len(b)/3] ^= 0x40; return b }, "checksum mismatch"},
		{"newer version", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[len(road.FileMagic):], road.FileVersion+1)
			recrc(b)
			return b
		}, "graph file format 2"},
		{"inconsistent with a valid checksum", func(b []byte) []byte {
			// Point the first head entry outside the graph.
			i := bytes.Index(b, []byte("head\x00\x00\x00\x00"))
			binary.LittleEndian.PutUint32(b[i+16:], 1<<30)
			recrc(b)
			return b
		}, "disagrees with segment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.edit(append([]byte(nil), good...))
			_, err := Decode(b)
			if err == nil {
				t.Fatal("accepted")
			} else if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err=%q, want it to mention %q", err, tc.want)
			}
		})
	}
	t.Run("error names the file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.arvg")
		if err := os.WriteFile(path, []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "bad.arvg") {
			t.Fatalf("err=%v", err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	good := encoded(f, mustBuild(f, testgraphs.Random(5, 16, 0.3)))
	f.Add(good)
	f.Add(good[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		// Give mutations a chance to reach the structural checks.
		if len(b) > 4 && len(b) == len(good) {
			recrc(b)
		}
		h, err := Decode(b)
		if err != nil {
			return
		}
		// A file that decodes must answer queries without panicking.
		q := NewQuery(h)
		n := int32(h.Road.NumNodes())
		for v := int32(0); v < n && v < 8; v++ {
			q.NodeTime(0, v)
			q.NodeOneToAll(v, nil)
		}
	})
}

func FuzzCHMatchesDijkstra(f *testing.F) {
	f.Add(uint64(1), uint16(50), uint8(20))
	f.Add(uint64(2), uint16(400), uint8(90))
	f.Add(uint64(3), uint16(4), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, n uint16, oneway uint8) {
		g := testgraphs.Random(seed, int(n%600)+2, float64(oneway%101)/100)
		h := mustBuild(t, g)
		checkAgainstDijkstra(t, g, h, rand.New(rand.NewPCG(seed, 5)), 3)
	})
}

// TestValidateShortcuts checks that a hierarchy whose shortcut does not
// equal its two halves is refused, so a crafted file cannot make routes
// unpack into garbage or blow up.
func TestValidateShortcuts(t *testing.T) {
	h := mustBuild(t, testgraphs.Random(6, 400, 0.2))
	i := slices.IndexFunc(h.Via, func(v int32) bool { return v < 0 })
	if i < 0 {
		t.Fatal("no shortcut in the test hierarchy")
	}
	h.Arcs[i].Time++
	if err := h.validate(); err == nil || !strings.Contains(err.Error(), "does not match its halves") {
		t.Fatalf("err=%v", err)
	}
	h.Arcs[i].Time--
	mid := ^h.Via[i]
	h.Via[i] = ^(mid / 2) // another, lower middle node
	if mid/2 != mid {
		if err := h.validate(); err == nil {
			t.Fatal("a shortcut through the wrong node was accepted")
		}
	}
}

// TestZeroRouter checks that a Router built without NewRouter still works.
func TestZeroRouter(t *testing.T) {
	h := mustBuild(t, testgraphs.Random(6, 100, 0.2))
	r := &Router{H: h}
	src := tableSnaps(h.Road, 3, 1)
	if _, err := r.Table(context.Background(), src, src); err != nil {
		t.Fatal(err)
	}
	if got := r.Time(src[0], src[0]); got != 0 {
		t.Fatalf("Time to itself = %d", got)
	}
}
