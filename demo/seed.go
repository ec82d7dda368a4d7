package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// forceSeed fixes the demo force's names and dates, so every demo
// database looks alike.
const forceSeed = 20261126

// User is a demo sign-in.
type User struct {
	Username string
	Name     string
	Role     arv.Role
}

// Users are the demo's sign-ins, one per role.
var Users = []User{
	{"handler", "Sam Carter", arv.RoleCallHandler},
	{"itfc", "Insp Priya Shah", arv.RoleITFC},
	{"tfc", "Insp Tom Hughes", arv.RoleTFC},
	{"sfc", "Supt Claire Morgan", arv.RoleSFC},
	{"officer", "PC Dan Wood", arv.RoleArmedOfficer},
	{"planner", "Lee Barnes", arv.RolePlanner},
	{"admin", "Jo Ellis", arv.RoleAdministrator},
}

var (
	firstNames = []string{"Alex", "Ben", "Chris", "Dani", "Ellie", "Faye", "Gareth", "Hannah", "Imran", "Jess", "Kieran", "Laura", "Mark", "Nadia", "Owen", "Paula", "Rhys", "Sophie", "Tariq", "Vicky"}
	lastNames  = []string{"Adams", "Bennett", "Clarke", "Davies", "Evans", "Foster", "Green", "Harris", "Iqbal", "Jones", "King", "Lewis", "Mason", "Norris", "O'Brien", "Patel", "Reid", "Stone", "Turner", "Walsh"}
)

// lapses are the tickets the demo sets to lapse or fall due, so that the
// refusal and reminder paths show: officer index -> days from today the
// ARV accreditation expires.
var lapses = map[int]int{4: -3, 10: 5, 17: 12, 23: 26}

// Seed fills an empty store with the scenario's force: its ARVs at their
// bases, its ARV officers in teams with accreditations and fitness tests,
// a roster from the day before now for the next 28 days on the
// scenario's shift pattern and its key-site patrol plans, placing the
// bases and key sites with locate (an arv.Router's Locate). It acts as
// arv.SystemUser and writes its progress on one line to progress. It
// returns false and leaves the store alone when the store already has
// ARVs.
func Seed(ctx context.Context, svc arv.Services, s *arv.Scenario, locate func(string) (geo.Point, error), now time.Time, progress io.Writer) (bool, error) {
	sys := arv.NewContextWithUser(ctx, arv.SystemUser)
	units, err := svc.FindUnits(sys)
	if err != nil || len(units) > 0 {
		return false, err
	}
	sd := &seeding{ctx: sys, svc: svc, sc: s, locate: locate,
		rng: rand.New(rand.NewPCG(forceSeed, 1)), day0: arv.DateOf(now).Time()}
	fmt.Fprintf(progress, "seeding the %s demo force: ARVs", s.Force.Name)
	if err := sd.addUnits(); err != nil {
		return false, err
	}
	fmt.Fprint(progress, ", officers")
	if err := sd.addOfficers(); err != nil {
		return false, err
	}
	fmt.Fprint(progress, ", roster")
	if err := sd.addRoster(); err != nil {
		return false, err
	}
	if err := sd.addPatrolPlans(); err != nil {
		return false, err
	}
	fmt.Fprintln(progress, ", done.")
	return true, nil
}

// seeding is one run of Seed.
type seeding struct {
	ctx    context.Context // acting as arv.SystemUser
	svc    arv.Services
	sc     *arv.Scenario
	locate func(string) (geo.Point, error)
	rng    *rand.Rand
	day0   time.Time // midnight starting today

	units  []int64   // the ARVs, in the scenario's order
	byTeam [][]int64 // officers of each team (1 to Teams)
}

// addUnits adds the scenario's ARVs at their bases.
func (sd *seeding) addUnits() error {
	bases := map[string]arv.Base{}
	for _, b := range sd.sc.Bases {
		bases[b.ID] = b
	}
	for _, a := range sd.sc.ARVs {
		b := bases[a.Base]
		p, err := sd.locate(string(b.At))
		if err != nil {
			return fmt.Errorf("demo: base %s: %w", b.Name, err)
		}
		u, err := sd.svc.CreateUnit(sd.ctx, arv.NewUnit{CallSign: a.CallSign, Base: b.Name, Position: p})
		if err != nil {
			return err
		}
		sd.units = append(sd.units, u.ID)
	}
	return nil
}

// addOfficers adds the scenario's ARV officers in teams, a sergeant
// first in each, with made-up names, their tickets and a passed fitness
// test.
func (sd *seeding) addOfficers() error {
	teams := sd.teams()
	sd.byTeam = make([][]int64, teams+1)
	for i := range sd.sc.Officers.ARV {
		team := i%teams + 1
		rank := "PC"
		if i < teams {
			rank = "PS"
		}
		name := firstNames[sd.rng.IntN(len(firstNames))] + " " + lastNames[sd.rng.IntN(len(lastNames))]
		o, err := sd.svc.CreateOfficer(sd.ctx, arv.NewOfficer{Collar: fmt.Sprintf("WP%04d", 1001+i), Name: name, Rank: rank, Team: team})
		if err != nil {
			return err
		}
		if err := sd.addTickets(o.ID, i); err != nil {
			return err
		}
		sd.byTeam[team] = append(sd.byTeam[team], o.ID)
	}
	return nil
}

// addTickets records the accreditations and fitness test of officer id,
// the i-th.
func (sd *seeding) addTickets(id int64, i int) error {
	// Annual requalification (facts §2.4): each ticket runs a year from
	// its last course, spread over the coming year.
	exp := sd.day0.AddDate(0, 0, 20+sd.rng.IntN(340))
	if d, ok := lapses[i]; ok {
		exp = sd.day0.AddDate(0, 0, d)
	}
	for _, k := range []arv.Accreditation{arv.AccAFO, arv.AccARV, arv.AccTaser} {
		e := exp
		if k != arv.AccARV {
			e = sd.day0.AddDate(0, 0, 40+sd.rng.IntN(320))
		}
		if _, err := sd.svc.AddAccreditation(sd.ctx, id, arv.NewAccreditation{Kind: k, Issued: arv.DateOf(e.AddDate(-1, 0, 0)), Expires: arv.DateOf(e)}); err != nil {
			return err
		}
	}
	_, err := sd.svc.AddFitnessTest(sd.ctx, id, arv.FitnessTest{Taken: arv.DateOf(sd.day0.AddDate(0, 0, -30-sd.rng.IntN(300))), Passed: true, Note: "MSFT 10.5"})
	return err
}

// seedReason is the reason the demo gives for rostering shifts that have
// already ended (yesterday's).
const seedReason = "Demo force: yesterday's roster seeded when the server started."

func (sd *seeding) teams() int { return max(1, sd.sc.Shifts.Teams) }

// addRoster adds the shifts of the scenario's pattern from the day
// before, so that the night shift running at midnight is crewed whatever
// the hour of seeding, to 28 days ahead, and crews them.
func (sd *seeding) addRoster() error {
	hours := time.Duration(sd.sc.Shifts.Hours * float64(time.Hour))
	for d := -1; d < 28; d++ {
		for k, pat := range sd.sc.Shifts.Shifts {
			hm, err := time.Parse("15:04", pat.Start)
			if err != nil {
				return err
			}
			// Shift times are London wall clock (issue 12); a shift
			// that has ended by now is seeded as an amendment.
			start, _ := arv.LocalAt(sd.day0.Year(), sd.day0.Month(), sd.day0.Day()+d, hm.Hour(), hm.Minute(), 0)
			sh, err := sd.svc.AddShift(sd.ctx, arv.NewShift{Name: pat.Name, Start: start, End: start.Add(hours), Reason: seedReason})
			if err != nil {
				return err
			}
			if err := sd.crewShift(sh.ID, d, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// crewShift crews shift id, the k-th of day d, from the team on duty.
func (sd *seeding) crewShift(id int64, d, k int) error {
	crew, teams := sd.sc.Crew(), sd.teams()
	// Forward rotation: team t works early on day t, late on day t+1 and
	// nights on day t+2 of each cycle (assumption).
	members := sd.byTeam[((d-k)%teams+teams)%teams+1]
	// Officers away (leave, training, sickness) rotate through the team;
	// one shift on day 4 is left short to show the gap alert.
	seats := crew * len(sd.units)
	away := len(members) - seats
	if d == 4 && k == len(sd.sc.Shifts.Shifts)-1 {
		away += crew + 1 // two ARVs short of a full crew
	}
	off := (d * 2) % max(1, len(members))
	slot := 0
	for j := range members {
		if slot >= seats {
			break
		}
		if (j-off+len(members))%len(members) < away {
			continue
		}
		_, err := sd.svc.AssignCrew(sd.ctx, id, arv.RosterAssignment{UnitID: sd.units[slot/crew], OfficerID: members[j], Reason: seedReason})
		if arv.ErrorCode(err) == arv.EINVALID {
			continue // a lapsed ticket: the roster refuses, the shift runs short
		}
		if err != nil {
			return err
		}
		slot++
	}
	return nil
}

// addPatrolPlans adds the scenario's key-site patrol plans.
func (sd *seeding) addPatrolPlans() error {
	for _, k := range sd.sc.KeySites {
		p, err := sd.locate(string(k.At))
		if err != nil {
			return fmt.Errorf("demo: key site %s: %w", k.Name, err)
		}
		if _, err := sd.svc.CreatePatrolPlan(sd.ctx, arv.NewPatrolPlan{Site: k.Name, Position: p, Start: k.Start, HoursPerDay: k.HoursPerDay, CheckInMinutes: 60}); err != nil {
			return err
		}
	}
	return nil
}

// SetPasswords gives every demo user a fresh random password
// (arv.NewPassword), creating the users that are missing, and returns the
// passwords by username. It acts as arv.SystemUser.
func SetPasswords(ctx context.Context, svc arv.UserService) (map[string]string, error) {
	sys := arv.NewContextWithUser(ctx, arv.SystemUser)
	users, err := svc.FindUsers(sys)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, u := range users {
		have[u.Username] = true
	}
	out := map[string]string{}
	for _, d := range Users {
		pw := arv.NewPassword()
		if have[d.Username] {
			err = svc.SetPassword(sys, d.Username, pw)
		} else {
			_, err = svc.CreateUser(sys, arv.NewUser{Username: d.Username, Name: d.Name, Role: d.Role, Password: pw})
		}
		if err != nil {
			return nil, err
		}
		out[d.Username] = pw
	}
	if err := linkCommanders(sys, svc, time.Now()); err != nil { // command.go
		return nil, err
	}
	return out, nil
}
