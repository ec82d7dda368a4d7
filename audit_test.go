package arv_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// auditBase is the time of the first test entry.
var auditBase = time.Date(2026, 3, 10, 20, 0, 0, 123456000, time.UTC)

// buildChain returns a valid chain of n entries and its head.
func buildChain(n int) ([]*arv.AuditEntry, arv.AuditHead) {
	var out []*arv.AuditEntry
	prev := arv.GenesisHash
	for i := 1; i <= n; i++ {
		e := &arv.AuditEntry{
			Seq:      int64(i),
			At:       auditBase.Add(time.Duration(i) * 1500 * time.Millisecond),
			Actor:    fmt.Sprintf("user%d", i%4),
			Action:   []string{"incident.create", "incident.decide", "unit.status"}[i%3],
			Entity:   fmt.Sprintf("incident/%d", i/3+1),
			PrevHash: prev,
		}
		if i%3 != 1 {
			e.Before = json.RawMessage(fmt.Sprintf(`{"id":%d,"status":"awaiting_decision"}`, i/3+1))
		}
		e.After = json.RawMessage(fmt.Sprintf(`{"id":%d,"status":"authorised","n":%d}`, i/3+1, i))
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out, arv.AuditHead{Seq: int64(n), Hash: prev}
}

// cloneChain deep-copies entries so a test may tamper with them.
func cloneChain(es []*arv.AuditEntry) []*arv.AuditEntry {
	out := make([]*arv.AuditEntry, len(es))
	for i, e := range es {
		c := *e
		c.Before = slices.Clone(e.Before)
		c.After = slices.Clone(e.After)
		out[i] = &c
	}
	return out
}

func verify(es []*arv.AuditEntry, head arv.AuditHead) *arv.AuditVerifier {
	v := arv.NewAuditVerifier()
	for _, e := range es {
		v.Add(e)
	}
	v.Finish(head)
	return v
}

const chainLen = 50

func TestAuditChainIntact(t *testing.T) {
	for _, n := range []int{0, 1, 2, chainLen} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			es, head := buildChain(n)
			v := verify(es, head)
			if len(v.Problems) != 0 {
				t.Errorf("intact chain of %d: problems %+v", n, v.Problems)
			}
			if got, want := v.Checked, int64(n); got != want {
				t.Errorf("Checked = %d, want %d", got, want)
			}
		})
	}
}

func TestAuditEditedRow(t *testing.T) {
	fields := []struct {
		name string
		edit func(*arv.AuditEntry)
	}{
		{"Actor", func(e *arv.AuditEntry) { e.Actor = "mallory" }},
		{"Action", func(e *arv.AuditEntry) { e.Action = "incident.rescind" }},
		{"Entity", func(e *arv.AuditEntry) { e.Entity = "incident/999" }},
		{"Before", func(e *arv.AuditEntry) { e.Before = json.RawMessage(`{"id":1,"status":"stood_down"}`) }},
		{"After JSON", func(e *arv.AuditEntry) {
			e.After = json.RawMessage(strings.Replace(string(e.After), "authorised", "not_authorised", 1))
		}},
		{"After one byte", func(e *arv.AuditEntry) { e.After[len(e.After)-2]++ }},
		{"After to null", func(e *arv.AuditEntry) { e.After = json.RawMessage("null") }},
		{"At by a second", func(e *arv.AuditEntry) { e.At = e.At.Add(time.Second) }},
		{"At by a microsecond", func(e *arv.AuditEntry) { e.At = e.At.Add(time.Microsecond) }},
	}
	for _, f := range fields {
		for _, k := range []int{1, 2, 25, chainLen - 1, chainLen} {
			t.Run(fmt.Sprintf("%s/row %d", f.name, k), func(t *testing.T) {
				es, head := buildChain(chainLen)
				es = cloneChain(es)
				f.edit(es[k-1])
				v := verify(es, head)
				if len(v.Problems) != 1 {
					t.Fatalf("problems %+v, want exactly one at row %d", v.Problems, k)
				}
				p := v.Problems[0]
				if got, want := p.Seq, int64(k); got != want {
					t.Errorf("problem at row %d, want %d: %s", got, want, p.Message)
				}
				if !strings.Contains(p.Message, "edited") {
					t.Errorf("message %q does not say edited", p.Message)
				}
				if !strings.Contains(p.Message, fmt.Sprintf("row %d", k)) {
					t.Errorf("message %q does not name row %d", p.Message, k)
				}
			})
		}
	}
}

func TestAuditDeletedRow(t *testing.T) {
	for _, k := range []int{1, 2, 25, chainLen - 1} {
		t.Run(fmt.Sprintf("row %d", k), func(t *testing.T) {
			es, head := buildChain(chainLen)
			es = slices.Delete(slices.Clone(es), k-1, k)
			v := verify(es, head)
			if len(v.Problems) != 1 {
				t.Fatalf("problems %+v, want exactly one", v.Problems)
			}
			p := v.Problems[0]
			if got, want := p.Seq, int64(k+1); got != want {
				t.Errorf("problem at row %d, want %d (the row after the gap)", got, want)
			}
			if !strings.Contains(p.Message, "missing") || !strings.Contains(p.Message, fmt.Sprint(k)) {
				t.Errorf("message %q does not say row %d is missing", p.Message, k)
			}
		})
	}
	t.Run("several rows", func(t *testing.T) {
		es, head := buildChain(chainLen)
		es = slices.Delete(slices.Clone(es), 9, 14) // rows 10..14
		v := verify(es, head)
		if len(v.Problems) != 1 {
			t.Fatalf("problems %+v, want exactly one", v.Problems)
		}
		if p := v.Problems[0]; p.Seq != 15 || !strings.Contains(p.Message, "missing") || !strings.Contains(p.Message, "10 to 14") {
			t.Errorf("problem %+v, want rows 10 to 14 missing at row 15", p)
		}
	})
	t.Run("last row", func(t *testing.T) {
		es, head := buildChain(chainLen)
		v := verify(es[:chainLen-1], head)
		if len(v.Problems) != 1 || !strings.Contains(v.Problems[0].Message, "missing") {
			t.Fatalf("problems %+v, want one saying the last row is missing", v.Problems)
		}
	})
	t.Run("last 3 rows, head still 50", func(t *testing.T) {
		es, head := buildChain(chainLen)
		v := verify(es[:chainLen-3], head)
		if len(v.Problems) != 1 {
			t.Fatalf("problems %+v, want exactly one", v.Problems)
		}
		p := v.Problems[0]
		if !strings.Contains(p.Message, "missing") || !strings.Contains(p.Message, "48 to 50") {
			t.Errorf("message %q does not say rows 48 to 50 are missing", p.Message)
		}
		if got, want := p.Seq, int64(48); got != want {
			t.Errorf("problem at row %d, want %d", got, want)
		}
	})
	t.Run("every row, head still 50", func(t *testing.T) {
		_, head := buildChain(chainLen)
		v := verify(nil, head)
		if len(v.Problems) != 1 || !strings.Contains(v.Problems[0].Message, "missing") {
			t.Errorf("problems %+v, want one saying rows are missing", v.Problems)
		}
	})
}

func TestAuditSwappedRows(t *testing.T) {
	cases := []struct {
		name string
		i, j int // rows, 1-based
	}{
		{"adjacent", 10, 11},
		{"apart", 10, 20},
		{"first and second", 1, 2},
		{"first and last", 1, chainLen},
		{"last two", chainLen - 1, chainLen},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/positions", func(t *testing.T) {
			es, head := buildChain(chainLen)
			es = slices.Clone(es)
			es[tc.i-1], es[tc.j-1] = es[tc.j-1], es[tc.i-1]
			if v := verify(es, head); len(v.Problems) == 0 {
				t.Errorf("swapping rows %d and %d went undetected", tc.i, tc.j)
			}
		})
		t.Run(tc.name+"/contents", func(t *testing.T) {
			// Swap everything but the sequence numbers, as an attacker
			// editing the table in place would.
			es, head := buildChain(chainLen)
			es = cloneChain(es)
			a, b := es[tc.i-1], es[tc.j-1]
			a.Seq, b.Seq = b.Seq, a.Seq
			*a, *b = *b, *a
			if a.Seq != int64(tc.i) || b.Seq != int64(tc.j) {
				t.Fatalf("test swapped the sequence numbers")
			}
			v := verify(es, head)
			if len(v.Problems) == 0 {
				t.Fatalf("swapping rows %d and %d went undetected", tc.i, tc.j)
			}
			if got, want := v.Problems[0].Seq, int64(tc.i); got != want {
				t.Errorf("first problem at row %d, want %d: %+v", got, want, v.Problems)
			}
		})
	}
}

func TestAuditRehashedRow(t *testing.T) {
	// Editing a row and recomputing its own hash leaves the row
	// consistent; the next row no longer follows it.
	for _, k := range []int{1, 2, 25, chainLen - 1} {
		t.Run(fmt.Sprintf("row %d", k), func(t *testing.T) {
			es, head := buildChain(chainLen)
			es = cloneChain(es)
			es[k-1].Actor = "mallory"
			es[k-1].Hash = es[k-1].ComputeHash()
			v := verify(es, head)
			if len(v.Problems) != 1 {
				t.Fatalf("problems %+v, want exactly one at row %d", v.Problems, k+1)
			}
			p := v.Problems[0]
			if got, want := p.Seq, int64(k+1); got != want {
				t.Errorf("problem at row %d, want %d: %s", got, want, p.Message)
			}
			if !strings.Contains(p.Message, fmt.Sprintf("row %d", k)) {
				t.Errorf("message %q does not name row %d", p.Message, k)
			}
		})
	}
	t.Run("last row", func(t *testing.T) {
		es, head := buildChain(chainLen)
		es = cloneChain(es)
		last := es[chainLen-1]
		last.After = json.RawMessage(`{"forged":true}`)
		last.Hash = last.ComputeHash()
		v := verify(es, head)
		if len(v.Problems) != 1 {
			t.Fatalf("problems %+v, want exactly one", v.Problems)
		}
		if got, want := v.Problems[0].Seq, int64(chainLen); got != want {
			t.Errorf("problem at row %d, want %d", got, want)
		}
	})
	t.Run("whole tail rewritten", func(t *testing.T) {
		// Rewriting every row from k on keeps the chain consistent; only
		// the separately kept head catches it.
		es, head := buildChain(chainLen)
		es = cloneChain(es)
		prev := es[19].PrevHash
		for _, e := range es[19:] {
			e.Actor = "mallory"
			e.PrevHash = prev
			e.Hash = e.ComputeHash()
			prev = e.Hash
		}
		v := verify(es, head)
		if len(v.Problems) != 1 {
			t.Fatalf("problems %+v, want exactly one", v.Problems)
		}
		if got, want := v.Problems[0].Seq, int64(chainLen); got != want {
			t.Errorf("problem at row %d, want %d", got, want)
		}
	})
	t.Run("row inserted", func(t *testing.T) {
		es, head := buildChain(chainLen)
		es = cloneChain(es)
		extra := &arv.AuditEntry{Seq: 11, At: es[10].At, Actor: "mallory", Action: "x", Entity: "y", PrevHash: es[9].Hash}
		extra.Hash = extra.ComputeHash()
		es = slices.Insert(es, 10, extra)
		if v := verify(es, head); len(v.Problems) == 0 {
			t.Errorf("inserted row went undetected")
		}
	})
	t.Run("row appended outside the server", func(t *testing.T) {
		es, head := buildChain(chainLen)
		es = cloneChain(es)
		extra := &arv.AuditEntry{Seq: chainLen + 1, At: es[chainLen-1].At, Actor: "mallory", Action: "x", Entity: "y", PrevHash: es[chainLen-1].Hash}
		extra.Hash = extra.ComputeHash()
		v := verify(append(es, extra), head)
		if len(v.Problems) != 1 || !strings.Contains(v.Problems[0].Message, "head") {
			t.Errorf("problems %+v, want one about the chain head", v.Problems)
		}
	})
}

func TestAuditHashFields(t *testing.T) {
	base := func() *arv.AuditEntry {
		return &arv.AuditEntry{
			Seq: 7, At: auditBase, Actor: "tfc1", Action: "incident.decide", Entity: "incident/3",
			Before: json.RawMessage(`{"status":"awaiting_decision"}`), After: json.RawMessage(`{"status":"authorised"}`),
			PrevHash: strings.Repeat("ab", 32),
		}
	}
	h0 := base().ComputeHash()
	if len(h0) != 64 || strings.Trim(h0, "0123456789abcdef") != "" {
		t.Fatalf("ComputeHash = %q, want 64 hex digits", h0)
	}
	if h := base().ComputeHash(); h != h0 {
		t.Fatalf("ComputeHash not deterministic: %s, %s", h, h0)
	}
	withHash := base()
	withHash.Hash = "anything"
	if h := withHash.ComputeHash(); h != h0 {
		t.Errorf("ComputeHash depends on the Hash field")
	}
	zone := base()
	zone.At = zone.At.In(time.FixedZone("BST", 3600))
	if h := zone.ComputeHash(); h != h0 {
		t.Errorf("ComputeHash differs for the same instant in another zone")
	}

	cases := []struct {
		name string
		edit func(*arv.AuditEntry)
	}{
		{"Seq", func(e *arv.AuditEntry) { e.Seq++ }},
		{"Seq high bit", func(e *arv.AuditEntry) { e.Seq |= 1 << 40 }},
		{"At second", func(e *arv.AuditEntry) { e.At = e.At.Add(time.Second) }},
		{"At microsecond", func(e *arv.AuditEntry) { e.At = e.At.Add(time.Microsecond) }},
		{"At year", func(e *arv.AuditEntry) { e.At = e.At.AddDate(1, 0, 0) }},
		{"Actor", func(e *arv.AuditEntry) { e.Actor = "tfc2" }},
		{"Actor empty", func(e *arv.AuditEntry) { e.Actor = "" }},
		{"Action", func(e *arv.AuditEntry) { e.Action = "incident.ratify" }},
		{"Entity", func(e *arv.AuditEntry) { e.Entity = "incident/4" }},
		{"Before", func(e *arv.AuditEntry) { e.Before = json.RawMessage(`{"status":"authorised"}`) }},
		{"Before nil", func(e *arv.AuditEntry) { e.Before = nil }},
		{"After", func(e *arv.AuditEntry) { e.After = json.RawMessage(`{"status":"stood_down"}`) }},
		{"After nil", func(e *arv.AuditEntry) { e.After = nil }},
		{"PrevHash", func(e *arv.AuditEntry) { e.PrevHash = arv.GenesisHash }},
		// Moving bytes across a field boundary keeps the concatenation
		// but must change the hash.
		{"Actor->Action", func(e *arv.AuditEntry) { e.Actor, e.Action = "tfc1i", "ncident.decide" }},
		{"Action->Actor", func(e *arv.AuditEntry) { e.Actor, e.Action = "tfc", "1incident.decide" }},
		{"Action->Entity", func(e *arv.AuditEntry) { e.Action, e.Entity = "incident.decid", "eincident/3" }},
		{"Entity->Before", func(e *arv.AuditEntry) {
			e.Entity, e.Before = "incident/3{", json.RawMessage(`"status":"awaiting_decision"}`)
		}},
		{"Before->After", func(e *arv.AuditEntry) {
			e.Before, e.After = json.RawMessage(`{"status":"awaiting_decision"}{`), json.RawMessage(`"status":"authorised"}`)
		}},
		{"Before and After swapped", func(e *arv.AuditEntry) { e.Before, e.After = e.After, e.Before }},
		{"After->PrevHash", func(e *arv.AuditEntry) {
			e.After, e.PrevHash = json.RawMessage(`{"status":"authorised"}a`), "b"+strings.Repeat("ab", 31)
		}},
		{"Actor into Action entirely", func(e *arv.AuditEntry) { e.Actor, e.Action = "", "tfc1incident.decide" }},
	}
	seen := map[string]string{h0: "base"}
	for _, tc := range cases {
		e := base()
		tc.edit(e)
		h := e.ComputeHash()
		if other, ok := seen[h]; ok {
			t.Errorf("%s: hash equals that of %s", tc.name, other)
			continue
		}
		seen[h] = tc.name
	}
}

// prefixed is a field as ComputeHash encodes it: its length as 8 bytes,
// big-endian, then its bytes.
func prefixed(s string) string {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	return string(n[:]) + s
}

// TestAuditHashCraftedCollision builds two entries whose fields encode
// to the same byte stream if Actor were written without its length: the
// first entry's After smuggles four length-prefixed fields. Every field
// must be length-prefixed for the hashes to differ.
func TestAuditHashCraftedCollision(t *testing.T) {
	inner := prefixed("x1") + prefixed("x2") + prefixed("x3") + prefixed("x4")
	a := &arv.AuditEntry{Seq: 1, At: auditBase, Actor: "", Action: "v", Entity: "w",
		Before: json.RawMessage("b"), After: json.RawMessage(inner), PrevHash: "p"}
	b := &arv.AuditEntry{Seq: 1, At: auditBase,
		Actor:  prefixed("v") + prefixed("w") + prefixed("b") + prefixed(inner)[:8],
		Action: "x1", Entity: "x2", Before: json.RawMessage("x3"), After: json.RawMessage("x4"), PrevHash: "p"}
	if a.ComputeHash() == b.ComputeHash() {
		t.Errorf("crafted entries hash alike: %+v and %+v", a, b)
	}
}

// FuzzAuditHash checks that no two splits of the same bytes between Actor
// and Action (or Action and Entity) hash alike.
func FuzzAuditHash(f *testing.F) {
	f.Add([]byte("tfc1incident.decide"), uint(4), uint(5))
	f.Add([]byte(""), uint(0), uint(1))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x01a"), uint(0), uint(8))
	f.Add([]byte("aaaaaaaa"), uint(3), uint(4))
	f.Fuzz(func(t *testing.T, data []byte, i, j uint) {
		n := uint(len(data)) + 1
		i, j = i%n, j%n
		if i == j {
			return
		}
		s := string(data)
		mk := func(actor, action, entity string) *arv.AuditEntry {
			return &arv.AuditEntry{Seq: 1, At: auditBase, Actor: actor, Action: action, Entity: entity,
				After: json.RawMessage(`{}`), PrevHash: arv.GenesisHash}
		}
		a, b := mk(s[:i], s[i:], "e"), mk(s[:j], s[j:], "e")
		if a.ComputeHash() == b.ComputeHash() {
			t.Errorf("Actor/Action splits %q|%q and %q|%q hash alike", s[:i], s[i:], s[:j], s[j:])
		}
		c, d := mk("a", s[:i], s[i:]), mk("a", s[:j], s[j:])
		if c.ComputeHash() == d.ComputeHash() {
			t.Errorf("Action/Entity splits %q|%q and %q|%q hash alike", s[:i], s[i:], s[:j], s[j:])
		}
	})
}
