package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/arv-project/arv/internal/yamlsafe"
)

// Set applies edits of the form "key.path=value" to the text of a
// scenario file and returns the edited text, keeping its comments and
// layout everywhere else. Paths are as in arv.FieldError
// ("demand.incidents_per_year", "arvs[0].crew", "network.builtin"); the
// value is a YAML scalar or flow value ("300", "kent", "[1, 2, 3]",
// "{dist: fixed, mean: 2, source: assumption}") that must suit the
// setting's type. For a string setting the value is taken as the text
// itself, quoted as needed ("name=Kent Police", "call_sign=101"), unless
// it is written in quotes.
//
// A setting the file leaves out is added to its mapping (a mapping
// missing on the way is added too, as {key: value}); list items cannot
// be added. A path the Scenario type does not have, an index past the
// end of a list, a value of the wrong type and a file that does not
// parse are errors (*SetError) naming the edit. Every edit is checked by
// parsing the result: it must change that setting and nothing else, or
// Set refuses it. The rest of the scenario is not checked (that is
// ParseScenario's job).
//
// Edits apply in order, each to the result of the one before; with none,
// Set returns a copy of data. CRLF line ends and a byte-order mark are
// kept.
func Set(data []byte, assignments []string) ([]byte, error) {
	if len(assignments) == 0 {
		return bytes.Clone(data), nil
	}
	bom := bytes.HasPrefix(data, []byte("\ufeff"))
	crlf := bytes.Contains(data, []byte("\r\n"))
	text := bytes.Clone(yamlsafe.Normalize(data))
	for _, a := range assignments {
		var err error
		if text, err = setOne(text, a); err != nil {
			return nil, err
		}
	}
	if crlf {
		text = bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
	}
	if bom {
		text = append([]byte("\ufeff"), text...)
	}
	return text, nil
}

// SetError is a problem with one edit given to Set.
type SetError struct {
	// Assignment is the edit, as given ("arvs[0].crew=two").
	Assignment string
	// Message says what is wrong with it.
	Message string
}

// Error formats e as "set assignment: message".
func (e *SetError) Error() string { return "set " + e.Assignment + ": " + e.Message }

// setOne applies one edit to normalised text.
func setOne(text []byte, a string) ([]byte, error) {
	fail := func(format string, args ...any) error {
		return &SetError{Assignment: a, Message: fmt.Sprintf(format, args...)}
	}
	path, value, ok := strings.Cut(a, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return nil, fail("want key.path=value, such as demand.incidents_per_year=300")
	}
	segs, err := yamlsafe.SplitPath(path)
	if err != nil {
		return nil, fail("%v", err)
	}
	typ, nullable, err := schemaType(segs)
	if err != nil {
		return nil, fail("%v", err)
	}
	valText, valNode, err := valueText(value, typ, path, nullable)
	if err != nil {
		return nil, fail("%v", err)
	}
	root, err := parse(text, "")
	if err != nil {
		var list ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			e := list[0]
			return nil, fail("the file does not parse: line %d, column %d: %s", e.Line, e.Column, e.Message)
		}
		return nil, fail("the file does not parse: %v", err)
	}
	ix := newTextIndex(text)
	ed, err := locate(ix, root, segs, valText)
	if err != nil {
		return nil, fail("%v", err)
	}
	out := make([]byte, 0, len(text)+len(ed.text))
	out = append(out, text[:ed.start]...)
	out = append(out, ed.text...)
	out = append(out, text[ed.end:]...)

	// Check that the edit changed the setting, and only the setting.
	newRoot, err := parse(out, "")
	want, werr := setGeneric(generic(root), segs, generic(valNode))
	if err != nil || werr != nil || !reflect.DeepEqual(want, generic(newRoot)) {
		return nil, fail("cannot edit the file at this place without changing its layout; edit it by hand")
	}
	return out, nil
}

// schemaType returns the Go type of the setting at segs in a Scenario,
// and whether it may be left out.
func schemaType(segs []yamlsafe.Segment) (reflect.Type, bool, error) {
	t, nullable := scenarioType, false
	for i, s := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		here := yamlsafe.JoinPath(segs[:i+1])
		if s.Key != "" {
			if t.Kind() != reflect.Struct {
				return nil, false, fmt.Errorf("%s holds %s, which has no keys", yamlsafe.JoinPath(segs[:i]), want(t))
			}
			f, ok := lookupField(t, s.Key)
			if !ok {
				return nil, false, fmt.Errorf("%s: %s", here, unknownField(t, s.Key))
			}
			t, nullable = t.Field(f.index).Type, f.omitempty
		} else {
			if t.Kind() != reflect.Slice {
				what := "the scenario"
				if i > 0 {
					what = yamlsafe.JoinPath(segs[:i])
				}
				return nil, false, fmt.Errorf("%s is not a list", what)
			}
			t, nullable = t.Elem(), false
		}
	}
	return t, nullable, nil
}

// valueText returns the text to write for value, a setting of type t,
// and its syntax tree. It checks that the value suits the type.
func valueText(value string, t reflect.Type, path string, nullable bool) (string, ast.Node, error) {
	v := strings.TrimSpace(value)
	if strings.ContainsAny(v, "\r\n") {
		return "", nil, errors.New("the value must be on one line")
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	text := v
	if base.Kind() == reflect.String && !isQuoted(v) && !plainOK(v, true) {
		text = quote(v)
	}
	if !utf8.ValidString(text) {
		return "", nil, errors.New("the value is not UTF-8 text")
	}
	root, err := parse([]byte("v: "+text+"\n"), "")
	if err != nil {
		var list ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			return "", nil, fmt.Errorf("%q is not a YAML value: %s", v, list[0].Message)
		}
		return "", nil, fmt.Errorf("%q is not a YAML value", v)
	}
	entries, _ := yamlsafe.Entries(root)
	if len(entries) != 1 {
		return "", nil, fmt.Errorf("%q is not one YAML value", v)
	}
	node := entries[0].Value
	switch n := node.(type) {
	case *ast.MappingValueNode:
		return "", nil, fmt.Errorf("%q: write a mapping in braces, as {key: value, ...}", v)
	case *ast.MappingNode:
		if !n.IsFlowStyle {
			return "", nil, fmt.Errorf("%q: write a mapping in braces, as {key: value, ...}", v)
		}
	case *ast.SequenceNode:
		if !n.IsFlowStyle {
			return "", nil, fmt.Errorf("%q: write a list in brackets, as [a, b, ...]", v)
		}
	}
	d := &decoder{}
	d.decode(node, reflect.New(t).Elem(), path, yamlsafe.Pos{}, nullable)
	if len(d.errs) > 0 {
		msgs := make([]string, len(d.errs))
		for i, e := range d.errs {
			msgs[i] = e.Message
			if e.Path != path {
				msgs[i] = e.Path + ": " + e.Message
			}
		}
		return "", nil, errors.New(strings.Join(msgs, "; "))
	}
	return text, node, nil
}

// isQuoted reports whether v is one quoted YAML string.
func isQuoted(v string) bool {
	if v == "" || v[0] != '"' && v[0] != '\'' {
		return false
	}
	f, err := parser.ParseBytes([]byte("v: "+v+"\n"), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0] == nil {
		return false
	}
	entries, _ := yamlsafe.Entries(f.Docs[0].Body)
	if len(entries) != 1 {
		return false
	}
	s, ok := entries[0].Value.(*ast.StringNode)
	return ok && s != nil && tokenTypeQuoted(s.Token)
}

// edit replaces text[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// errLayout says that a node could not be found in the text.
var errLayout = errors.New("cannot find the setting's text in the file; edit it by hand")

// locate finds where to write the value text val for the setting at
// segs in the file ix, whose syntax tree is root.
func locate(ix *textIndex, root ast.Node, segs []yamlsafe.Segment, val string) (edit, error) {
	// ctx describes how the current node n sits in its parent, for
	// replacing it.
	var ctx valueContext
	n := root
	for i, s := range segs {
		switch n.(type) {
		case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode:
			return edit{}, fmt.Errorf("%s is an anchor, alias or tag, which a scenario cannot hold", yamlsafe.JoinPath(segs[:i]))
		}
		if s.Key != "" {
			if _, null := n.(*ast.NullNode); (null || yamlsafe.IsNil(n)) && i > 0 {
				// A null mapping: replace it with the new entries.
				for _, r := range segs[i:] {
					if r.Key == "" {
						return edit{}, fmt.Errorf("%s is empty in the file; items cannot be added with set", yamlsafe.JoinPath(segs[:i]))
					}
				}
				return replace(ix, n, ctx, nest(segs[i:], val))
			}
			entries, ok := yamlsafe.Entries(n)
			if !ok {
				return edit{}, fmt.Errorf("%s is %s in the file, not a mapping", yamlsafe.JoinPath(segs[:i]), describe(n))
			}
			var found *ast.MappingValueNode
			for _, mv := range entries {
				if k, ok := yamlsafe.Key(mv); ok && k == s.Key {
					found = mv
					break
				}
			}
			if found == nil {
				for _, r := range segs[i+1:] {
					if r.Key == "" {
						return edit{}, fmt.Errorf("%s is not in the file; items cannot be added with set", yamlsafe.JoinPath(segs[:i+1]))
					}
				}
				return insert(ix, n, entries, s.Key+": "+nest(segs[i+1:], val))
			}
			ctx = valueContext{mv: found}
			n = found.Value
		} else {
			seq, ok := n.(*ast.SequenceNode)
			if !ok || seq == nil {
				prefix := "the scenario"
				if i > 0 {
					prefix = yamlsafe.JoinPath(segs[:i])
				}
				return edit{}, fmt.Errorf("%s is not a list in the file; items cannot be added with set", prefix)
			}
			if len(seq.Values) == 0 {
				return edit{}, fmt.Errorf("%s is empty in the file; items cannot be added with set", yamlsafe.JoinPath(segs[:i]))
			}
			if s.Index >= len(seq.Values) {
				return edit{}, fmt.Errorf("%s has %d items in the file (%s[0] to %s[%d]); items cannot be added with set", yamlsafe.JoinPath(segs[:i]), len(seq.Values), yamlsafe.JoinPath(segs[:i]), yamlsafe.JoinPath(segs[:i]), len(seq.Values)-1)
			}
			ctx = valueContext{seq: seq, index: s.Index}
			n = seq.Values[s.Index]
		}
	}
	return replace(ix, n, ctx, val)
}

// nest returns the flow text of a value val under the keys of segs:
// "{a: {b: val}}" for a.b.
func nest(segs []yamlsafe.Segment, val string) string {
	if len(segs) == 0 {
		return val
	}
	return "{" + segs[0].Key + ": " + nest(segs[1:], val) + "}"
}

// valueContext says where a node is: the value of mapping entry mv, or
// item index of seq.
type valueContext struct {
	mv    *ast.MappingValueNode
	seq   *ast.SequenceNode
	index int
}

// lead returns the token before the value (the ':' of its entry or the
// '-' of its list item) and the indentation its block content must
// exceed. ok is false for an item of a flow list.
func (c valueContext) lead() (tk *token.Token, indent int, ok bool) {
	switch {
	case c.mv != nil:
		kt := firstToken(c.mv.Key)
		if c.mv.Start == nil || kt == nil || kt.Position == nil {
			return nil, 0, false
		}
		return c.mv.Start, kt.Position.Column - 1, true
	case c.seq != nil && !c.seq.IsFlowStyle && len(c.seq.Entries) == len(c.seq.Values):
		e := c.seq.Entries[c.index]
		if e == nil || e.Start == nil || e.Start.Position == nil {
			return nil, 0, false
		}
		return e.Start, e.Start.Position.Column - 1, true
	}
	return nil, 0, false
}

// replace returns the edit that replaces node n, placed as ctx says,
// with text val.
func replace(ix *textIndex, n ast.Node, ctx valueContext, val string) (edit, error) {
	lead, indent, hasLead := ctx.lead()
	leadEnd := -1
	if hasLead {
		off, ok := ix.tokenStart(lead)
		if !ok {
			return edit{}, errLayout
		}
		leadEnd = off + 1
	}
	if _, null := n.(*ast.NullNode); null || yamlsafe.IsNil(n) {
		if tk := firstToken(n); tk != nil {
			// An explicit null ("null", "~") on the lead's line.
			if off, ok := ix.tokenStart(tk); ok && hasLead && tk.Position.Line == lead.Position.Line &&
				off >= leadEnd && bytes.HasPrefix(ix.text[off:], []byte(tk.Value)) && tk.Value != "" {
				return edit{off, off + len(tk.Value), val}, nil
			}
		}
		if !hasLead {
			return edit{}, errLayout
		}
		return edit{leadEnd, leadEnd, " " + val}, nil
	}
	first := firstToken(n)
	start, ok := ix.tokenStart(first)
	if !ok {
		return edit{}, errLayout
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		if n.IsFlowStyle {
			return flowEdit(ix, start, n.End, '}', val)
		}
	case *ast.SequenceNode:
		if n.IsFlowStyle {
			return flowEdit(ix, start, n.End, ']', val)
		}
	case *ast.LiteralNode, *ast.MappingValueNode:
	default:
		src := strings.TrimSpace(first.Origin)
		if !strings.Contains(src, "\n") {
			if !bytes.HasPrefix(ix.text[start:], []byte(src)) || src == "" {
				return edit{}, errLayout
			}
			return edit{start, start + len(src), val}, nil
		}
	}
	// A block collection, block scalar or multi-line scalar: replace
	// every line of it.
	if !hasLead {
		return edit{}, errLayout
	}
	dashAt := -1
	if ctx.mv != nil {
		dashAt = indent // "key:\n- item" lists may sit at the key's indentation
	}
	end := ix.blockEnd(first.Position.Line, indent+1, dashAt)
	if first.Position.Line > lead.Position.Line {
		return edit{leadEnd, end, " " + val}, nil
	}
	if end < start {
		return edit{}, errLayout
	}
	return edit{start, end, val}, nil
}

// flowEdit replaces a flow collection from start to its closing token.
func flowEdit(ix *textIndex, start int, end *token.Token, closer byte, val string) (edit, error) {
	off, ok := ix.tokenStart(end)
	if !ok || off < start || ix.text[off] != closer {
		return edit{}, errLayout
	}
	return edit{start, off + 1, val}, nil
}

// insert returns the edit that adds the entry text kv ("key: value") to
// the mapping n with the given entries.
func insert(ix *textIndex, n ast.Node, entries []*ast.MappingValueNode, kv string) (edit, error) {
	if m, ok := n.(*ast.MappingNode); ok && m.IsFlowStyle {
		off, ok := ix.tokenStart(m.End)
		if !ok || ix.text[off] != '}' {
			return edit{}, errLayout
		}
		if len(entries) > 0 {
			kv = ", " + kv
		}
		return edit{off, off, kv}, nil
	}
	if len(entries) == 0 || entries[0] == nil {
		return edit{}, errLayout
	}
	first := firstToken(entries[0].Key)
	if first == nil || first.Position == nil {
		return edit{}, errLayout
	}
	indent := first.Position.Column - 1
	end := ix.blockEnd(first.Position.Line, indent, -1)
	text := strings.Repeat(" ", indent) + kv + "\n"
	if end == len(ix.text) {
		return edit{end, end, "\n" + text}, nil
	}
	// end is at the '\n' ending the mapping's last line.
	return edit{end + 1, end + 1, text}, nil
}

// firstToken returns the first token of n as it appears in the text.
func firstToken(n ast.Node) *token.Token {
	if yamlsafe.IsNil(n) {
		return nil
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		if !n.IsFlowStyle && len(n.Values) > 0 && n.Values[0] != nil {
			if tk := firstToken(n.Values[0]); tk != nil {
				return tk
			}
		}
		return n.Start
	case *ast.MappingValueNode:
		if tk := firstToken(n.Key); tk != nil {
			return tk
		}
		return n.Start
	case *ast.SequenceNode:
		return n.Start
	case *ast.LiteralNode:
		return n.Start
	case *ast.AnchorNode:
		return n.Start
	case *ast.AliasNode:
		return n.Start
	case *ast.TagNode:
		return n.Start
	}
	return n.GetToken()
}

// textIndex finds byte offsets of lines and tokens in a text.
type textIndex struct {
	text   []byte
	starts []int // offset of the start of each line
}

func newTextIndex(text []byte) *textIndex {
	ix := &textIndex{text: text, starts: []int{0}}
	for i, c := range text {
		if c == '\n' {
			ix.starts = append(ix.starts, i+1)
		}
	}
	return ix
}

// lineEnd returns the offset of the '\n' ending line (from 1), or the
// end of the text.
func (ix *textIndex) lineEnd(line int) int {
	if line < len(ix.starts) {
		return ix.starts[line] - 1
	}
	return len(ix.text)
}

// tokenStart returns the offset of the token tk, whose position counts
// columns in characters from 1.
func (ix *textIndex) tokenStart(tk *token.Token) (int, bool) {
	if tk == nil || tk.Position == nil {
		return 0, false
	}
	line, col := tk.Position.Line, tk.Position.Column
	if line < 1 || line > len(ix.starts) || col < 1 {
		return 0, false
	}
	off, end := ix.starts[line-1], ix.lineEnd(line)
	for c := 1; c < col; c++ {
		if off >= end {
			return 0, false
		}
		_, size := utf8.DecodeRune(ix.text[off:end])
		off += size
	}
	if off >= len(ix.text) {
		return 0, false
	}
	return off, true
}

// blockEnd returns the offset of the end of the last line of a block
// that starts on line from: the lines after it belong to the block while
// they are blank, comments, indented by at least minIndent spaces, or
// (when dashAt >= 0) list items "- " indented by dashAt. A document
// marker (--- or ...) ends it. The offset is that of the line's '\n',
// or the end of the text.
func (ix *textIndex) blockEnd(from, minIndent, dashAt int) int {
	last := from
	for line := from + 1; line <= len(ix.starts); line++ {
		s := ix.text[ix.starts[line-1]:ix.lineEnd(line)]
		ind := 0
		for ind < len(s) && s[ind] == ' ' {
			ind++
		}
		rest := s[ind:]
		if len(bytes.TrimSpace(rest)) == 0 || rest[0] == '#' {
			continue
		}
		if ind == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) {
			break
		}
		if ind >= minIndent || ind == dashAt && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
			last = line
			continue
		}
		break
	}
	return ix.lineEnd(last)
}

// generic turns a syntax tree into maps, lists and tagged scalar
// strings, to compare two trees' meaning.
func generic(n ast.Node) any {
	if yamlsafe.IsNil(n) {
		return nil
	}
	switch n := n.(type) {
	case *ast.NullNode:
		return nil
	case *ast.StringNode:
		return "s:" + n.Value
	case *ast.LiteralNode:
		if n.Value == nil {
			return "s:"
		}
		return "s:" + n.Value.Value
	case *ast.IntegerNode:
		return fmt.Sprintf("i:%v", n.Value)
	case *ast.FloatNode:
		return "f:" + strconv.FormatFloat(n.Value, 'g', -1, 64)
	case *ast.BoolNode:
		return "b:" + strconv.FormatBool(n.Value)
	case *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return "f:" + tk.Value
		}
		return "f:?"
	case *ast.MappingNode, *ast.MappingValueNode:
		entries, _ := yamlsafe.Entries(n)
		m := make(map[string]any, len(entries))
		for _, mv := range entries {
			if mv == nil {
				continue
			}
			k, ok := yamlsafe.Key(mv)
			if !ok {
				k = "?" + fmt.Sprint(generic(mv.Key))
			}
			m[k] = generic(mv.Value)
		}
		return m
	case *ast.SequenceNode:
		l := make([]any, len(n.Values))
		for i, v := range n.Values {
			l[i] = generic(v)
		}
		return l
	case *ast.AnchorNode:
		return map[string]any{"&" + fmt.Sprint(generic(n.Name)): generic(n.Value)}
	case *ast.AliasNode:
		return "*" + fmt.Sprint(generic(n.Value))
	case *ast.TagNode:
		tag := ""
		if n.Start != nil {
			tag = n.Start.Value
		}
		return map[string]any{"!" + tag: generic(n.Value)}
	}
	return "?" + n.Type().String()
}

// setGeneric sets the value at segs in a generic tree (see generic),
// adding mappings on the way as needed.
func setGeneric(tree any, segs []yamlsafe.Segment, v any) (any, error) {
	if len(segs) == 0 {
		return v, nil
	}
	s := segs[0]
	if s.Key != "" {
		m, ok := tree.(map[string]any)
		if !ok {
			if tree != nil {
				return nil, errors.New("not a mapping")
			}
			m = make(map[string]any)
		}
		sub, err := setGeneric(m[s.Key], segs[1:], v)
		if err != nil {
			return nil, err
		}
		m[s.Key] = sub
		return m, nil
	}
	l, ok := tree.([]any)
	if !ok || s.Index >= len(l) {
		return nil, errors.New("no such item")
	}
	sub, err := setGeneric(l[s.Index], segs[1:], v)
	if err != nil {
		return nil, err
	}
	l[s.Index] = sub
	return l, nil
}
