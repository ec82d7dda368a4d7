package yaml

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/yamlsafe"
)

// MaxScenarioSize is the largest scenario file, in bytes, that
// ParseScenario and Set accept: room for about 10,000 demand points.
const MaxScenarioSize = 1 << 20

// limits bound what reaches the YAML parser (see internal/yamlsafe). A
// scenario needs a nesting depth of about 4 and at most 20 keys in a
// mapping; 1,000 keys in one mapping parse in about 4 ms, 16,000 in over
// a second.
var limits = yamlsafe.Limits{
	What:         "scenario",
	MaxSize:      MaxScenarioSize,
	MaxNesting:   16,
	MaxKeys:      1000,
	MaxDocuments: 1,
	MaxAnchors:   100,
}

// Document is a parsed scenario file.
type Document struct {
	// Scenario is the scenario the file describes, not yet validated.
	Scenario *arv.Scenario
	// File is the name used in messages.
	File string

	// root is the file's syntax tree, for positions.
	root ast.Node
}

// Error is one problem in a scenario file.
type Error struct {
	// File is the name of the file, as given to ParseScenario.
	File string
	// Line and Column locate the problem, both counted from 1 (columns
	// in characters); 0 when the problem concerns the whole file.
	Line, Column int
	// Path names the setting, as in arv.FieldError ("arvs[2].base");
	// "" for the file as a whole.
	Path string
	// Message says what is wrong, as a sentence without a final stop.
	Message string
}

// Error formats e as "file:line:column: path: message", leaving out the
// parts that are empty.
func (e *Error) Error() string { return yamlsafe.Format(e.File, e.Line, e.Column, e.Path, e.Message) }

// ErrorList is every problem found in a file, in file order. Its Error
// method gives one problem per line.
type ErrorList []*Error

// Error returns the problems one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the problems, for errors.As and errors.Is.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sortErrors puts errs in file order, keeping the order of problems at
// the same place.
func sortErrors(errs ErrorList) {
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// ParseScenario parses a scenario file. file names it in messages only.
// On any problem it returns an ErrorList of every problem found, in file
// order (see the package documentation); it accepts any bytes without
// panicking.
//
// When the file cannot be read as one YAML mapping (a syntax error, an
// empty file, text that is not UTF-8, input too large or nested too
// deeply, a list or a string instead of a mapping) the Document is nil. When it can but some settings are wrong
// (an unknown key, a value of the wrong type, an anchor), ParseScenario
// returns the ErrorList and also the Document, with those settings left
// at their zero values, so that a caller can report the problems that
// Scenario.Validate finds in the rest of the file at the same time.
//
// The scenario is not validated: call Scenario.Validate and
// Document.Errors for that.
func ParseScenario(data []byte, file string) (*Document, error) {
	root, err := parse(data, file)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file}
	var s arv.Scenario
	d.decode(root, reflect.ValueOf(&s).Elem(), "", yamlsafe.StartPos(root), false)
	if _, ok := yamlsafe.Entries(root); !ok {
		return nil, d.errs // not a mapping: nothing of the scenario was read
	}
	doc := &Document{Scenario: &s, File: file, root: root}
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return doc, d.errs
	}
	return doc, nil
}

// parse screens and parses data, returning the root of its one document
// or an ErrorList.
func parse(data []byte, file string) (ast.Node, error) {
	data = yamlsafe.Normalize(data)
	if err := yamlsafe.Screen(data, file, limits); err != nil {
		return nil, fromSafe(err, data, false)
	}
	root, err := yamlsafe.Parse(data, file, limits)
	if err != nil {
		return nil, fromSafe(err, data, true)
	}
	if root == nil {
		return nil, ErrorList{{File: file, Line: 1, Column: 1,
			Message: "the file is empty; a scenario is a mapping of settings (" + keyList(scenarioType) + ")"}}
	}
	return root, nil
}

// duplicateKey matches the parser's message for a key given twice.
var duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):(\d+)\]$`)

// fromSafe converts an error of yamlsafe into an ErrorList, naming the
// setting at the error's line when the text shows it. parsed is true
// for errors of the parser (after Screen accepted the text).
func fromSafe(err error, data []byte, parsed bool) error {
	var e *yamlsafe.Error
	if !errors.As(err, &e) {
		return err
	}
	out := &Error{File: e.File, Line: e.Line, Column: e.Column, Path: e.Path, Message: e.Msg}
	multiDoc := strings.HasPrefix(e.Msg, "more than one YAML document")
	if out.Path == "" && out.Line > 0 && !multiDoc {
		out.Path = pathAtLine(data, out.Line)
	}
	if parsed && !multiDoc {
		if m := duplicateKey.FindStringSubmatch(e.Msg); m != nil {
			out.Message = fmt.Sprintf("%q is given twice (first at line %s)", m[1], m[2])
		} else {
			out.Message = "YAML syntax error: " + e.Msg
		}
	}
	return ErrorList{out}
}

// Position returns where the setting at path is in the file: the line
// and column of its key, or of the start of a list item. path is as in
// arv.FieldError ("arvs[2].base", "demand.hour_of_day[3]"). A path that
// is not in the file (a missing key, an index past the end) gives the
// position of its nearest present parent; the file as a whole is at its
// first key. Position never panics; a nil Document gives 1, 1.
func (d *Document) Position(path string) (line, col int) {
	if d == nil || d.root == nil {
		return 1, 1
	}
	p, _ := yamlsafe.Lookup(d.root, path)
	return p.Line, p.Col
}

// Errors places problems found in the scenario (by Scenario.Validate,
// or by resolving its locations) in the file: it returns nil for none,
// and otherwise an ErrorList with one *Error per problem, at the
// Position of its path, in file order.
func (d *Document) Errors(errs []arv.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	file := ""
	if d != nil {
		file = d.File
	}
	list := make(ErrorList, len(errs))
	for i, fe := range errs {
		line, col := d.Position(fe.Path)
		list[i] = &Error{File: file, Line: line, Column: col, Path: fe.Path, Message: fe.Message}
	}
	sortErrors(list)
	return list
}
