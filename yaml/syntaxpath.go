package yaml

import (
	"bytes"
	"strings"

	"github.com/arv-project/arv/internal/yamlsafe"
)

// maxGuessDepth bounds the paths pathAtLine returns; a scenario is
// nested about 5 deep.
const maxGuessDepth = 12

// pathAtLine guesses the path of the setting on line (from 1) of a file
// that does not parse, from the indentation of the block-style "key:"
// and "- " lines before it, so that a syntax error can name the setting
// it is in. It returns "" when it cannot tell. It reads the text only
// (flow collections and multi-line quoted strings are not followed) and
// takes time linear in the text before line.
func pathAtLine(data []byte, line int) string {
	type frame struct {
		indent int
		seg    yamlsafe.Segment
	}
	var stack []frame
	pop := func(keep func(f frame) bool) {
		for len(stack) > 0 && !keep(stack[len(stack)-1]) {
			stack = stack[:len(stack)-1]
		}
	}
	blockIndent := -1 // while >= 0, lines indented more are a block scalar's text
	for ln := 1; ln <= line && len(data) > 0; ln++ {
		var text []byte
		text, data, _ = bytes.Cut(data, []byte("\n"))
		ind := 0
		for ind < len(text) && text[ind] == ' ' {
			ind++
		}
		rest := text[ind:]
		if len(bytes.TrimSpace(rest)) == 0 || rest[0] == '#' {
			continue
		}
		if blockIndent >= 0 {
			if ind > blockIndent {
				continue
			}
			blockIndent = -1
		}
		if ind == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) {
			stack = stack[:0]
			continue
		}
		col := ind
		for len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
			c := col
			pop(func(f frame) bool { return f.indent <= c })
			if n := len(stack); n > 0 && stack[n-1].indent == c && stack[n-1].seg.Key == "" {
				stack[n-1].seg.Index++
			} else {
				stack = append(stack, frame{c, yamlsafe.Segment{Index: 0}})
			}
			rest = rest[1:]
			col++
			for len(rest) > 0 && rest[0] == ' ' {
				rest = rest[1:]
				col++
			}
		}
		key, value, ok := splitKey(rest)
		if !ok {
			continue
		}
		c := col
		pop(func(f frame) bool { return f.indent < c })
		stack = append(stack, frame{c, yamlsafe.Segment{Key: key}})
		if v := strings.TrimSpace(value); v != "" && (v[0] == '|' || v[0] == '>') {
			blockIndent = c
		}
	}
	if len(stack) > maxGuessDepth {
		return ""
	}
	segs := make([]yamlsafe.Segment, len(stack))
	for i, f := range stack {
		segs[i] = f.seg
	}
	return yamlsafe.JoinPath(segs)
}

// splitKey splits a block mapping line "key: value" (or "key:") into
// its plain key and the rest, and reports whether the line has that
// form with a key made of letters, digits, '_' and '-'.
func splitKey(rest []byte) (key, value string, ok bool) {
	i := bytes.IndexByte(rest, ':')
	if i <= 0 || i+1 < len(rest) && rest[i+1] != ' ' && rest[i+1] != '\t' {
		return "", "", false
	}
	k := string(rest[:i])
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') && k[len(k)-1] == k[0] {
		k = k[1 : len(k)-1]
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", "", false
		}
	}
	if k == "" {
		return "", "", false
	}
	return k, string(rest[i+1:]), true
}
