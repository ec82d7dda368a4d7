package road

import (
	"errors"

	"fmt"
	"github.com/arv-project/arv/geo"
	"sort"
	"strings"
	"unicode"
)

// ErrUnknownPlace is returned (wrapped in a *PlaceError) for a name no
// place answers to.
var ErrUnknownPlace = errors.New("road: unknown place")

// PlaceError reports a place name that matched nothing, or more than one
// place equally well.
type PlaceError struct {
	Name string
	// Suggestions are the closest names for an unknown place, or the
	// candidates (with positions) for an ambiguous one.
	Suggestions []string
	Ambiguous   bool
}

func (e *PlaceError) Error() string {
	switch {
	case e.Ambiguous:
		return fmt.Sprintf("place %q is ambiguous: %s; give LAT,LON instead", e.Name, strings.Join(e.Suggestions, "; "))
	case len(e.Suggestions) > 0:
		return fmt.Sprintf("unknown place %q; did you mean %s?", e.Name, orList(e.Suggestions))
	}
	return fmt.Sprintf("unknown place %q, and no place in this network has a similar name", e.Name)
}

func (e *PlaceError) Unwrap() error { return ErrUnknownPlace }

func orList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// kindRank orders place kinds by how likely a user means them when two
// places share a name.
var kindRank = map[string]int{
	"city": 0, "town": 1, "police": 2, "village": 3, "suburb": 4,
	"quarter": 5, "hamlet": 6, "neighbourhood": 7,
}

func rankOf(kind string) int {
	if r, ok := kindRank[kind]; ok {
		return r
	}
	if strings.HasPrefix(kind, "police") {
		return 2
	}
	return 8
}

// normName folds case, punctuation and spacing: "St. Mary's  Road" and
// "st marys road" are the same name.
func normName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '.' || r == '’':
			// dropped inside words
		default:
			space = true
		}
	}
	return b.String()
}

// FindPlace returns the place called name (or answering to it as an
// alias), ignoring case, punctuation and spacing. When several places
// share the name, the most important kind wins (city, town, police,
// village, ...), then the larger population; a tie is an error listing the
// candidates. An unknown name gives a *PlaceError with the closest names.
func (g *Graph) FindPlace(name string) (Place, error) {
	want := normName(name)
	var hits []Place
	for _, p := range g.Places {
		if normName(p.Name) == want {
			hits = append(hits, p)
			continue
		}
		for _, a := range p.Aliases {
			if normName(a) == want {
				hits = append(hits, p)
				break
			}
		}
	}
	if len(hits) == 0 || want == "" {
		return Place{}, &PlaceError{Name: name, Suggestions: g.closestPlaces(want, 5)}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		ri, rj := rankOf(hits[i].Kind), rankOf(hits[j].Kind)
		if ri != rj {
			return ri < rj
		}
		return hits[i].Population > hits[j].Population
	})
	if len(hits) > 1 && rankOf(hits[0].Kind) == rankOf(hits[1].Kind) && hits[0].Population == hits[1].Population {
		var c []string
		for _, h := range hits {
			c = append(c, fmt.Sprintf("%s (%s) at %s", h.Name, h.Kind, h.Point))
		}
		return Place{}, &PlaceError{Name: name, Suggestions: c, Ambiguous: true}
	}
	return hits[0], nil
}

// closestPlaces returns up to n place names nearest to want by edit
// distance, preferring names that start with it.
func (g *Graph) closestPlaces(want string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	seen := map[string]bool{}
	var cs []cand
	for _, p := range g.Places {
		names := append([]string{p.Name}, p.Aliases...)
		for _, nm := range names {
			k := normName(nm)
			if seen[k] || k == "" {
				continue
			}
			seen[k] = true
			d := editDistance(want, k)
			if want != "" && strings.HasPrefix(k, want) {
				d = min(d, 1)
			}
			// Keep only names within about a third of their length.
			if d <= max(2, len([]rune(want))/3) {
				cs = append(cs, cand{nm, d})
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Resolve reads a location: "LAT,LON" in decimal degrees, or the name (or
// alias) of one of the graph's places. It returns the position and a
// label for reports: the place's name, or the coordinates.
func (g *Graph) Resolve(s string) (geo.Point, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return geo.Point{}, "", errors.New("empty location: give LAT,LON or a place name")
	}
	p, err := geo.ParsePoint(s)
	if err == nil {
		return p, p.String(), nil
	}
	if !errors.Is(err, geo.ErrNotPoint) {
		return geo.Point{}, "", err
	}
	pl, err := g.FindPlace(s)
	if err != nil {
		return geo.Point{}, "", err
	}
	return pl.Point, pl.Name, nil
}
