package arv

import (
	"context"

	"github.com/arv-project/arv/geo"
)

// Router is what the domain needs from a road engine. cmd/arv provides one
// over road/ch; tests use a straight-line stand-in.
type Router interface {
	// Locate resolves a location, "LAT,LON" or the name or id of a place
	// of the network, and checks that it can be reached by road. Its
	// error is a sentence for the user ("21 km from the nearest road,
	// beyond the 20000 m limit"). The argument is a plain string so that
	// road/ch.Router satisfies Router without knowing this package.
	Locate(loc string) (geo.Point, error)

	// Matrix returns the blue-light travel times in seconds from every
	// point of from to every point of to, row by row, +Inf where there is
	// no route. Points must have been accepted by Locate.
	Matrix(ctx context.Context, from, to []geo.Point) ([]float64, error)
}
