package arv_test

import (
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// TestNewPassword: 16 characters of the unambiguous alphabet, accepted
// by the password rules, different every time.
func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := arv.NewPassword()
		if len(pw) != 16 || strings.ContainsAny(pw, "il1IoO0") {
			t.Fatalf("password %q", pw)
		}
		u := arv.NewUser{Username: "u", Name: "U", Role: arv.RolePlanner, Password: pw}
		if err := u.Validate(); err != nil {
			t.Fatalf("password %q: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("password %q twice", pw)
		}
		seen[pw] = true
	}
}
