package arv_test

import (
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// The after-discharge actions join the permission table test here, so
// that rules_test.go stays as it is: commanders keep the record; sign-off
// is open to the TFC and SFC in the table and narrowed by the store's
// setting.
func init() {
	allActions = append(allActions, arv.ActionRecordDischarge, arv.ActionPostIncident, arv.ActionSignOff, arv.ActionAmendRecord)
	for _, r := range []arv.Role{arv.RoleITFC, arv.RoleTFC, arv.RoleSFC} {
		wantPermitted[r] = append(wantPermitted[r], arv.ActionRecordDischarge, arv.ActionPostIncident, arv.ActionAmendRecord)
	}
	for _, r := range []arv.Role{arv.RoleTFC, arv.RoleSFC} {
		wantPermitted[r] = append(wantPermitted[r], arv.ActionSignOff)
	}
}

func TestWeaponClass(t *testing.T) {
	for _, tt := range []struct {
		w       arv.WeaponClass
		firearm bool
	}{
		{arv.WeaponPistol, true}, {arv.WeaponCarbine, true}, {arv.WeaponShotgun, true}, {arv.WeaponRifle, true},
		{arv.WeaponAEP, false}, {"taser", false}, {"", false},
	} {
		if got := tt.w.Firearm(); got != tt.firearm {
			t.Errorf("%q.Firearm() = %t, want %t", tt.w, got, tt.firearm)
		}
	}
}

func TestInjuryDSI(t *testing.T) {
	for _, tt := range []struct {
		i   arv.Injury
		dsi bool
	}{
		{arv.InjuryNone, false}, {arv.InjuryMinor, false}, {arv.InjurySerious, true}, {arv.InjuryFatal, true}, {"", false},
	} {
		if got := tt.i.DSI(); got != tt.dsi {
			t.Errorf("%q.DSI() = %t, want %t", tt.i, got, tt.dsi)
		}
	}
}

func TestNewDischargeValidate(t *testing.T) {
	ok := arv.NewDischarge{OfficerID: 1, Weapon: arv.WeaponCarbine, Rounds: 2, AtPerson: true, Injury: arv.InjurySerious, Circumstances: "Subject raised a handgun at officers."}
	for _, tt := range []struct {
		name   string
		change func(d *arv.NewDischarge)
		want   string // "" valid, else part of the message
	}{
		{"valid", func(d *arv.NewDischarge) {}, ""},
		{"aep", func(d *arv.NewDischarge) { d.Weapon = arv.WeaponAEP }, ""},
		{"no officer", func(d *arv.NewDischarge) { d.OfficerID = 0 }, "officer"},
		{"taser", func(d *arv.NewDischarge) { d.Weapon = "taser" }, "Taser is not recorded"},
		{"no rounds", func(d *arv.NewDischarge) { d.Rounds = 0 }, "Rounds"},
		{"too many rounds", func(d *arv.NewDischarge) { d.Rounds = arv.MaxRounds + 1 }, "Rounds"},
		{"bad injury", func(d *arv.NewDischarge) { d.Injury = "grave" }, "Injury"},
		{"no circumstances", func(d *arv.NewDischarge) { d.Circumstances = "  " }, "circumstances"},
		{"long circumstances", func(d *arv.NewDischarge) { d.Circumstances = strings.Repeat("x", 8001) }, "circumstances"},
		{"control characters", func(d *arv.NewDischarge) { d.Circumstances = "a\x00b" }, "circumstances"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.change(&d)
			err := d.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if arv.ErrorCode(err) != arv.EINVALID || !strings.Contains(arv.ErrorMessage(err), tt.want) {
				t.Fatalf("Validate() = %v, want EINVALID mentioning %q", err, tt.want)
			}
		})
	}
}

func TestAfterDischargeRequestsValidate(t *testing.T) {
	long := strings.Repeat("x", 501)
	for _, tt := range []struct {
		name string
		v    interface{ Validate() error }
		ok   bool
	}{
		{"witness", &arv.NewKeyWitness{OfficerID: 3, Note: "cover officer, saw the discharge"}, true},
		{"witness no officer", &arv.NewKeyWitness{Note: "x"}, false},
		{"witness no note", &arv.NewKeyWitness{OfficerID: 3}, false},
		{"witness long note", &arv.NewKeyWitness{OfficerID: 3, Note: long}, false},
		{"referral", &arv.NewIOPCReferral{Reference: "2026/012345", By: "Supt Ray, PSD"}, true},
		{"referral no reference", &arv.NewIOPCReferral{By: "Supt Ray"}, false},
		{"referral no by", &arv.NewIOPCReferral{Reference: "2026/1"}, false},
		{"referral multi-line", &arv.NewIOPCReferral{Reference: "a\nb", By: "x"}, false},
		{"debrief", &arv.NewDebrief{LedBy: "Insp Hale", Notes: "Learning: earlier AEP option."}, true},
		{"debrief no notes", &arv.NewDebrief{LedBy: "Insp Hale"}, false},
		{"debrief no lead", &arv.NewDebrief{Notes: "n"}, false},
		{"sign-off", &arv.SignOffRequest{}, true},
		{"sign-off long note", &arv.SignOffRequest{Note: strings.Repeat("x", 8001)}, false},
		{"amendment", &arv.NewAmendment{Corrects: "discharge 1 rounds", Text: "Three rounds, not two."}, true},
		{"amendment no corrects", &arv.NewAmendment{Text: "t"}, false},
		{"amendment no text", &arv.NewAmendment{Corrects: "c"}, false},
	} {
		err := tt.v.Validate()
		if tt.ok != (err == nil) {
			t.Errorf("%s: Validate() = %v, want ok %t", tt.name, err, tt.ok)
		}
		if err != nil && arv.ErrorCode(err) != arv.EINVALID {
			t.Errorf("%s: code %q, want EINVALID", tt.name, arv.ErrorCode(err))
		}
	}
}
