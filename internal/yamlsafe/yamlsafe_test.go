package yamlsafe

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var testLimits = Limits{What: "test file", MaxSize: 1 << 20, MaxNesting: 16, MaxKeys: 1000, MaxDocuments: 1, MaxAnchors: 100}

func TestFormat(t *testing.T) {
	cases := []struct {
		file      string
		line, col int
		path, msg string
		want      string
	}{
		{"a.yaml", 3, 5, "arvs[1].crew", "bad", "a.yaml:3:5: arvs[1].crew: bad"},
		{"a.yaml", 0, 0, "", "too big", "a.yaml: too big"},
		{"a.yaml", 2, 0, "", "x", "a.yaml:2:1: x"},
		{"", 2, 3, "name", "empty", "name: empty"},
		{"", 0, 0, "", "plain", "plain"},
	}
	for _, tc := range cases {
		if got := Format(tc.file, tc.line, tc.col, tc.path, tc.msg); got != tc.want {
			t.Errorf("Format=%q, want %q", got, tc.want)
		}
	}
}

func TestScreen(t *testing.T) {
	flatKeys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: %d\n", i, i)
		}
		return b.String()
	}
	cases := []struct {
		name, in string
		want     string // "" for accepted
	}{
		{"ok", "a: 1\nb: [1, {c: 2}]\n", ""},
		{"blank lines", "a: 1\n\n\r\n  \nb: 2\n\n", ""},
		{"empty", "", ""},
		{"too large", strings.Repeat("#", testLimits.MaxSize+1), "f.yaml: test file is larger than 1048576 bytes"},
		{"NUL", "a: 1\nb: \x00", "f.yaml:2:4: not a YAML text file: byte 0x00 is not UTF-8 text"},
		{"bad UTF-8", "a: \xff", "f.yaml:1:4: not a YAML text file: byte 0xff is not UTF-8 text"},
		{"brackets", "a: " + strings.Repeat("[", 17), "f.yaml:1:20: brackets nested more than 16 deep"},
		{"16 brackets", "a: " + strings.Repeat("[", 16) + strings.Repeat("]", 16), ""},
		{"indicators", strings.Repeat("- ", 17) + "x\n", "f.yaml:1:33: more than 16 nested block entries on one line"},
		{"1000 keys", flatKeys(1000), ""},
		{"1001 keys", flatKeys(1001), "f.yaml:1001:1: more than 1000 keys in one mapping"},
		{"keys in many mappings", strings.Repeat("m:\n"+strings.Repeat("  k: 1\n", 600), 3), ""},
		{"keys in list items", strings.Repeat("- a: 1\n  b: 2\n", 2000), ""},
		{"flow keys", "a: {" + strings.Repeat("k: 1, ", 1001) + "}", "f.yaml:1:6006: more than 1000 keys in one mapping"},
		{"flow lists", "a: [" + strings.Repeat("1, ", 5000) + "]", ""},
		{"one document marker", "---\na: 1\n", ""},
		{"two document markers", "---\na: 1\n---\nb: 2\n", "f.yaml:3:1: more than one YAML document; a test file is one"},
		{"marker-like text", "a: |\n  ---\n---x: 1\n", ""},
		{"anchors", strings.Repeat("- &a x\n", 101), "f.yaml:101:3: more than 100 anchors (&)"},
		{"ampersands in text", strings.Repeat("- R&D & more\n", 200), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Screen([]byte(tc.in), "f.yaml", testLimits)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Screen: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Screen accepted the input, want %q", tc.want)
			case tc.want != "" && err.Error() != tc.want:
				t.Fatalf("Screen: %q, want %q", err, tc.want)
			}
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
		})
	}
}

// TestScreenBoundsParseTime checks that what Screen lets through parses
// quickly: the most keys in one mapping, in block and flow style.
func TestScreenBoundsParseTime(t *testing.T) {
	var block strings.Builder
	for i := range testLimits.MaxKeys {
		fmt.Fprintf(&block, "key%d: %d\n", i, i)
	}
	for name, in := range map[string]string{
		"block keys":          block.String(),
		"flow duplicate keys": "a: {" + strings.Repeat("k: 1, ", testLimits.MaxKeys) + "}",
		"documents":           "a: 1\n---\n",
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse([]byte(in), "f.yaml", testLimits)
			// Generous for the race detector and slow machines: the
			// largest of these takes about 5 ms without it.
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Parse took %v (error %v)", d, err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		for _, in := range []string{"", "# only a comment\n", "---\n", "\ufeff"} {
			body, err := Parse([]byte(in), "f.yaml", testLimits)
			if err != nil || body != nil {
				t.Errorf("Parse(%q)=%v, %v; want nil, nil", in, body, err)
			}
		}
	})
	t.Run("two documents", func(t *testing.T) {
		_, err := Parse([]byte("a: 1\n---\nb: 2\n"), "f.yaml", testLimits)
		if got, want := fmt.Sprint(err), "f.yaml:3:1: more than one YAML document; a test file is one"; got != want {
			t.Fatalf("error %q, want %q", got, want)
		}
	})
	t.Run("syntax", func(t *testing.T) {
		_, err := Parse([]byte("a: 1\nb: [unclosed\n"), "f.yaml", testLimits)
		var e *Error
		if !errors.As(err, &e) || e.Line != 2 || !strings.Contains(e.Msg, "']' not found") {
			t.Fatalf("error %v, want a syntax error on line 2", err)
		}
	})
	t.Run("CRLF lines", func(t *testing.T) {
		body, err := Parse([]byte("\ufeffa: 1\r\nb: 2\r\nc: 3\r\n"), "f.yaml", testLimits)
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := Lookup(body, "c"); !ok || p != (Pos{3, 1}) {
			t.Fatalf("c at %v (found %v), want 3:1", p, ok)
		}
	})
}

const lookupDoc = `# a comment
name: test
force:
  name: Wiltshire Police
  area_km2: 3485
arvs:
  - call_sign: A1
    shifts: [early, late]
  - call_sign: A2
    crew: 2
hours: [1, 2,
  3]
flow: {a: 1, b: {c: 2}}
`

func TestLookup(t *testing.T) {
	body, err := Parse([]byte(lookupDoc), "f.yaml", testLimits)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path  string
		line  int
		col   int
		found bool
	}{
		{"name", 2, 1, true},
		{"force.area_km2", 5, 3, true},
		{"arvs", 6, 1, true},
		{"arvs[0]", 7, 5, true},
		{"arvs[1].crew", 10, 5, true},
		{"arvs[0].shifts[1]", 8, 21, true},
		{"hours[2]", 12, 3, true},
		{"flow.b.c", 13, 18, true},
		{"force.population", 3, 1, false},  // missing key: its parent
		{"arvs[5].base", 6, 1, false},      // index past the end
		{"arvs[1].shifts[0]", 9, 5, false}, // missing in an item
		{"missing", 2, 1, false},           // the root: its first key
		{"arvs[x]", 6, 1, false},           // malformed: the prefix
		{"", 2, 1, false},
		{"name[0]", 2, 1, false}, // index into a scalar
		{"name.x", 2, 1, false},  // key into a scalar
	}
	for _, tc := range cases {
		p, found := Lookup(body, tc.path)
		if p != (Pos{tc.line, tc.col}) || found != tc.found {
			t.Errorf("Lookup(%q)=%d:%d, %v; want %d:%d, %v", tc.path, p.Line, p.Col, found, tc.line, tc.col, tc.found)
		}
	}
	if p, found := Lookup(nil, "a.b"); p != (Pos{1, 1}) || found {
		t.Errorf("Lookup(nil)=%v, %v; want 1:1, false", p, found)
	}
}

func TestSplitPath(t *testing.T) {
	good := map[string][]Segment{
		"name":                  {{Key: "name"}},
		"arvs[2].base":          {{Key: "arvs"}, {Index: 2}, {Key: "base"}},
		"demand.hour_of_day[3]": {{Key: "demand"}, {Key: "hour_of_day"}, {Index: 3}},
		"a[0][1].b":             {{Key: "a"}, {Index: 0}, {Index: 1}, {Key: "b"}},
	}
	for path, want := range good {
		got, err := SplitPath(path)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("SplitPath(%q)=%v, %v; want %v", path, got, err, want)
		}
		if back := JoinPath(got); back != path {
			t.Errorf("JoinPath(SplitPath(%q))=%q", path, back)
		}
	}
	for _, path := range []string{"", ".a", "a.", "a..b", "a[", "a[x]", "a[-1]", "a[+1]", "a[0]b", "a.[0]"} {
		if segs, err := SplitPath(path); err == nil {
			t.Errorf("SplitPath(%q)=%v, want an error", path, segs)
		}
	}
}
