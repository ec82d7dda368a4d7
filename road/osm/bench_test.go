package osm_test

import (
	"context"
	"testing"

	"github.com/arv-project/arv/internal/fixtures"
	"github.com/arv-project/arv/road/osm"
)

// BenchmarkImport times a whole import (structure check, both passes,
// graph building, strongly connected components) with every core. Peak
// memory is reported by "arv graph build" (docs/BENCHMARKS.md).
func BenchmarkImport(b *testing.B) {
	for _, x := range []*fixtures.Extract{fixtures.Rutland, fixtures.Delaware} {
		b.Run(x.Name, func(b *testing.B) {
			path := x.Path(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := osm.ImportFile(context.Background(), path, osm.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
