package load

import (
	"context"
	"path/filepath"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/road/ch"
)

// ch.Router is the arv.Router the domain and the simulator use.
var _ arv.Router = (*ch.Router)(nil)

// Network opens the road network a scenario names: a graph file, its
// path taken relative to scenarioDir unless absolute, or a built-in
// network.
func Network(ctx context.Context, ref arv.NetworkRef, scenarioDir string) (*ch.Router, error) {
	if ref.Graph != "" {
		path := ref.Graph
		if !filepath.IsAbs(path) && scenarioDir != "" {
			path = filepath.Join(scenarioDir, path)
		}
		return GraphFile(path)
	}
	return Builtin(ctx, ref.Builtin)
}

// Builtin builds the contraction hierarchy of the built-in network
// called name (atlas.Names) and returns a router over it.
func Builtin(ctx context.Context, name string) (*ch.Router, error) {
	area, err := atlas.Lookup(name)
	if err != nil {
		return nil, err
	}
	g, err := area.Network()
	if err != nil {
		return nil, err
	}
	h, err := ch.Build(ctx, g, nil)
	if err != nil {
		return nil, err
	}
	return ch.NewRouter(h), nil
}

// GraphFile reads a graph file built by "arv graph build" and returns a
// router over it.
func GraphFile(path string) (*ch.Router, error) {
	h, err := ch.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ch.NewRouter(h), nil
}
