package main

import (
	"slices"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/sqlstore"
)

// dischargeFlags are the serve settings of what follows a discharge
// (issue 12; the choices and their sources are in ../../discharge.go).
type dischargeFlags struct {
	referWithin *time.Duration
	signOff     *string
	roles       []arv.Role
}

// addDischargeFlags adds --iopc-refer-within and --sign-off-roles.
func addDischargeFlags(fs *flagSet) *dischargeFlags {
	return &dischargeFlags{
		referWithin: fs.Duration("iopc-refer-within", arv.DefaultIOPCReferWithin, "after a discharge causing death or serious injury, time by which the IOPC referral is expected (the alert is urgent throughout)"),
		signOff:     fs.String("sign-off-roles", "sfc", "comma-separated `roles` that may sign a deployment log off: sfc, tfc or both"),
	}
}

// check validates the flags once parsed.
func (d *dischargeFlags) check() error {
	if *d.referWithin < time.Minute || *d.referWithin > 48*time.Hour {
		return usagef("--iopc-refer-within %s: give between 1m and 48h", *d.referWithin)
	}
	d.roles = nil
	for _, r := range strings.Split(*d.signOff, ",") {
		role := arv.Role(strings.TrimSpace(r))
		if !arv.Permitted(role, arv.ActionSignOff) {
			return usagef("--sign-off-roles %q: each role must be sfc or tfc", *d.signOff)
		}
		if !slices.Contains(d.roles, role) {
			d.roles = append(d.roles, role)
		}
	}
	return nil
}

// apply sets the store's settings.
func (d *dischargeFlags) apply(st *sqlstore.Store) {
	st.IOPCReferWithin, st.SignOffRoles = *d.referWithin, d.roles
}
