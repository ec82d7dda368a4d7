package arv_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/arv-project/arv"
)

func TestErrorCodeAndMessage(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"nil", nil, "", ""},
		{"application", arv.Errorf(arv.ENOTFOUND, "Officer %d not found.", 7), arv.ENOTFOUND, "Officer 7 not found."},
		{"wrapped", fmt.Errorf("sqlite: find: %w", arv.Errorf(arv.EFORBIDDEN, "Not allowed.")), arv.EFORBIDDEN, "Not allowed."},
		{"other", errors.New("disk full"), arv.EINTERNAL, "Internal error."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := arv.ErrorCode(tc.err); got != tc.code {
				t.Fatalf("ErrorCode=%q, want %q", got, tc.code)
			}
			if got := arv.ErrorMessage(tc.err); got != tc.message {
				t.Fatalf("ErrorMessage=%q, want %q", got, tc.message)
			}
		})
	}
}
