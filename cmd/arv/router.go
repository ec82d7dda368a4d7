package main

import (
	"context"
	"path/filepath"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/road/ch"
)

// roadRouter is the arv.Router the domain and the simulator use: the
// contraction hierarchy's router (road/ch.Router satisfies arv.Router).
type roadRouter struct {
	*ch.Router
	rt *ch.Router
}

var _ arv.Router = (*ch.Router)(nil)

func newRoadRouter(rt *ch.Router) *roadRouter {
	return &roadRouter{Router: rt, rt: rt}
}

// openNetwork loads the network a scenario names; a graph path is taken
// relative to the scenario file's directory.
func openNetwork(ctx context.Context, ref arv.NetworkRef, scenarioDir string) (*roadRouter, error) {
	nf := networkFlags{network: ref.Builtin}
	if ref.Graph != "" {
		path := ref.Graph
		if !filepath.IsAbs(path) && scenarioDir != "" {
			path = filepath.Join(scenarioDir, path)
		}
		rt, err := loadGraphFile(path)
		if err != nil {
			return nil, err
		}
		return newRoadRouter(rt), nil
	}
	rt, err := nf.loadBuiltin(ctx)
	if err != nil {
		return nil, err
	}
	return newRoadRouter(rt), nil
}
