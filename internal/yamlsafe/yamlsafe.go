package yamlsafe

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Limits bound the input Screen and Parse let through to the parser. A
// zero limit other than MaxSize and MaxNesting means no limit.
type Limits struct {
	// What names the kind of file in messages ("profile", "scenario").
	What string
	// MaxSize is the largest input in bytes, after a byte-order mark is
	// removed and line ends are normalised.
	MaxSize int
	// MaxNesting bounds the depth of flow brackets ([ and {) and the
	// number of block indicators ("- ", "? ", ": ") at the start of one
	// line. Brackets are counted everywhere, even in quotes and comments,
	// so the limit should leave room for a few.
	MaxNesting int
	// MaxKeys bounds the number of keys of one mapping, estimated from
	// the text: lines holding "key:" at one indentation, and keys between
	// one pair of braces. The parser slows down with the square of it.
	MaxKeys int
	// MaxDocuments bounds the number of "---" document markers.
	MaxDocuments int
	// MaxAnchors bounds the number of anchors (&name).
	MaxAnchors int
}

// Error is one problem in a YAML file.
type Error struct {
	// File is the name of the file, as the caller gave it.
	File string
	// Line and Column locate the problem, both counted from 1 (columns
	// in characters); 0 when unknown.
	Line, Column int
	// Path names the setting, such as "arvs[2].base"; "" for problems
	// with the file as a whole.
	Path string
	// Msg describes the problem.
	Msg string
}

// Error formats e as "file:line:column: path: msg" (see Format).
func (e *Error) Error() string { return Format(e.File, e.Line, e.Column, e.Path, e.Msg) }

// Format formats a problem as "file:line:column: path: msg", leaving out
// the parts that are empty or zero: "file: msg" without a position,
// "path: msg" without a file.
func Format(file string, line, col int, path, msg string) string {
	var b strings.Builder
	if file != "" {
		b.WriteString(file)
		if line > 0 {
			fmt.Fprintf(&b, ":%d:%d", line, max(col, 1))
		}
		b.WriteString(": ")
	}
	if path != "" {
		b.WriteString(path)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return b.String()
}

// Normalize returns data without a leading byte-order mark (as some
// Windows editors write) and with CRLF line ends turned into LF, on
// which the parser's line numbers are right. It returns data itself when
// there is nothing to change.
func Normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data
}

// Screen refuses input the parser should not see: larger than
// lim.MaxSize, not UTF-8 text or holding NUL, nested deeper than
// lim.MaxNesting, with more keys in one mapping than lim.MaxKeys, more
// documents than lim.MaxDocuments or more anchors than lim.MaxAnchors.
// Its checks read the text, not the YAML structure, and so can be
// fooled by brackets or colons in quoted text or comments; the limits
// should leave room for that. Screen takes time linear in len(data).
func Screen(data []byte, file string, lim Limits) error {
	if len(data) > lim.MaxSize {
		return &Error{File: file, Msg: fmt.Sprintf("%s is larger than %d bytes", lim.What, lim.MaxSize)}
	}
	s := screener{file: file, lim: lim, line: 1, col: 1, lineStart: true}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || r == 0 {
			return s.errorf("not a YAML text file: byte %#02x is not UTF-8 text", data[i])
		}
		if err := s.rune(data, i, r); err != nil {
			return err
		}
		i += size
	}
	return nil
}

// screener holds Screen's state as it reads the text.
type screener struct {
	file string
	lim  Limits

	line, col int

	// depth is the number of open flow brackets, counted everywhere,
	// even in quotes and comments; flowKeys counts the keys seen in each
	// open bracket (-1 for a '[').
	depth    int
	flowKeys []int

	// lineStart is true while only blanks and block indicators have been
	// seen on this line; indicators counts those indicators and indent
	// the leading spaces.
	lineStart  bool
	indicators int
	indent     int
	// blockKeys[i] counts the lines holding a key at indentation i since
	// a line was less indented.
	blockKeys []int

	documents, anchors int
}

func (s *screener) errorf(format string, args ...any) error {
	return &Error{File: s.file, Line: s.line, Column: s.col, Msg: fmt.Sprintf(format, args...)}
}

// blankAt reports whether data[i] is a blank or the end of the text.
func blankAt(data []byte, i int) bool {
	return i >= len(data) || data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'
}

// rune reads the rune r at data[i].
func (s *screener) rune(data []byte, i int, r rune) error {
	switch r {
	case '[', '{':
		s.depth++
		if s.depth > s.lim.MaxNesting {
			return s.errorf("brackets nested more than %d deep", s.lim.MaxNesting)
		}
		if r == '{' {
			s.flowKeys = append(s.flowKeys, 0)
		} else {
			s.flowKeys = append(s.flowKeys, -1)
		}
	case ']', '}':
		s.depth = max(s.depth-1, 0)
		if len(s.flowKeys) > 0 {
			s.flowKeys = s.flowKeys[:len(s.flowKeys)-1]
		}
	case ':':
		if n := len(s.flowKeys); n > 0 && s.flowKeys[n-1] >= 0 && s.lim.MaxKeys > 0 &&
			(blankAt(data, i+1) || data[i+1] == ',' || data[i+1] == '}' || data[i+1] == ']') {
			s.flowKeys[n-1]++
			if s.flowKeys[n-1] > s.lim.MaxKeys {
				return s.errorf("more than %d keys in one mapping", s.lim.MaxKeys)
			}
		}
	case '&':
		if s.lim.MaxAnchors > 0 && (i == 0 || strings.IndexByte(" \t\n[{,", data[i-1]) >= 0) && !blankAt(data, i+1) {
			s.anchors++
			if s.anchors > s.lim.MaxAnchors {
				return s.errorf("more than %d anchors (&)", s.lim.MaxAnchors)
			}
		}
	}
	if s.lineStart {
		switch {
		case r == ' ' && s.indicators == 0:
			s.indent++
		case r == ' ' || r == '\t':
		case (r == '-' || r == '?' || r == ':') && (i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\t'):
			s.indicators++
			if s.indicators > s.lim.MaxNesting {
				return s.errorf("more than %d nested block entries on one line", s.lim.MaxNesting)
			}
		default:
			s.lineStart = false
			if err := s.lineContent(data, i); err != nil {
				return err
			}
		}
	}
	if r == '\n' {
		s.line, s.col, s.lineStart, s.indicators, s.indent = s.line+1, 1, true, 0, 0
	} else {
		s.col++
	}
	return nil
}

// lineContent looks at a line whose content (after its indentation and
// block indicators) starts at data[i].
func (s *screener) lineContent(data []byte, i int) error {
	end := bytes.IndexByte(data[i:], '\n')
	if end < 0 {
		end = len(data)
	} else {
		end += i
	}
	content := bytes.TrimRight(data[i:end], "\r")
	if len(content) == 0 {
		return nil
	}
	if s.lim.MaxDocuments > 0 && s.indent == 0 && s.indicators == 0 && bytes.HasPrefix(content, []byte("---")) && blankAt(content, 3) {
		s.documents++
		if s.documents > s.lim.MaxDocuments {
			return s.errorf("more than one YAML document; a %s is one", s.lim.What)
		}
	}
	if s.lim.MaxKeys <= 0 || content[0] == '#' {
		return nil
	}
	if len(s.blockKeys) > s.indent+1 {
		s.blockKeys = s.blockKeys[:s.indent+1]
	}
	if s.indicators > 0 {
		// "- key: value" starts a new mapping, deeper than this
		// indentation.
		return nil
	}
	if !looksLikeKey(content) {
		return nil
	}
	for len(s.blockKeys) <= s.indent {
		s.blockKeys = append(s.blockKeys, 0)
	}
	s.blockKeys[s.indent]++
	if s.blockKeys[s.indent] > s.lim.MaxKeys {
		return s.errorf("more than %d keys in one mapping", s.lim.MaxKeys)
	}
	return nil
}

// looksLikeKey reports whether a line's content holds ": " or ends in
// ":", as a "key: value" line does.
func looksLikeKey(content []byte) bool {
	for j := bytes.IndexByte(content, ':'); j >= 0; {
		if blankAt(content, j+1) {
			return true
		}
		k := bytes.IndexByte(content[j+1:], ':')
		if k < 0 {
			return false
		}
		j += 1 + k
	}
	return false
}

// Parse normalises data (Normalize), screens it (Screen) and parses it.
// It returns the body of its one YAML document, or nil when there is
// none (empty input, only comments): callers must not hand a nil body to
// the decoder, which panics on it. Every error is an *Error: more than
// one document is one, with the message "more than one YAML document; a
// <lim.What> is one".
func Parse(data []byte, file string, lim Limits) (ast.Node, error) {
	data = Normalize(data)
	if err := Screen(data, file, lim); err != nil {
		return nil, err
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, FromYAML(err, file)
	}
	var body ast.Node
	for _, d := range f.Docs {
		if d == nil || IsNil(d.Body) {
			continue
		}
		if body != nil {
			p := StartPos(d.Body)
			return nil, &Error{File: file, Line: p.Line, Column: p.Col, Msg: "more than one YAML document; a " + lim.What + " is one"}
		}
		body = d.Body
	}
	return body, nil
}

// FromYAML converts an error of the YAML parser or decoder into an
// *Error at the position of the token it names (1:1 when it names
// none), with the parser's message.
func FromYAML(err error, file string) *Error {
	e := &Error{File: file, Msg: err.Error()}
	var ye goyaml.Error
	if errors.As(err, &ye) {
		e.Msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
	}
	if e.Line <= 0 {
		e.Line, e.Column = 1, 1
	}
	e.Column = max(e.Column, 1)
	return e
}
