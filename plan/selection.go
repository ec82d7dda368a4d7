package plan

import (
	"fmt"
	"math"
	"strings"
)

// DefaultAttrition is the share of ARV officers who leave the role each
// year: retirement, promotion, return to other duties, moves to
// specialist teams, injury, and lapsed accreditation (officers who "have
// not been able to reclassify and are therefore not authorised", or who
// missed "the annual compulsory development training" through illness,
// facts §2.4). Assumption: no rate is in the files; 10% is an ARV career
// of about ten years, from joining after probation and a few years'
// core policing (facts §2.2) to promotion or a return to other duties.
// The national count fell by 1,337 in six years (facts §3.3), a net 3.4%
// a year, so recruitment in those years ran well below this rate.
const DefaultAttrition = 0.10

// Stage is one step of the path from application to crewing an ARV.
type Stage struct {
	// Name says what the stage is.
	Name string `json:"name"`
	// PassRate is the share of candidates entering the stage who pass
	// it, 0 < PassRate ≤ 1.
	PassRate float64 `json:"pass_rate"`
	// Weeks is how long the stage takes, from entering it to entering
	// the next.
	Weeks float64 `json:"weeks"`
	// Source is where the figures come from, or "assumption: …".
	Source string `json:"source"`
}

// Course lengths (facts §2.3). The files give no official College of
// Policing figures (facts §6): a practitioner says "the difference is
// about 4 weeks (9 weeks vs 5 weeks)" between ARV officers and other
// AFOs; Devon, Cornwall and Dorset's initial firearms course is 11 weeks.
const (
	// AFOCourseWeeks is the initial firearms (AFO) course.
	AFOCourseWeeks = 5
	// ARVCourseWeeks is the ARV course that follows it.
	ARVCourseWeeks = 4
)

// DefaultStages returns the selection and training pipeline of an ARV
// officer. The stages and the fitness standards are from the files; no
// pass rate is, so every rate is an assumption (facts §0: "a highly
// selective process… some police officers don't pass those tests";
// HMICFRS 2023 found "an effective AFO selection process", facts §4.4).
// The product of the rates is 0.315: about three applicants for each
// officer who reaches an ARV.
func DefaultStages() []Stage {
	return []Stage{
		{Name: "application, sift and supervisor's approval", PassRate: 0.8, Weeks: 4,
			Source: "facts §2.2: volunteers who have completed probation (plus 2 years' core policing in some forces) and need their superiors' approval; assumption: 1 in 5 sifted out, 4 weeks"},
		{Name: "fitness test (multi-stage shuttle 7.6 for AFOs, 9.4 to join a firearms unit)", PassRate: 0.85, Weeks: 0,
			Source: "facts §2.2: standards 7.6 (AFO) and 9.4 (new to a firearms unit, West Midlands), 10.5 each year after; assumption: 85% pass, a day's test"},
		{Name: "psychological assessment, medical and eyesight", PassRate: 0.85, Weeks: 4,
			Source: "facts §2.2: psychological tests and medical examinations; from 2017–18 both of two colour-vision tests; assumption: 85% pass, 4 weeks to book and report"},
		{Name: "interview and assessment day", PassRate: 0.75, Weeks: 2,
			Source: "facts §2.2: interviews and assessment days; assumption: 75% pass, 2 weeks"},
		{Name: "initial firearms (AFO) course", PassRate: 0.85, Weeks: AFOCourseWeeks,
			Source: "facts §2.3: about 5 weeks (practitioner; Devon, Cornwall and Dorset's initial course is 11 weeks); facts §2.2: candidates \"can be returned to their previous role at any point in training\"; assumption: 85% pass"},
		{Name: "ARV course", PassRate: 0.9, Weeks: ARVCourseWeeks,
			Source: "facts §2.3: about 4 weeks more (\"9 weeks vs 5 weeks\", practitioner); assumption: 90% pass"},
		{Name: "accreditation and authorisation by the chief officer", PassRate: 0.95, Weeks: 0,
			Source: "facts §1.1: an AFO is \"selected, trained, accredited and authorised by their chief officer\"; assumption: 95%"},
	}
}

// SelectionResult is the answer of Selection.
type SelectionResult struct {
	// Officers is the establishment to keep, and Attrition the share
	// leaving it each year.
	Officers  int     `json:"officers"`
	Attrition float64 `json:"attrition"`
	// Vacancies is Officers × Attrition: new officers needed a year.
	Vacancies float64 `json:"vacancies"`
	// PassRate is the product of the stages' pass rates: the share of
	// applicants who end up crewing an ARV.
	PassRate float64 `json:"pass_rate"`
	// Applicants is Vacancies / PassRate, a year.
	Applicants float64 `json:"applicants"`
	// Entering[i] is the candidates entering stage i a year.
	Entering []float64 `json:"entering"`
	// LeadTimeWeeks is the sum of the stages' weeks: from application to
	// crewing an ARV, with no wait for a course place.
	LeadTimeWeeks float64 `json:"lead_time_weeks"`
	// TrainingWeeks is the weeks of the stages that are courses (those
	// whose name contains "course"), and InTraining the officers away on
	// them at any time: the course-weeks of everyone entering them a
	// year / 52.18.
	TrainingWeeks float64 `json:"training_weeks"`
	InTraining    float64 `json:"in_training"`
	// Steps show the arithmetic.
	Steps []Step `json:"steps"`
}

// Selection returns the applicants a year needed to keep an
// establishment of need officers, when a share attrition of them leaves
// each year and candidates pass the stages with their rates; and the
// weeks from application to crewing an ARV. It returns an error for a
// negative establishment, an attrition outside 0..1, no stages, or a
// pass rate outside (0, 1].
func Selection(need int, attrition float64, stages []Stage) (SelectionResult, error) {
	if need < 0 || need > 1_000_000 {
		return SelectionResult{}, fmt.Errorf("plan: the establishment must be between 0 and 1,000,000 officers, got %d", need)
	}
	if !(attrition >= 0 && attrition <= 1) {
		return SelectionResult{}, fmt.Errorf("plan: attrition must be a share between 0 and 1 a year, got %g", attrition)
	}
	rate, err := passRate(stages)
	if err != nil {
		return SelectionResult{}, err
	}
	res := SelectionResult{Officers: need, Attrition: attrition, PassRate: rate}
	res.Vacancies = float64(need) * attrition
	res.Applicants = res.Vacancies / rate
	res.Steps = []Step{
		{Label: "establishment", Value: float64(need), Unit: "officers", Source: "the question"},
		{Label: "attrition", Value: attrition, Unit: "a year", Source: "the question (DefaultAttrition is an assumption)"},
		{Label: "vacancies", Value: res.Vacancies, Unit: "officers a year",
			Formula: Num(float64(need)) + " × " + Num(attrition), Source: "derived"},
	}
	var rates, weeks []string
	n := res.Applicants
	courseLoad := 0.0
	for _, st := range stages {
		res.Entering = append(res.Entering, n)
		res.Steps = append(res.Steps, Step{Label: "entering: " + st.Name, Value: n, Unit: "candidates a year",
			Formula: "pass rate " + Num(st.PassRate) + ", " + Num(st.Weeks) + " weeks", Source: st.Source})
		if strings.Contains(strings.ToLower(st.Name), "course") {
			res.TrainingWeeks += st.Weeks
			courseLoad += n * st.Weeks
		}
		res.LeadTimeWeeks += st.Weeks
		rates = append(rates, Num(st.PassRate))
		weeks = append(weeks, Num(st.Weeks))
		n *= st.PassRate
	}
	res.InTraining = courseLoad / WeeksPerYear
	res.Steps = append(res.Steps,
		Step{Label: "share of applicants who reach an ARV", Value: rate, Formula: strings.Join(rates, " × "), Source: "the stages"},
		Step{Label: "applicants needed", Value: res.Applicants, Unit: "a year",
			Formula: Num(res.Vacancies) + " / " + Num(rate), Source: "derived"},
		Step{Label: "lead time from application to crewing an ARV", Value: res.LeadTimeWeeks, Unit: "weeks",
			Formula: strings.Join(weeks, " + "), Source: "the stages; no wait for a course place"},
		Step{Label: "officers away on courses at any time", Value: res.InTraining, Unit: "officers",
			Formula: "course-weeks of everyone entering the courses / 52.18", Source: "derived"},
	)
	return res, nil
}

// Applicants returns the applicants needed for the given number of new
// officers (a one-off growth, say): officers / the product of the
// stages' pass rates.
func Applicants(officers float64, stages []Stage) (float64, error) {
	if !(officers >= 0) || math.IsInf(officers, 1) {
		return 0, fmt.Errorf("plan: officers must be a non-negative number, got %g", officers)
	}
	rate, err := passRate(stages)
	if err != nil {
		return 0, err
	}
	return officers / rate, nil
}

func passRate(stages []Stage) (float64, error) {
	if len(stages) == 0 {
		return 0, errPlan("give at least one selection stage")
	}
	rate := 1.0
	for i, st := range stages {
		if !(st.PassRate > 0 && st.PassRate <= 1) {
			return 0, fmt.Errorf("plan: stage %d (%s): the pass rate must be above 0 and at most 1, got %g", i+1, st.Name, st.PassRate)
		}
		if !(st.Weeks >= 0 && st.Weeks <= 520) {
			return 0, fmt.Errorf("plan: stage %d (%s): weeks must be between 0 and 520, got %g", i+1, st.Name, st.Weeks)
		}
		rate *= st.PassRate
	}
	return rate, nil
}
