package yaml

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/yamlsafe"
)

// scenarioType is the type ParseScenario fills in.
var scenarioType = reflect.TypeFor[arv.Scenario]()

// field is one key of a struct in a scenario file.
type field struct {
	key       string // the yaml tag's name
	index     int    // the struct field's index
	omitempty bool   // the tag has omitempty: the key may be left out or null
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf returns the keys of struct type t, in field order.
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		fs = append(fs, field{key: name, index: i, omitempty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	fieldCache.Store(t, fs)
	return fs
}

// lookupField returns the field of struct type t with key name.
func lookupField(t reflect.Type, name string) (field, bool) {
	for _, f := range fieldsOf(t) {
		if f.key == name {
			return f, true
		}
	}
	return field{}, false
}

// keyList returns the keys of struct type t as "a, b, c".
func keyList(t reflect.Type) string {
	fs := fieldsOf(t)
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

// unknownField says that key is not one of struct type t's, suggesting
// the closest key when there is one.
func unknownField(t reflect.Type, key string) string {
	fs := fieldsOf(t)
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	if s := closest(key, keys); s != "" {
		return "unknown field (did you mean " + s + "?)"
	}
	return "unknown field (known: " + strings.Join(keys, ", ") + ")"
}

// closest returns the candidate nearest to word, if it is near enough
// to be a likely typing mistake, or "".
func closest(word string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, min(len(word), len(best))/3) {
		return best
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b
// in bytes: insertions, deletions, substitutions and transpositions of
// neighbours count one each.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt // not a typing mistake; bounds the work
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// decoder fills Go values from a syntax tree, checking every key and
// type, and collects every problem.
type decoder struct {
	file string
	errs ErrorList
}

func (d *decoder) errorf(pos yamlsafe.Pos, path, format string, args ...any) {
	if pos.Line == 0 {
		pos = yamlsafe.Pos{Line: 1, Col: 1}
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: pos.Line, Column: pos.Col, Path: path, Message: fmt.Sprintf(format, args...)})
}

// decode fills v from n. path names the setting and pos is where
// problems with it are reported: its key, or the start of its list
// item. nullable says that a null or missing value leaves v at its zero
// value; otherwise it is an error. Every problem is recorded and v is
// left as far as it could be filled.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string, pos yamlsafe.Pos, nullable bool) {
	switch n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		d.errorf(pos, path, "anchors and aliases (& and *) are not supported")
		return
	case *ast.TagNode:
		d.errorf(pos, path, "YAML tags (!) are not supported")
		return
	}
	if _, null := n.(*ast.NullNode); null || yamlsafe.IsNil(n) {
		if nullable || v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice {
			v.SetZero()
			return
		}
		d.errorf(pos, path, "missing value: expected %s", want(v.Type()))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path, pos)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path, pos, false)
		v.Set(p)
	case reflect.Slice:
		d.decodeSlice(n, v, path, pos)
	default:
		d.decodeScalar(n, v, path, pos)
	}
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string, pos yamlsafe.Pos) {
	entries, ok := yamlsafe.Entries(n)
	if !ok {
		if path == "" {
			d.errorf(pos, path, "expected a mapping of scenario settings (%s), got %s", keyList(v.Type()), describe(n))
		} else {
			d.errorf(pos, path, "expected %s, got %s", want(v.Type()), describe(n))
		}
		return
	}
	seen := make(map[string]yamlsafe.Pos)
	for _, mv := range entries {
		if mv == nil {
			continue
		}
		kpos := yamlsafe.NodePos(mv.Key)
		if kpos.Line == 0 {
			kpos = pos
		}
		key, ok := yamlsafe.Key(mv)
		if !ok {
			switch {
			case !yamlsafe.IsNil(mv.Key) && mv.Key.IsMergeKey():
				d.errorf(kpos, path, "merge keys (<<) are not supported")
			case yamlsafe.IsNil(mv.Key):
				d.errorf(kpos, path, "missing key")
			default:
				d.errorf(kpos, path, "keys must be plain names, got %s", describe(mv.Key))
			}
			continue
		}
		p := key
		if path != "" {
			p = path + "." + key
		}
		f, ok := lookupField(v.Type(), key)
		if !ok {
			d.errorf(kpos, p, "%s", unknownField(v.Type(), key))
			continue
		}
		if first, dup := seen[key]; dup {
			d.errorf(kpos, p, "given twice (first at line %d)", first.Line)
			continue
		}
		seen[key] = kpos
		d.decode(mv.Value, v.Field(f.index), p, kpos, f.omitempty)
	}
}

func (d *decoder) decodeSlice(n ast.Node, v reflect.Value, path string, pos yamlsafe.Pos) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok || seq == nil {
		d.errorf(pos, path, "expected %s, got %s", want(v.Type()), describe(n))
		return
	}
	if len(seq.Values) == 0 {
		v.SetZero() // an empty list reads as nil, so files round-trip
		return
	}
	s := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		ipos := yamlsafe.StartPos(item)
		if yamlsafe.IsNil(item) {
			ipos = pos
		}
		d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i), ipos, false)
	}
	v.Set(s)
}

// durationRE matches a number with a unit of time, which a scenario
// writes as a plain number of minutes.
var durationRE = regexp.MustCompile(`^[0-9.]+ *(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)$`)

func (d *decoder) decodeScalar(n ast.Node, v reflect.Value, path string, pos yamlsafe.Pos) {
	bad := func() {
		hint := ""
		if s, ok := n.(*ast.StringNode); ok && s != nil && durationRE.MatchString(strings.TrimSpace(s.Value)) {
			hint = " (durations are plain numbers of minutes)"
		}
		d.errorf(pos, path, "expected %s, got %s%s", want(v.Type()), describe(n), hint)
	}
	switch v.Kind() {
	case reflect.String:
		switch n := n.(type) {
		case *ast.StringNode:
			v.SetString(n.Value)
		case *ast.LiteralNode:
			if n.Value == nil {
				v.SetString("")
			} else {
				v.SetString(n.Value.Value)
			}
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
			s := describe(n)
			d.errorf(pos, path, "expected a string, got %s (put it in quotes if it is text: %q)", s, s)
		default:
			bad()
		}
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			bad()
			return
		}
		v.SetBool(b.Value)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if d.leadingZero(n, path, pos) {
			return
		}
		if f, ok := plainFloat(n); ok {
			n = &ast.FloatNode{BaseNode: &ast.BaseNode{}, Token: n.GetToken(), Value: f}
		}
		switch n := n.(type) {
		case *ast.IntegerNode:
			var x int64
			switch i := n.Value.(type) {
			case int64:
				x = i
			case uint64:
				if i > math.MaxInt64 {
					d.errorf(pos, path, "%s is too large", describe(n))
					return
				}
				x = int64(i)
			default:
				bad()
				return
			}
			if v.OverflowInt(x) {
				d.errorf(pos, path, "%s is too large", describe(n))
				return
			}
			v.SetInt(x)
		case *ast.FloatNode:
			// 1e3 is a whole number written as a float.
			if f := n.Value; f == math.Trunc(f) && math.Abs(f) <= 1<<53 && !v.OverflowInt(int64(f)) {
				v.SetInt(int64(f))
				return
			}
			bad()
		default:
			bad()
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if d.leadingZero(n, path, pos) {
			return
		}
		if f, ok := plainFloat(n); ok {
			n = &ast.FloatNode{BaseNode: &ast.BaseNode{}, Token: n.GetToken(), Value: f}
		}
		var x uint64
		ok := false
		switch n := n.(type) {
		case *ast.IntegerNode:
			switch i := n.Value.(type) {
			case int64:
				x, ok = uint64(i), i >= 0
			case uint64:
				x, ok = i, true
			}
		case *ast.FloatNode:
			if f := n.Value; f == math.Trunc(f) && f >= 0 && f <= 1<<53 {
				x, ok = uint64(f), true
			}
		}
		if !ok || v.OverflowUint(x) {
			max := uint64(math.MaxUint64) >> (64 - v.Type().Bits())
			d.errorf(pos, path, "expected a whole number from 0 to %d, got %s", max, describe(n))
			return
		}
		v.SetUint(x)
	case reflect.Float32, reflect.Float64:
		if d.leadingZero(n, path, pos) {
			return
		}
		f, ok := plainFloat(n)
		switch n := n.(type) {
		case *ast.StringNode:
			if !ok {
				bad()
				return
			}
		case *ast.IntegerNode:
			switch i := n.Value.(type) {
			case int64:
				f = float64(i)
			case uint64:
				f = float64(i)
			default:
				bad()
				return
			}
		case *ast.FloatNode:
			f = n.Value
		case *ast.InfinityNode, *ast.NanNode:
			d.errorf(pos, path, "expected a finite number, got %s", describe(n))
			return
		default:
			bad()
			return
		}
		if math.IsInf(f, 0) || math.IsNaN(f) || v.OverflowFloat(f) {
			d.errorf(pos, path, "expected a finite number, got %s", describe(n))
			return
		}
		v.SetFloat(f)
	default:
		// Not reached for arv.Scenario: TestDecoderCoversScenario checks
		// every kind it uses.
		d.errorf(pos, path, "cannot read a value of Go type %s", v.Type())
	}
}

// floatRE is a YAML 1.2 (core schema) float in decimal notation. The
// parser reads some of these as strings: those with an exponent but no
// point ("1e-3").
var floatRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// plainFloat returns the value of an unquoted string that YAML 1.2
// reads as a number.
func plainFloat(n ast.Node) (float64, bool) {
	s, ok := n.(*ast.StringNode)
	if !ok || s == nil || s.Token == nil || s.Token.Type != token.StringType || !floatRE.MatchString(s.Value) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s.Value, 64)
	return f, err == nil
}

// leadingZeroRE matches integers written with a leading zero, which the
// parser reads as octal (YAML 1.1) and YAML 1.2 as decimal.
var leadingZeroRE = regexp.MustCompile(`^[-+]?0[0-9_]+$`)

// leadingZero records a problem and returns true for an integer written
// with a leading zero.
func (d *decoder) leadingZero(n ast.Node, path string, pos yamlsafe.Pos) bool {
	in, ok := n.(*ast.IntegerNode)
	if !ok || in == nil || in.Token == nil || !leadingZeroRE.MatchString(in.Token.Value) {
		return false
	}
	d.errorf(pos, path, "%s has a leading zero, which YAML readers take as octal or decimal; write it without", in.Token.Value)
	return true
}

// want says what a value of type t looks like in YAML, for messages.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "a mapping (" + keyList(t) + ")"
	case reflect.Pointer:
		return want(t.Elem())
	case reflect.Slice:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value"
}

// describe says what n is, for messages: the text of a scalar (quoted
// for a string), or "a list", "a mapping".
func describe(n ast.Node) string {
	const maxShown = 40
	if yamlsafe.IsNil(n) {
		return "nothing"
	}
	switch n := n.(type) {
	case *ast.StringNode:
		s := n.Value
		if len(s) > maxShown {
			s = strings.ToValidUTF8(s[:maxShown], "") + "..."
		}
		return strconv.Quote(s)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.AnchorNode, *ast.AliasNode:
		return "an anchor or alias"
	case *ast.TagNode:
		return "a tagged value"
	case *ast.MappingKeyNode:
		return "a complex key (? key)"
	}
	if tk := n.GetToken(); tk != nil && tk.Type != token.CommentType {
		s := tk.Value
		if len(s) > maxShown {
			s = strings.ToValidUTF8(s[:maxShown], "") + "..."
		}
		return s
	}
	return "a YAML " + strings.ToLower(n.Type().String())
}
