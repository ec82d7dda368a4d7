package scenarios

import (
	"embed"
	"slices"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Names returns the names of the built-in scenarios, sorted: "kent",
// "wiltshire".
func Names() []string {
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil // cannot happen: the directory is embedded
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Get returns the YAML source of the built-in scenario called name, with
// its comments. Case and surrounding spaces are ignored ("Wiltshire" is
// "wiltshire"). The slice is the caller's own copy.
func Get(name string) ([]byte, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" || strings.ContainsAny(key, `/\.`) {
		return nil, false
	}
	data, err := files.ReadFile(key + ".yaml")
	if err != nil {
		return nil, false
	}
	return data, true
}
