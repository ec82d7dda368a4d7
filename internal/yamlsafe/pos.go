package yamlsafe

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Pos is a line and column in a file, both counted from 1 (columns in
// characters); the zero Pos is unknown.
type Pos struct{ Line, Col int }

// IsNil reports whether n is nil or a nil pointer in an interface, as the
// parser leaves some missing nodes.
func IsNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// NodePos returns where the parser places n, or the zero Pos. The parser
// places a block mapping at its first colon; StartPos gives its first
// key.
func NodePos(n ast.Node) Pos {
	if IsNil(n) {
		return Pos{}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{tk.Position.Line, max(tk.Position.Column, 1)}
}

// StartPos returns where n starts as a reader sees it: for a mapping,
// its first key; otherwise NodePos, or 1:1 when that is unknown.
func StartPos(n ast.Node) Pos {
	var first ast.Node
	switch n := n.(type) {
	case *ast.MappingNode:
		if len(n.Values) > 0 && n.Values[0] != nil {
			first = n.Values[0].Key
		}
	case *ast.MappingValueNode:
		first = n.Key
	}
	if p := NodePos(first); p.Line > 0 {
		return p
	}
	if p := NodePos(n); p.Line > 0 {
		return p
	}
	return Pos{1, 1}
}

// Entries returns the key-value pairs of a mapping node (a bare
// *ast.MappingValueNode is a mapping of one pair), and false for any
// other node.
func Entries(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := n.(type) {
	case *ast.MappingNode:
		if n == nil {
			return nil, false
		}
		return n.Values, true
	case *ast.MappingValueNode:
		if n == nil {
			return nil, false
		}
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

// Key returns the text of a plain scalar key, and false for a missing
// key, a merge key (<<), or a key that is an anchor, alias, tag,
// mapping or list.
func Key(mv *ast.MappingValueNode) (string, bool) {
	if mv == nil || IsNil(mv.Key) || mv.Key.IsMergeKey() {
		return "", false
	}
	switch k := ast.Node(mv.Key).(type) {
	case *ast.StringNode:
		return k.Value, true
	case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode:
		return "", false
	case ast.ScalarNode:
		if tk := k.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// Segment is one step of a path: a mapping key, or an index into a list
// when Key is "".
type Segment struct {
	Key   string
	Index int
}

// String formats s as it appears in a path: "key" or "[3]".
func (s Segment) String() string {
	if s.Key == "" {
		return "[" + strconv.Itoa(s.Index) + "]"
	}
	return s.Key
}

// SplitPath splits a path such as "arvs[2].shifts[0]" into its
// segments: keys separated by dots, indices in brackets. It returns the
// segments before any mistake, with an error saying what is wrong.
func SplitPath(path string) ([]Segment, error) {
	var segs []Segment
	for i := 0; i < len(path); {
		switch c := path[i]; {
		case c == '[':
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return segs, fmt.Errorf("%q: missing ] after [", path)
			}
			n, err := strconv.Atoi(path[i+1 : i+j])
			if err != nil || n < 0 || strings.HasPrefix(path[i+1:i+j], "+") {
				return segs, fmt.Errorf("%q: [%s] is not a list index (0, 1, 2, ...)", path, path[i+1:i+j])
			}
			segs = append(segs, Segment{Index: n})
			i += j + 1
			if i < len(path) && path[i] != '.' && path[i] != '[' {
				return segs, fmt.Errorf("%q: want . or [ after ]", path)
			}
		case c == '.':
			if i == 0 || i+1 == len(path) || path[i+1] == '.' || path[i+1] == '[' {
				return segs, fmt.Errorf("%q: empty key", path)
			}
			i++
		default:
			j := strings.IndexAny(path[i:], ".[")
			if j < 0 {
				j = len(path) - i
			}
			if i > 0 && path[i-1] == ']' {
				return segs, fmt.Errorf("%q: want . or [ after ]", path)
			}
			segs = append(segs, Segment{Key: path[i : i+j]})
			i += j
		}
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return segs, nil
}

// JoinPath is the inverse of SplitPath.
func JoinPath(segs []Segment) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && s.Key != "" {
			b.WriteByte('.')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// Find returns the node at segs under root and how many segments it
// followed: all of them when the node is there, fewer when a key or an
// index is missing (the node is then that of the nearest present
// ancestor; root itself when none is). Anchors and tags are looked
// through; aliases are not followed. keyNode is the key of the last
// mapping entry followed, nil when the last step was an index or none
// was taken.
func Find(root ast.Node, segs []Segment) (n ast.Node, keyNode ast.Node, found int) {
	n = root
	for found < len(segs) {
		n = unwrap(n)
		s := segs[found]
		var next, key ast.Node
		if s.Key != "" {
			entries, _ := Entries(n)
			for _, mv := range entries {
				if k, ok := Key(mv); ok && k == s.Key {
					next, key = mv.Value, mv.Key
					break
				}
			}
			if key == nil {
				return n, keyNode, found
			}
		} else {
			seq, ok := n.(*ast.SequenceNode)
			if !ok || seq == nil || s.Index >= len(seq.Values) {
				return n, keyNode, found
			}
			next = seq.Values[s.Index]
		}
		n, keyNode = next, key
		found++
	}
	return n, keyNode, found
}

// unwrap returns the node an anchor or tag stands for.
func unwrap(n ast.Node) ast.Node {
	for range 100 { // nesting is bounded by Screen; this is a backstop
		switch a := n.(type) {
		case *ast.AnchorNode:
			if a == nil {
				return n
			}
			n = a.Value
		case *ast.TagNode:
			if a == nil {
				return n
			}
			n = a.Value
		default:
			return n
		}
	}
	return n
}

// Lookup returns where the setting at path is in the tree under root:
// the key of a mapping entry, or the start of a list item (StartPos).
// When the path is not all there (a missing key, an index past the end,
// or a malformed path) it returns the position of the nearest present
// ancestor, and false; the root's position is StartPos(root). Lookup
// never panics; with a nil root it returns 1:1.
func Lookup(root ast.Node, path string) (Pos, bool) {
	segs, err := SplitPath(path)
	n, key, found := Find(root, segs)
	var p Pos
	if found == 0 {
		p = StartPos(root)
	} else if key != nil && segs[found-1].Key != "" {
		p = NodePos(key)
	} else {
		p = StartPos(unwrap(n))
	}
	if p.Line == 0 {
		p = Pos{1, 1}
	}
	return p, err == nil && found == len(segs)
}
