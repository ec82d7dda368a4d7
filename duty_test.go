package arv_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// dutyOfficer holds AFO and ARV tickets and a passed fitness test
// through 2027, with the given duty records.
func dutyOfficer(duty ...arv.DutyRecord) *arv.Officer {
	return &arv.Officer{Name: "PC Reid", Collar: "4411",
		Accreditations: []arv.AccreditationRecord{{Kind: arv.AccAFO, Issued: "2025-01-01", Expires: "2027-12-31"}, {Kind: arv.AccARV, Issued: "2025-01-01", Expires: "2027-12-31"}},
		Fitness:        []arv.FitnessTest{{Taken: "2026-01-10", Passed: true}},
		Duty:           duty}
}

func TestDutyDeployable(t *testing.T) {
	sick := arv.DutyRecord{ID: 1, Status: arv.DutySick, From: "2026-03-29", To: "2026-03-31"}
	back := arv.DutyRecord{ID: 2, Status: arv.DutyAvailable, From: "2026-03-31"}
	restricted := arv.DutyRecord{ID: 3, Status: arv.DutyRestricted, From: "2026-06-01"}
	suspended := arv.DutyRecord{ID: 4, Status: arv.DutySuspended, From: "2026-07-01", To: "2026-07-01"}
	for _, c := range []struct {
		name string
		duty []arv.DutyRecord
		at   time.Time
		want string // "" when deployable
	}{
		{"no record: available", nil, time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC), ""},
		{"sick", []arv.DutyRecord{sick}, time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC), "off sick from 2026-03-29 until 2026-03-31"},
		{"sick until the end of the last London day", []arv.DutyRecord{sick}, time.Date(2026, 3, 31, 22, 59, 0, 0, time.UTC), "off sick"},
		// 23:30 UTC on 31 March is 00:30 BST on 1 April: back at work.
		{"the London day after, in BST", []arv.DutyRecord{sick}, time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), ""},
		{"the day before", []arv.DutyRecord{sick}, time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), ""},
		{"a later record overrides", []arv.DutyRecord{sick, back}, time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), ""},
		{"open-ended restricted duties", []arv.DutyRecord{restricted}, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "on restricted duties from 2026-06-01 until further notice"},
		{"suspended for a day", []arv.DutyRecord{suspended}, time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC), "suspended"},
		{"suspension over", []arv.DutyRecord{suspended}, time.Date(2026, 7, 2, 8, 0, 0, 0, time.UTC), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := dutyOfficer(c.duty...)
			err := o.CheckARVCrew(c.at)
			if c.want == "" {
				if err != nil {
					t.Fatalf("CheckARVCrew = %v, want deployable", err)
				}
				if !o.OperationallyDeployable(c.at) {
					t.Fatal("not operationally deployable")
				}
				return
			}
			if err == nil || arv.ErrorCode(err) != arv.EINVALID || !strings.Contains(arv.ErrorMessage(err), c.want) || !strings.Contains(arv.ErrorMessage(err), "PC Reid (4411) cannot be deployed") {
				t.Fatalf("CheckARVCrew = %v, want EINVALID naming %q", err, c.want)
			}
			if o.OperationallyDeployable(c.at) {
				t.Fatal("counted as operationally deployable")
			}
		})
	}
}

func TestCheckDutyDuring(t *testing.T) {
	o := dutyOfficer(arv.DutyRecord{ID: 1, Status: arv.DutySick, From: "2026-11-27", To: "2026-11-27"})
	for _, c := range []struct {
		start time.Time
		hours int
		bad   bool
	}{
		{time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC), 10, false},
		{time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC), 10, true}, // night into the sick day
		{time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), 10, true},
		{time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC), 72, true}, // spans it
		{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), 10, false},
	} {
		err := o.CheckDutyDuring(c.start, c.start.Add(time.Duration(c.hours)*time.Hour))
		if (err != nil) != c.bad {
			t.Errorf("shift from %s for %d h: %v, want refused %v", c.start, c.hours, err, c.bad)
		}
	}
}

// A day overridden as available at the start of a shift must not hide a
// sick record that still covers a later day of the shift.
func TestCheckDutyDuringOverriddenFirstDay(t *testing.T) {
	o := dutyOfficer(
		arv.DutyRecord{ID: 1, Status: arv.DutySick, From: "2026-11-26"},
		arv.DutyRecord{ID: 2, Status: arv.DutyAvailable, From: "2026-11-26", To: "2026-11-26"},
	)
	start := time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC) // night shift into the 27th, still sick
	if err := o.CheckDutyDuring(start, start.Add(10*time.Hour)); err == nil {
		t.Error("night shift into a sick day accepted; want refused")
	}
	if err := o.CheckDutyDuring(start, start.Add(2*time.Hour)); err != nil {
		t.Errorf("shift on the available day only: %v", err)
	}
}

func TestNewDutyValidate(t *testing.T) {
	for _, c := range []struct {
		n  arv.NewDuty
		ok bool
	}{
		{arv.NewDuty{Status: arv.DutySick, From: "2026-01-01"}, true},
		{arv.NewDuty{Status: arv.DutyAvailable, From: "2026-01-01", To: "2026-01-01"}, true},
		{arv.NewDuty{Status: "leave", From: "2026-01-01"}, false},
		{arv.NewDuty{Status: arv.DutySick, From: "2026-01-32"}, false},
		{arv.NewDuty{Status: arv.DutySick, From: "2201-01-01"}, false},
		{arv.NewDuty{Status: arv.DutySick, From: "2026-01-02", To: "2026-01-01"}, false},
		{arv.NewDuty{Status: arv.DutySick, From: "2026-01-01", Note: "bad\x00note"}, false},
	} {
		if err := c.n.Validate(); (err == nil) != c.ok {
			t.Errorf("Validate(%+v) = %v, want ok %v", c.n, err, c.ok)
		}
	}
}

func TestWriteExportCSV(t *testing.T) {
	m, on := 12.0, 30.25
	var buf bytes.Buffer
	err := arv.WriteExportCSV(&buf, []arv.ExportRow{
		{IncidentID: 7, CallAt: time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), Lat: 51.35, Lon: -1.99, Class: arv.Urban, ResponseMinutes: &m, ARVsSent: 2, OnSceneMinutes: &on},
		{IncidentID: 8, CallAt: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Lat: 51.07, Lon: -1.8, Class: arv.Rural, PrePlanned: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "incident_id,call_at,lat,lon,class,response_minutes,arvs_sent,on_scene_minutes,pre_planned\n" +
		"7,2026-04-01T00:30:00+01:00,51.350000,-1.990000,urban,12.0,2,30.2,false\n" +
		"8,2026-11-26T09:00:00Z,51.070000,-1.800000,rural,,0,,true\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", buf.String(), want)
	}
}
