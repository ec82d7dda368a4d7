package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/sqlstore"
)

// demoSeed fixes the demo force's names and dates, so every demo database
// looks alike.
const demoSeed = 20261126

// demoUsers are the demo's sign-ins, one per role.
var demoUsers = []struct {
	username string
	name     string
	role     arv.Role
}{
	{"handler", "Sam Carter", arv.RoleCallHandler},
	{"itfc", "Insp Priya Shah", arv.RoleITFC},
	{"tfc", "Insp Tom Hughes", arv.RoleTFC},
	{"sfc", "Supt Claire Morgan", arv.RoleSFC},
	{"officer", "PC Dan Wood", arv.RoleArmedOfficer},
	{"planner", "Lee Barnes", arv.RolePlanner},
	{"admin", "Jo Ellis", arv.RoleAdministrator},
}

var (
	demoFirst = []string{"Alex", "Ben", "Chris", "Dani", "Ellie", "Faye", "Gareth", "Hannah", "Imran", "Jess", "Kieran", "Laura", "Mark", "Nadia", "Owen", "Paula", "Rhys", "Sophie", "Tariq", "Vicky"}
	demoLast  = []string{"Adams", "Bennett", "Clarke", "Davies", "Evans", "Foster", "Green", "Harris", "Iqbal", "Jones", "King", "Lewis", "Mason", "Norris", "O'Brien", "Patel", "Reid", "Stone", "Turner", "Walsh"}
)

// demoLapses are the tickets the demo sets to lapse or fall due, so that
// the refusal and reminder paths show: officer index -> days from today
// the ARV accreditation expires.
var demoLapses = map[int]int{4: -3, 10: 5, 17: 12, 23: 26}

// seedDemo fills an empty store with the scenario's force: its ARVs at
// their bases, its ARV officers in teams with accreditations and fitness
// tests, a roster for the next 28 days on the scenario's shift pattern and
// its key-site patrol plans. It returns false when the store already has
// ARVs and leaves it alone.
func seedDemo(ctx context.Context, st *sqlstore.Store, s *arv.Scenario, router arv.Router, now time.Time, progress io.Writer) (bool, error) {
	sys := arv.NewContextWithUser(ctx, arv.SystemUser)
	units, err := st.FindUnits(sys)
	if err != nil || len(units) > 0 {
		return false, err
	}
	rng := mrand.New(mrand.NewPCG(demoSeed, 1))
	today := arv.DateOf(now)
	day0 := today.Time()

	fmt.Fprintf(progress, "seeding the %s demo force: ARVs", s.Force.Name)
	bases := map[string]arv.Base{}
	for _, b := range s.Bases {
		bases[b.ID] = b
	}
	var unitIDs []int64
	for _, a := range s.ARVs {
		b := bases[a.Base]
		p, err := router.Locate(string(b.At))
		if err != nil {
			return false, fmt.Errorf("demo: base %s: %w", b.Name, err)
		}
		u, err := st.CreateUnit(sys, arv.NewUnit{CallSign: a.CallSign, Base: b.Name, Position: p})
		if err != nil {
			return false, err
		}
		unitIDs = append(unitIDs, u.ID)
	}

	fmt.Fprint(progress, ", officers")
	teams := max(1, s.Shifts.Teams)
	byTeam := make([][]int64, teams+1)
	for i := range s.Officers.ARV {
		team := i%teams + 1
		rank := "PC"
		if i < teams {
			rank = "PS"
		}
		name := demoFirst[rng.IntN(len(demoFirst))] + " " + demoLast[rng.IntN(len(demoLast))]
		o, err := st.CreateOfficer(sys, arv.NewOfficer{Collar: fmt.Sprintf("WP%04d", 1001+i), Name: name, Rank: rank, Team: team})
		if err != nil {
			return false, err
		}
		// Annual requalification (facts §2.4): each ticket runs a year from
		// its last course, spread over the coming year.
		exp := day0.AddDate(0, 0, 20+rng.IntN(340))
		if d, ok := demoLapses[i]; ok {
			exp = day0.AddDate(0, 0, d)
		}
		for _, k := range []arv.Accreditation{arv.AccAFO, arv.AccARV, arv.AccTaser} {
			e := exp
			if k != arv.AccARV {
				e = day0.AddDate(0, 0, 40+rng.IntN(320))
			}
			if _, err := st.AddAccreditation(sys, o.ID, arv.NewAccreditation{Kind: k, Issued: arv.DateOf(e.AddDate(-1, 0, 0)), Expires: arv.DateOf(e)}); err != nil {
				return false, err
			}
		}
		if _, err := st.AddFitnessTest(sys, o.ID, arv.FitnessTest{Taken: arv.DateOf(day0.AddDate(0, 0, -30-rng.IntN(300))), Passed: true, Note: "MSFT 10.5"}); err != nil {
			return false, err
		}
		byTeam[team] = append(byTeam[team], o.ID)
	}

	fmt.Fprint(progress, ", roster")
	crew := 2
	if len(s.ARVs) > 0 {
		crew = s.ARVs[0].Crew
	}
	hours := time.Duration(s.Shifts.Hours * float64(time.Hour))
	// From the day before, so that the night shift running at midnight
	// is crewed whatever the hour of seeding, to 28 days ahead.
	for d := -1; d < 28; d++ {
		for k, pat := range s.Shifts.Shifts {
			hm, err := time.Parse("15:04", pat.Start)
			if err != nil {
				return false, err
			}
			start := day0.AddDate(0, 0, d).Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
			sh, err := st.AddShift(sys, arv.NewShift{Name: pat.Name, Start: start, End: start.Add(hours)})
			if err != nil {
				return false, err
			}
			// Forward rotation: team t works early on day t, late on day
			// t+1 and nights on day t+2 of each cycle (assumption).
			team := ((d-k)%teams+teams)%teams + 1
			members := byTeam[team]
			// Officers away (leave, training, sickness) rotate through the
			// team; one shift on day 4 is left short to show the gap alert.
			away := len(members) - crew*len(unitIDs)
			if d == 4 && k == len(s.Shifts.Shifts)-1 {
				away += crew + 1 // two ARVs short of a full crew
			}
			off := (d * 2) % max(1, len(members))
			slot := 0
			for j := range members {
				if slot >= crew*len(unitIDs) {
					break
				}
				if (j-off+len(members))%len(members) < away {
					continue
				}
				_, err := st.AssignCrew(sys, sh.ID, arv.RosterAssignment{UnitID: unitIDs[slot/crew], OfficerID: members[j]})
				if arv.ErrorCode(err) == arv.EINVALID {
					continue // a lapsed ticket: the roster refuses, the shift runs short
				}
				if err != nil {
					return false, err
				}
				slot++
			}
		}
	}
	for _, k := range s.KeySites {
		p, err := router.Locate(string(k.At))
		if err != nil {
			return false, fmt.Errorf("demo: key site %s: %w", k.Name, err)
		}
		if _, err := st.CreatePatrolPlan(sys, arv.NewPatrolPlan{Site: k.Name, Position: p, Start: k.Start, HoursPerDay: k.HoursPerDay, CheckInMinutes: 60}); err != nil {
			return false, err
		}
	}
	fmt.Fprintln(progress, ", done.")
	return true, nil
}

// demoPasswords gives every demo user a fresh random password, creating
// the users that are missing, and returns the passwords by username.
func demoPasswords(ctx context.Context, st *sqlstore.Store) (map[string]string, error) {
	sys := arv.NewContextWithUser(ctx, arv.SystemUser)
	users, err := st.FindUsers(sys)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, u := range users {
		have[u.Username] = true
	}
	out := map[string]string{}
	for _, d := range demoUsers {
		pw := newPassword()
		if have[d.username] {
			err = st.SetPassword(sys, d.username, pw)
		} else {
			_, err = st.CreateUser(sys, arv.NewUser{Username: d.username, Name: d.name, Role: d.role, Password: pw})
		}
		if err != nil {
			return nil, err
		}
		out[d.username] = pw
	}
	return out, nil
}

// newPassword returns 16 random characters from an unambiguous alphabet
// (about 80 bits).
func newPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	out := make([]byte, 0, 16)
	var b [32]byte
	for len(out) < 16 {
		rand.Read(b[:])
		for _, c := range b {
			// Reject the bytes past the largest multiple of the alphabet,
			// so every character is equally likely.
			if int(c) < 256-256%len(alphabet) && len(out) < 16 {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}
