package osm

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/arv-project/arv/internal/yamlsafe"
	"github.com/arv-project/arv/road"
)

//go:embed bluelight.yaml
var defaultYAML []byte

// defaultFile is the name messages use for the built-in profile.
const defaultFile = "bluelight.yaml"

// MaxProfileSize is the largest profile, in bytes, that ParseProfile and
// ReadProfile accept: about ten times the built-in profile. The YAML parser
// slows down steeply with the number of keys, so the limit is kept low.
const MaxProfileSize = 64 << 10

// maxNesting bounds the nesting of YAML brackets and of block indicators
// on one line that ParseProfile lets through to the YAML parser, whose
// time and memory grow steeply with depth. A profile needs depth 2.
const maxNesting = 16

// profileLimits are what ParseProfile lets through to the YAML parser.
var profileLimits = yamlsafe.Limits{What: "profile", MaxSize: MaxProfileSize, MaxNesting: maxNesting}

// maxReported is how many problems ParseProfile lists before it says
// how many more there are.
const maxReported = 10

// Limits that Validate enforces.
const (
	// MinEmergencyFactor and MaxEmergencyFactor bound
	// Profile.EmergencyFactor. 1 means never faster than the posted
	// limit; 2, twice the limit, is beyond any plausible average speed
	// and almost certainly a typing error.
	MinEmergencyFactor = 1
	MaxEmergencyFactor = 2
	// MinMaxSpeedKmh bounds Profile.MaxSpeedKmh from below, in km/h: a
	// lower cap would make motorways slower than town streets. The upper
	// bound is road.MaxSpeedKmh.
	MinMaxSpeedKmh = 20
	// maxNameLen is the longest Profile.Name, in bytes.
	maxNameLen = 64
)

// Profile decides which OpenStreetMap ways and nodes a vehicle may use
// and how fast it drives them. The built-in profile (DefaultProfile) is a
// police car on an emergency (blue-light) run; a user may replace it with
// an edited copy of its YAML file (DefaultProfileYAML, ParseProfile).
//
// Speed rule, per direction of each way (see Way):
//
//	class := Speeds[highway]
//	speed := class                                 // no usable posted limit
//	speed := min(class, posted × EmergencyFactor)  // a usable posted limit
//	speed := min(speed, MaxSpeedKmh)
//
// where the posted limit is that of the direction of travel (see
// WayMaxspeed). The class speed is therefore both the estimate when the
// limit is unknown and a ceiling: blue-light runs on fast rural roads are
// not much quicker than ordinary traffic, while the factor lets them beat
// low urban limits.
//
// A Profile must be valid (Validate) before use. Its fields may be
// changed between imports but not during one.
type Profile struct {
	// Name labels the profile in graph metadata (road.Meta.Profile) and
	// in messages. Required; at most 64 bytes, no control characters.
	Name string `yaml:"name"`

	// Speeds maps highway=* values to km/h: the average blue-light speed
	// on a road of that class whose posted limit is unknown, and the
	// highest speed on it whatever the limit. A way whose highway value
	// is not a key is not routable. Keys must come from the known list
	// (motorway, motorway_link, trunk, ..., service, road, track,
	// pedestrian, busway; see the error message for the whole list);
	// values 1..300 km/h.
	Speeds map[string]float64 `yaml:"speeds_kmh"`

	// EmergencyFactor multiplies the posted limit: the average speed a
	// blue-light driver achieves relative to the limit, before the class
	// ceiling. 1..2; the built-in profile uses 1.25.
	EmergencyFactor float64 `yaml:"emergency_factor"`

	// MaxSpeedKmh is an absolute cap on every speed, in km/h; 20..300.
	// The built-in profile uses 130.
	MaxSpeedKmh float64 `yaml:"max_speed_kmh"`

	// BlockingBarriers lists the barrier=* values of nodes that stop the
	// vehicle (bollard, block, ...). Other barriers (gate, lift_gate,
	// cattle_grid, ...) are passable. Values are lower-case OSM values
	// (letters, digits, '_', '-', ':'), without duplicates; the list may
	// be empty.
	BlockingBarriers []string `yaml:"blocking_barriers"`

	// DeniedAccess lists the access values (of access, vehicle,
	// motor_vehicle and motorcar) that close a way to the vehicle unless
	// an emergency tag or, with BusGates, a bus tag opens it. Values come
	// from a known list (no, private, permit, agricultural, forestry,
	// military, delivery, customers, destination, discouraged, psv,
	// bus). A value not in the list (in the built-in profile: yes,
	// permissive, designated, destination, customers, discouraged and
	// any unknown value) leaves the way open.
	DeniedAccess []string `yaml:"denied_access"`

	// BusGates, when true, opens ways closed by DeniedAccess that are
	// open to buses (bus or psv = yes or designated, or an access value
	// of bus or psv). British bus gates and bus-only streets normally
	// exempt emergency vehicles; that is general knowledge, and an
	// assumption for any one street. Barriers on nodes are not affected.
	BusGates bool `yaml:"bus_gates"`
}

// Known values, in the order error messages list them.
var (
	// knownHighways are the highway=* values that may appear in
	// Profile.Speeds: those a car can physically drive. Paths, footways,
	// cycleways, bridleways, steps, corridors, raceways, guided busways,
	// and roads under construction or proposed are not among them.
	knownHighways = []string{
		"motorway", "motorway_link", "trunk", "trunk_link",
		"primary", "primary_link", "secondary", "secondary_link",
		"tertiary", "tertiary_link", "unclassified", "residential",
		"living_street", "service", "road", "track", "pedestrian", "busway",
	}
	// knownDenials are the access values Profile.DeniedAccess may list.
	// yes, permissive, designated and emergency are not among them: they
	// cannot close a way to an emergency vehicle.
	knownDenials = []string{
		"no", "private", "permit", "agricultural", "forestry", "military",
		"delivery", "customers", "destination", "discouraged", "psv", "bus",
	}
)

// Kinds of YAML value a profile key takes.
type fieldKind int

const (
	kindString  fieldKind = iota // a string
	kindNumber                   // a number
	kindBool                     // true or false
	kindSpeeds                   // a mapping of highway class to number
	kindStrings                  // a list of strings
)

// field is one key of a profile file.
type field struct {
	key  string
	kind fieldKind
}

// fields is the schema of a profile file, in the order of the Profile
// struct. Every key is required. TestProfileFieldsMatchStruct keeps it in
// step with the yaml tags.
var fields = []field{
	{"name", kindString},
	{"speeds_kmh", kindSpeeds},
	{"emergency_factor", kindNumber},
	{"max_speed_kmh", kindNumber},
	{"blocking_barriers", kindStrings},
	{"denied_access", kindStrings},
	{"bus_gates", kindBool},
}

var defaultProfile = sync.OnceValues(func() (*Profile, error) {
	return ParseProfile(defaultYAML, defaultFile)
})

// DefaultProfile returns a new copy of the built-in blue-light police car
// profile, parsed from the embedded file bluelight.yaml, which is the
// single source of its values. The caller may modify the copy.
func DefaultProfile() *Profile {
	p, err := defaultProfile()
	if err != nil {
		// The embedded file is fixed at build time and
		// TestDefaultProfile parses it: this cannot happen in a tested
		// build.
		panic("osm: built-in profile does not parse: " + err.Error())
	}
	return p.clone()
}

// DefaultProfileYAML returns a copy of the built-in profile's YAML file,
// with its comments, for users to copy and edit.
func DefaultProfileYAML() []byte { return bytes.Clone(defaultYAML) }

// clone returns a deep copy of p.
func (p *Profile) clone() *Profile {
	q := *p
	q.Speeds = maps.Clone(p.Speeds)
	q.BlockingBarriers = slices.Clone(p.BlockingBarriers)
	q.DeniedAccess = slices.Clone(p.DeniedAccess)
	return &q
}

// ReadProfile reads and parses the profile file at path (see
// ParseProfile).
func ReadProfile(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxProfileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	return ParseProfile(data, path)
}

// ProfileError is one problem with a profile. ParseProfile returns one,
// or several joined with errors.Join; Validate returns them without a
// file or position.
type ProfileError struct {
	// File is the file name given to ParseProfile; "" for Validate.
	File string
	// Line and Column locate the problem in the file, both counted from
	// 1; 0 when unknown.
	Line, Column int
	// Key is the path of the setting, such as "speeds_kmh.primary" or
	// "blocking_barriers[2]"; "" for problems with the file as a whole.
	Key string
	// Msg describes the problem.
	Msg string
}

// Error formats e as "file:line:column: key: msg", leaving out the
// parts that are empty.
func (e *ProfileError) Error() string {
	return yamlsafe.Format(e.File, e.Line, e.Column, e.Key, e.Msg)
}

// ParseProfile parses a profile from YAML. filename names the source in
// error messages only.
//
// The file must be one YAML mapping with exactly the keys of Profile's
// yaml tags, all required; unknown keys are errors, and so are anchors,
// aliases and tags, which a profile has no use for. The parsed profile is
// validated (Validate). Every error is a *ProfileError, or several joined,
// naming the file, the line and column, and the key, such as
//
//	my.yaml:12:3: speeds_kmh.primry: unknown highway class "primry" (known: motorway, ...)
//
// ParseProfile accepts any bytes without panicking; input larger than
// MaxProfileSize, nested deeper than a profile can be, or not UTF-8 text
// is refused before it reaches the YAML parser.
func ParseProfile(data []byte, filename string) (*Profile, error) {
	c := &checker{file: filename}
	body, err := yamlsafe.Parse(data, filename, profileLimits)
	if err != nil {
		return nil, fromSafe(err)
	}
	if body == nil {
		return nil, &ProfileError{File: filename, Line: 1, Column: 1, Msg: "empty profile; want the keys " + keyList()}
	}
	c.top = yamlsafe.StartPos(body)
	c.checkTop(body)
	if len(c.errs) > 0 {
		return nil, c.result()
	}
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(nil), yaml.DisallowUnknownField())
	if err := dec.DecodeFromNode(body, &p); err != nil {
		// checkTop has already refused everything the decoder should
		// refuse; this is a backstop.
		return nil, fromSafe(yamlsafe.FromYAML(err, filename))
	}
	for _, pe := range p.problems() {
		pos, _ := yamlsafe.Lookup(body, pe.Key)
		pe.File, pe.Line, pe.Column = filename, pos.Line, pos.Col
		c.errs = append(c.errs, pe)
	}
	if len(c.errs) > 0 {
		return nil, c.result()
	}
	return &p, nil
}

// fromSafe converts a *yamlsafe.Error into a *ProfileError.
func fromSafe(err error) error {
	var e *yamlsafe.Error
	if !errors.As(err, &e) {
		return err
	}
	return &ProfileError{File: e.File, Line: e.Line, Column: e.Column, Key: e.Path, Msg: e.Msg}
}

// Validate reports whether p is usable: a name, at least one speed,
// every Speeds key a known highway class with a speed of 1..300 km/h,
// EmergencyFactor 1..2, MaxSpeedKmh 20..300 km/h, BlockingBarriers
// lower-case OSM values and DeniedAccess known access values, neither
// with duplicates. It returns nil or one *ProfileError per problem,
// joined.
func (p *Profile) Validate() error {
	if p == nil {
		return errors.New("osm: nil profile")
	}
	return joinProblems(p.problems())
}

// problems lists what is wrong with p, in field order.
func (p *Profile) problems() []*ProfileError {
	var probs []*ProfileError
	add := func(key, format string, args ...any) {
		probs = append(probs, &ProfileError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.Name == "":
		add("name", "must not be empty")
	case len(p.Name) > maxNameLen:
		add("name", "must be at most %d bytes, got %d", maxNameLen, len(p.Name))
	case !utf8.ValidString(p.Name) || strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
		add("name", "must be printable text, got %q", p.Name)
	}
	if len(p.Speeds) == 0 {
		add("speeds_kmh", "must give a speed for at least one highway class")
	}
	for _, k := range slices.Sorted(maps.Keys(p.Speeds)) {
		key := "speeds_kmh." + k
		if !slices.Contains(knownHighways, k) {
			add(key, "unknown highway class %q (known: %s)", k, strings.Join(knownHighways, ", "))
		}
		if v := p.Speeds[k]; !(v >= road.MinSpeedKmh && v <= road.MaxSpeedKmh) {
			add(key, "must be between %d and %d km/h, got %s", road.MinSpeedKmh, road.MaxSpeedKmh, fmtNum(v))
		}
	}
	if v := p.EmergencyFactor; !(v >= MinEmergencyFactor && v <= MaxEmergencyFactor) {
		add("emergency_factor", "must be between %d and %d, got %s", MinEmergencyFactor, MaxEmergencyFactor, fmtNum(v))
	}
	if v := p.MaxSpeedKmh; !(v >= MinMaxSpeedKmh && v <= road.MaxSpeedKmh) {
		add("max_speed_kmh", "must be between %d and %d km/h, got %s", MinMaxSpeedKmh, road.MaxSpeedKmh, fmtNum(v))
	}
	for i, b := range p.BlockingBarriers {
		key := fmt.Sprintf("blocking_barriers[%d]", i)
		switch {
		case !isTagValue(b):
			add(key, "%q is not an OSM barrier value (lower-case letters, digits, '_', '-', ':')", b)
		case b == "no":
			add(key, `"no" means there is no barrier; it cannot block`)
		case slices.Index(p.BlockingBarriers, b) < i:
			add(key, "duplicate %q", b)
		}
	}
	for i, a := range p.DeniedAccess {
		key := fmt.Sprintf("denied_access[%d]", i)
		switch {
		case !slices.Contains(knownDenials, a):
			add(key, "unknown access value %q (known: %s)", a, strings.Join(knownDenials, ", "))
		case slices.Index(p.DeniedAccess, a) < i:
			add(key, "duplicate %q", a)
		}
	}
	return probs
}

// joinProblems returns nil, the only problem, or the problems joined.
func joinProblems(probs []*ProfileError) error {
	switch len(probs) {
	case 0:
		return nil
	case 1:
		return probs[0]
	}
	errs := make([]error, len(probs))
	for i, pe := range probs {
		errs[i] = pe
	}
	return errors.Join(errs...)
}

// isTagValue reports whether s looks like an OSM tag value: non-empty,
// lower-case ASCII letters, digits, '_', '-' and ':'.
func isTagValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == ':') {
			return false
		}
	}
	return true
}

// fmtNum formats a number for a message: "3.5", "-5", "NaN", "+Inf".
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// keyList returns the profile keys as "name, speeds_kmh, ...".
func keyList() string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

// checker checks a parsed profile file against the schema in fields.
type checker struct {
	file string
	top  yamlsafe.Pos // where the top-level mapping starts
	errs []*ProfileError
}

// checkTop checks the top-level mapping.
func (c *checker) checkTop(n ast.Node) {
	values, ok := c.mapping(n, "", "a mapping of profile settings ("+keyList()+")")
	if !ok {
		return
	}
	seen := make(map[string]bool)
	for _, mv := range values {
		key, ok := c.key(mv, "")
		if !ok {
			continue
		}
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == key })
		if i < 0 {
			c.errorAt(mv.Key, key, "unknown key (known: %s)", keyList())
			continue
		}
		seen[key] = true
		c.checkValue(mv.Value, key, fields[i].kind)
	}
	var missing []string
	for _, f := range fields {
		if !seen[f.key] {
			missing = append(missing, f.key)
		}
	}
	if len(missing) > 0 {
		c.errs = append(c.errs, &ProfileError{File: c.file, Line: c.top.Line, Column: c.top.Col,
			Msg: "missing " + strings.Join(missing, ", ") + "; every key is required (start from a copy of the built-in profile)"})
	}
}

// checkValue checks the value n of the key at path against kind.
func (c *checker) checkValue(n ast.Node, path string, kind fieldKind) {
	if !c.plain(n, path) {
		return
	}
	switch kind {
	case kindString:
		if _, ok := n.(*ast.StringNode); !ok {
			c.errorAt(n, path, "want a string, got %s", describe(n))
		}
	case kindNumber:
		if !isNumber(n) {
			c.errorAt(n, path, "want a number, got %s", describe(n))
		}
	case kindBool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.errorAt(n, path, "want true or false, got %s", describe(n))
		}
	case kindSpeeds:
		values, ok := c.mapping(n, path, "a mapping of highway class to km/h")
		if !ok {
			return
		}
		for _, mv := range values {
			k, ok := c.key(mv, path)
			if !ok {
				continue
			}
			p := path + "." + k
			if c.plain(mv.Value, p) && !isNumber(mv.Value) {
				c.errorAt(mv.Value, p, "want a speed in km/h, got %s", describe(mv.Value))
			}
		}
	case kindStrings:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			c.errorAt(n, path, "want a list of strings, got %s", describe(n))
			return
		}
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			if !c.plain(item, p) {
				continue
			}
			if _, ok := item.(*ast.StringNode); !ok {
				c.errorAt(item, p, "want a string, got %s", describe(item))
			}
		}
	}
}

// mapping returns the entries of n, or records an error naming want.
func (c *checker) mapping(n ast.Node, path, want string) ([]*ast.MappingValueNode, bool) {
	if !c.plain(n, path) {
		return nil, false
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	c.errorAt(n, path, "want %s, got %s", want, describe(n))
	return nil, false
}

// key returns the key of mv as a string. It records an error for keys
// that are not plain scalars (merge keys, "? " complex keys, anchors).
func (c *checker) key(mv *ast.MappingValueNode, path string) (string, bool) {
	if mv == nil || yamlsafe.IsNil(mv.Key) {
		return "", false
	}
	k := ast.Node(mv.Key)
	if mv.Key.IsMergeKey() {
		c.errorAt(k, path, "merge keys (<<) are not supported")
		return "", false
	}
	if !c.plain(k, path) {
		return "", false
	}
	switch k := k.(type) {
	case *ast.StringNode:
		return k.Value, true
	case ast.ScalarNode:
		if tk := k.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	c.errorAt(k, path, "keys must be plain names, got %s", describe(k))
	return "", false
}

// plain reports whether n is an ordinary node, recording an error for
// anchors, aliases, tags and missing values.
func (c *checker) plain(n ast.Node, path string) bool {
	switch n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		c.errorAt(n, path, "anchors and aliases (& and *) are not supported")
		return false
	case *ast.TagNode:
		c.errorAt(n, path, "YAML tags (!) are not supported")
		return false
	case *ast.NullNode:
		c.errorAt(n, path, "missing value")
		return false
	}
	if yamlsafe.IsNil(n) {
		c.errs = append(c.errs, &ProfileError{File: c.file, Line: c.top.Line, Column: c.top.Col, Key: path, Msg: "missing value"})
		return false
	}
	return true
}

// errorAt records a problem at node n and returns it.
func (c *checker) errorAt(n ast.Node, path, format string, args ...any) error {
	p := yamlsafe.NodePos(n)
	pe := &ProfileError{File: c.file, Line: p.Line, Column: p.Col, Key: path, Msg: fmt.Sprintf(format, args...)}
	c.errs = append(c.errs, pe)
	return pe
}

// result returns the recorded problems in file order, at most
// maxReported of them.
func (c *checker) result() error {
	sort.SliceStable(c.errs, func(i, j int) bool {
		a, b := c.errs[i], c.errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	if n := len(c.errs); n > maxReported {
		more := &ProfileError{File: c.file, Msg: fmt.Sprintf("and %d more problems", n-maxReported)}
		c.errs = append(c.errs[:maxReported], more)
	}
	return joinProblems(c.errs)
}

// isNumber reports whether n is a YAML number (including .inf and .nan,
// which Validate then refuses with a clearer message).
func isNumber(n ast.Node) bool {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return true
	}
	return false
}

// describe says what kind of YAML value n is, for messages.
func describe(n ast.Node) string {
	const maxShown = 40
	switch n := n.(type) {
	case *ast.StringNode:
		s := n.Value
		if len(s) > maxShown {
			s = s[:maxShown] + "..."
		}
		return fmt.Sprintf("the string %q", s)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return "the number " + tk.Value
		}
		return "a number"
	case *ast.BoolNode:
		return fmt.Sprintf("%v", n.Value)
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	if yamlsafe.IsNil(n) {
		return "nothing"
	}
	return "a YAML " + strings.ToLower(n.Type().String())
}
