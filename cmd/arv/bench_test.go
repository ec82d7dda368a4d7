package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPlan runs the whole of "arv plan" on each built-in scenario
// with its own settings (seed included): the target is under 30 s
// for Wiltshire on 2 cores.
func BenchmarkPlan(b *testing.B) {
	for _, name := range []string{"wiltshire", "kent"} {
		b.Run(name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), name+".html")
			b.ReportAllocs()
			for b.Loop() {
				var stdout, stderr bytes.Buffer
				m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}
				if err := m.Run(context.Background(), []string{"plan", "--scenario", name, "--out", out}); err != nil {
					b.Fatalf("%v\n%s", err, stderr.String())
				}
			}
		})
	}
}
