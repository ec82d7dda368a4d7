package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/arv-project/arv"
)

// Marshal writes s as a scenario file: block mappings in the order of
// the Scenario type's fields, lists of numbers and strings in flow style
// ([1, 2, 3]), no comments, and optional settings at their zero value
// left out. ParseScenario reads the result back to a Scenario equal to s
// (reflect.DeepEqual), except that empty lists read back as nil. It
// refuses a nil scenario and numbers that are not finite (NaN, ±Inf),
// which a scenario file cannot hold.
func Marshal(s *arv.Scenario) ([]byte, error) {
	if s == nil {
		return nil, errors.New("yaml: marshal a nil scenario")
	}
	e := &emitter{}
	e.mapping(reflect.ValueOf(s).Elem(), 0, "", false)
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// emitter writes YAML text.
type emitter struct {
	buf bytes.Buffer
	err error
}

// mapping writes the fields of struct v as "key: value" lines at indent
// spaces; afterDash says that the first line's indentation and "- " have
// been written.
func (e *emitter) mapping(v reflect.Value, indent int, path string, afterDash bool) {
	first := true
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if omitted(f, fv) {
			continue
		}
		p := f.key
		if path != "" {
			p = path + "." + f.key
		}
		if !first || !afterDash {
			e.buf.WriteString(strings.Repeat(" ", indent))
		}
		first = false
		e.buf.WriteString(f.key)
		e.buf.WriteByte(':')
		e.value(fv, indent, p)
	}
	if first {
		// Every field is left out (see value).
		e.buf.WriteString("{}\n")
	}
}

// omitted reports whether field f, of value v, is left out.
func omitted(f field, v reflect.Value) bool {
	return f.omitempty && (v.IsZero() || v.Kind() == reflect.Slice && v.Len() == 0)
}

// allOmitted reports whether every field of struct v is left out.
func allOmitted(v reflect.Value) bool {
	for _, f := range fieldsOf(v.Type()) {
		if !omitted(f, v.Field(f.index)) {
			return false
		}
	}
	return true
}

// flat reports whether struct type t holds only scalars and lists of
// scalars, and so fits on one line as a flow mapping.
func flat(t reflect.Type) bool {
	for _, f := range fieldsOf(t) {
		ft := t.Field(f.index).Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Struct, reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return false
		}
	}
	return true
}

// flowMapping writes the flat struct v as {key: value, ...}.
func (e *emitter) flowMapping(v reflect.Value, path string) {
	e.buf.WriteByte('{')
	n := 0
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if omitted(f, fv) {
			continue
		}
		if n > 0 {
			e.buf.WriteString(", ")
		}
		n++
		e.buf.WriteString(f.key)
		e.buf.WriteString(": ")
		p := path + "." + f.key
		if fv.Kind() == reflect.Slice {
			e.flowSeq(fv, p)
			continue
		}
		e.buf.WriteString(e.scalar(fv, p, true))
	}
	e.buf.WriteByte('}')
}

// flowSeq writes slice v of scalars as a flow sequence, "[a, b]".
func (e *emitter) flowSeq(v reflect.Value, path string) {
	e.buf.WriteByte('[')
	for i := range v.Len() {
		if i > 0 {
			e.buf.WriteString(", ")
		}
		e.buf.WriteString(e.scalar(v.Index(i), fmt.Sprintf("%s[%d]", path, i), true))
	}
	e.buf.WriteByte(']')
}

// value writes v after "key:", ending the line.
func (e *emitter) value(v reflect.Value, indent int, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			e.buf.WriteString(" null\n")
			return
		}
		e.value(v.Elem(), indent, path)
	case reflect.Struct:
		if allOmitted(v) {
			e.buf.WriteString(" {}\n")
			return
		}
		e.buf.WriteByte('\n')
		e.mapping(v, indent+2, path, false)
	case reflect.Slice:
		if v.Len() == 0 {
			e.buf.WriteString(" []\n")
			return
		}
		et := v.Type().Elem()
		for et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		if et.Kind() != reflect.Struct && et.Kind() != reflect.Slice {
			e.buf.WriteByte(' ')
			e.flowSeq(v, path)
			e.buf.WriteByte('\n')
			return
		}
		e.buf.WriteByte('\n')
		for i := range v.Len() {
			item := v.Index(i)
			for item.Kind() == reflect.Pointer && !item.IsNil() {
				item = item.Elem()
			}
			e.buf.WriteString(strings.Repeat(" ", indent+2))
			e.buf.WriteString("- ")
			p := fmt.Sprintf("%s[%d]", path, i)
			if item.Kind() == reflect.Struct && flat(item.Type()) {
				e.flowMapping(item, p)
				e.buf.WriteByte('\n')
			} else if item.Kind() == reflect.Struct {
				e.mapping(item, indent+4, p, true)
			} else {
				e.buf.WriteString(e.scalar(item, p, true))
				e.buf.WriteByte('\n')
			}
		}
	case reflect.String:
		if s := v.String(); strings.Contains(s, "\n") {
			if lit, ok := literal(s, indent+2); ok {
				e.buf.WriteString(lit)
				return
			}
		}
		fallthrough
	default:
		e.buf.WriteByte(' ')
		e.buf.WriteString(e.scalar(v, path, false))
		e.buf.WriteByte('\n')
	}
}

// scalar returns the text of a scalar value; flow is set inside a flow
// list, where commas and brackets need quotes.
func (e *emitter) scalar(v reflect.Value, path string, flow bool) string {
	switch v.Kind() {
	case reflect.String:
		return quoteIfNeeded(v.String(), flow)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			if e.err == nil {
				e.err = fmt.Errorf("yaml: %s is %v; a scenario file holds finite numbers only", path, f)
			}
			return "0"
		}
		s := strconv.FormatFloat(f, 'g', -1, v.Type().Bits())
		if m, exp, ok := strings.Cut(s, "e"); ok && !strings.Contains(m, ".") {
			s = m + ".0e" + exp // 1.0e+21: YAML 1.1 readers want the point
		}
		return s
	case reflect.Pointer:
		if v.IsNil() {
			return "null"
		}
		return e.scalar(v.Elem(), path, flow)
	}
	if e.err == nil {
		e.err = fmt.Errorf("yaml: %s: cannot write a value of Go type %s", path, v.Type())
	}
	return "null"
}

// quoteIfNeeded returns s as a plain scalar when it reads back as the
// same string, and double-quoted otherwise.
func quoteIfNeeded(s string, flow bool) string {
	if plainOK(s, flow) {
		return s
	}
	return quote(s)
}

// plainOK reports whether s can be written without quotes: printable
// text that starts with no YAML indicator, holds no ": " or " #" (nor,
// in flow style, commas or brackets), and that the parser reads back as
// the string s (not a number, true, null, ...).
func plainOK(s string, flow bool) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`~", rune(s[0])) {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '\t' || r == '\ufeff' {
			return false
		}
	}
	return readsAs("v: "+s+"\n", s)
}

// readsAs reports whether the one-key document src parses to a string
// value equal to want.
func readsAs(src, want string) bool {
	f, err := parser.ParseBytes([]byte(src), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0] == nil {
		return false
	}
	mv, ok := f.Docs[0].Body.(*ast.MappingValueNode)
	if !ok || mv == nil {
		if m, ok := f.Docs[0].Body.(*ast.MappingNode); ok && m != nil && len(m.Values) == 1 {
			mv = m.Values[0]
		} else {
			return false
		}
	}
	switch v := mv.Value.(type) {
	case *ast.StringNode:
		return v.Value == want
	case *ast.LiteralNode:
		return v.Value != nil && v.Value.Value == want
	}
	return false
}

// quote returns s as a YAML double-quoted string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02X`, s[i]) // not reached: strings from a file are UTF-8
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\ufeff' || !unicode.IsPrint(r) && r != ' ':
			if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// literal returns s as a literal block scalar (" |-" and the lines of s
// at indent spaces) when it reads back as s, for multi-line text.
func literal(s string, indent int) (string, bool) {
	body, chomp := s, "-"
	if strings.HasSuffix(s, "\n") {
		body, chomp = s[:len(s)-1], ""
	}
	if body == "" || strings.HasSuffix(body, "\n") || strings.HasPrefix(body, " ") || strings.HasPrefix(body, "\n") {
		return "", false
	}
	for _, r := range body {
		if r != '\n' && (!unicode.IsPrint(r) || r == '\t' || r == '\ufeff') {
			return "", false
		}
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	b.WriteString(" |" + chomp + "\n")
	for line := range strings.SplitSeq(body, "\n") {
		if strings.HasSuffix(line, " ") {
			return "", false
		}
		if line != "" {
			b.WriteString(pad)
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	out := b.String()
	if !readsAs("v:"+strings.ReplaceAll(out, "\n"+pad, "\n  "), s) {
		return "", false
	}
	return out, true
}

// tokenTypeQuoted reports whether tk is a quoted scalar.
func tokenTypeQuoted(tk *token.Token) bool {
	return tk != nil && (tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType)
}
