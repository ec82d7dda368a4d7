package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAuthorisersFlag: --authorisers takes command tickets only, and a
// wrong one is a usage error naming the choices.
func TestAuthorisersFlag(t *testing.T) {
	for _, v := range []string{"AFO", "TFC,gold", ""} {
		_, errs, code := run(t, "serve", "--db", filepath.Join(t.TempDir(), "arv.db"), "--authorisers", v)
		if code != 2 || !strings.Contains(errs, "--authorisers: ") || !strings.Contains(errs, "ITFC, TFC, SFC") {
			t.Errorf("--authorisers %q: exit %d: %s", v, code, errs)
		}
	}
}
