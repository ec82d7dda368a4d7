package main

import (
	"slices"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/sqlstore"
)

func TestDischargeFlags(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		ok     bool
		within time.Duration
		roles  []arv.Role
	}{
		{nil, true, arv.DefaultIOPCReferWithin, []arv.Role{arv.RoleSFC}},
		{[]string{"--iopc-refer-within", "2h", "--sign-off-roles", "tfc, sfc"}, true, 2 * time.Hour, []arv.Role{arv.RoleTFC, arv.RoleSFC}},
		{[]string{"--iopc-refer-within", "30s"}, false, 0, nil},
		{[]string{"--iopc-refer-within", "72h"}, false, 0, nil},
		{[]string{"--sign-off-roles", "itfc"}, false, 0, nil},
		{[]string{"--sign-off-roles", "administrator"}, false, 0, nil},
		{[]string{"--sign-off-roles", ""}, false, 0, nil},
	} {
		fs := (&Main{}).newFlagSet("serve", "")
		d := addDischargeFlags(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		err := d.check()
		if (err == nil) != tt.ok {
			t.Errorf("%q: check() = %v, want ok %t", tt.args, err, tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		var st sqlstore.Store
		d.apply(&st)
		if st.IOPCReferWithin != tt.within || !slices.Equal(st.SignOffRoles, tt.roles) {
			t.Errorf("%q: store %v %v, want %v %v", tt.args, st.IOPCReferWithin, st.SignOffRoles, tt.within, tt.roles)
		}
	}
}
