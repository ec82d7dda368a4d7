package sim

import (
	"context"
	"testing"

	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/yaml"
)

// builtinModel compiles an embedded scenario on its built-in network, as
// "arv simulate --scenario NAME" does.
func builtinModel(tb testing.TB, name string) *Model {
	tb.Helper()
	data, ok := scenarios.Get(name)
	if !ok {
		tb.Fatalf("no embedded scenario %q", name)
	}
	doc, err := yaml.ParseScenario(data, name+".yaml")
	if err != nil {
		tb.Fatal(err)
	}
	area, err := atlas.Lookup(doc.Scenario.Network.Builtin)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := area.Network()
	if err != nil {
		tb.Fatal(err)
	}
	h, err := ch.Build(context.Background(), g, nil)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := Compile(context.Background(), doc.Scenario, ch.NewRouter(h))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkReplication times one replication-year of the Wiltshire
// scenario on one goroutine and reports the simulated events per second
// (the target is 2 million a second per core).
func BenchmarkReplication(b *testing.B) {
	for _, name := range []string{"wiltshire", "kent"} {
		b.Run(name, func(b *testing.B) {
			m := builtinModel(b, name)
			opt := Options{Years: 1, Replications: 1, WarmupDays: 0, Seed: 1, Workers: 1}
			b.ReportAllocs()
			var events int64
			k := 0
			for b.Loop() {
				r := newRep(m, opt, k)
				k++
				if err := r.run(context.Background()); err != nil {
					b.Fatal(err)
				}
				events += r.events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkSimulate is "arv simulate --scenario wiltshire --years 10
// --reps 20" without the compile step: 20 replications of 10 years on
// every core (the target is under 5 s on 2 cores).
func BenchmarkSimulate(b *testing.B) {
	m := builtinModel(b, "wiltshire")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), m, Options{Years: 10, Replications: 20, WarmupDays: 30, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile times building the model: locating every place and
// the travel table on the built-in network.
func BenchmarkCompile(b *testing.B) {
	data, _ := scenarios.Get("wiltshire")
	doc, err := yaml.ParseScenario(data, "wiltshire.yaml")
	if err != nil {
		b.Fatal(err)
	}
	area, _ := atlas.Lookup("wiltshire")
	g, _ := area.Network()
	h, _ := ch.Build(context.Background(), g, nil)
	rt := ch.NewRouter(h)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(context.Background(), doc.Scenario, rt); err != nil {
			b.Fatal(err)
		}
	}
}
