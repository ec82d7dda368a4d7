package main

import (
	"context"
	"path/filepath"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/road/ch"
)

// ch.Router is the arv.Router the domain and the simulator use.
var _ arv.Router = (*ch.Router)(nil)

// openNetwork loads the network a scenario names; a graph path is taken
// relative to the scenario file's directory.
func openNetwork(ctx context.Context, ref arv.NetworkRef, scenarioDir string) (*ch.Router, error) {
	if ref.Graph != "" {
		path := ref.Graph
		if !filepath.IsAbs(path) && scenarioDir != "" {
			path = filepath.Join(scenarioDir, path)
		}
		return loadGraphFile(path)
	}
	nf := networkFlags{network: ref.Builtin}
	return nf.loadBuiltin(ctx)
}
