package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/arv-project/arv/internal/browsertest"
)

// signIn opens a browser of its own and signs in as user.
func signIn(t *testing.T, d *servedDemo, user string) *browsertest.Page {
	t.Helper()
	p := browsertest.OpenURL(t, d.url+"/login", 1280, 900)
	p.Run("sign in as "+user,
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), d.passwords[user]),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#live")),
	)
	return p
}

// TestWebFlow runs an incident end to end in real browsers, one per
// person: the call handler records it, the commander authorises and
// assigns the recommended ARV, and a third person's live board shows
// each step without reloading. An ARV whose crew member's ticket was
// revoked is shown as not deployable and cannot be assigned.
func TestWebFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	d := startDemo(t, "--db", t.TempDir()+"/arv.db")
	defer d.stop()
	dir := browsertest.ArtefactDir(t)

	board := signIn(t, d, "tfc")
	browsertest.Eval[int](board, `window.__arvMarker = 42`)
	board.Run("wait for the live stream", chromedp.WaitVisible(chromedp.CSS(".live-dot.on")))

	handler := signIn(t, d, "handler")
	handler.Run("record an incident",
		chromedp.Navigate(d.url+"/incidents/new"),
		chromedp.WaitVisible(chromedp.CSS("#place")),
		chromedp.SendKeys(chromedp.CSS("#place"), "Chippenham"),
		chromedp.SendKeys(chromedp.CSS("#address"), "Borough Parade car park"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Man loading a shotgun into a car"),
		chromedp.Click(chromedp.CSS(`input[name=firearm_seen]`)),
		chromedp.Submit(chromedp.CSS("#description")),
		chromedp.WaitVisible(chromedp.CSS("#h-record")),
	)
	loc := browsertest.Eval[string](handler, `location.pathname`)
	m := regexp.MustCompile(`/incidents/(\d+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after recording, the browser is at %s", loc)
	}
	id := m[1]
	if got := handler.Text("#h-summary + table"); !strings.Contains(got, "awaiting decision") || !strings.Contains(got, "firearm seen") {
		t.Fatalf("incident summary: %s", got)
	}
	// The board shows it without a reload.
	board.Run("see the incident on the board", chromedp.WaitVisible(chromedp.CSS("#incident-"+id)))

	itfc := signIn(t, d, "itfc")
	itfc.Run("record the decision",
		chromedp.Navigate(d.url+"/incidents/"+id),
		chromedp.WaitVisible(chromedp.CSS("#decision-form")),
		chromedp.Click(chromedp.CSS(`input[name=authorised][value=yes]`)),
		chromedp.SetValue(chromedp.CSS("#limb"), "weapon_access"),
		chromedp.SendKeys(chromedp.CSS("#information"), "Caller saw a shotgun loaded in a car park."),
		chromedp.SendKeys(chromedp.CSS("#threat"), "High: firearm, shoppers nearby."),
		chromedp.SendKeys(chromedp.CSS("#powers"), "APP armed deployment."),
		chromedp.SendKeys(chromedp.CSS("#options"), "ARV containment; unarmed cordons."),
		chromedp.SendKeys(chromedp.CSS("#action"), "Deploy nearest ARV; review on arrival."),
		chromedp.SendKeys(chromedp.CSS("#tactics"), "Containment and call-out."),
		chromedp.Submit(chromedp.CSS("#tactics")),
		chromedp.WaitVisible(chromedp.CSS("#recommendations")),
	)
	if got := itfc.Text("#h-record + table"); !strings.Contains(got, "Authorised") || !strings.Contains(got, "itfc") {
		t.Fatalf("authorisation record: %s", got)
	}
	first := browsertest.Eval[string](itfc, `document.querySelector("tr.recommendation").dataset.unit`)
	itfc.Screenshot(dir, "web-incident-recommendation.png")
	itfc.Run("assign the recommended ARV",
		chromedp.Click(chromedp.CSS(`tr.recommendation button`)),
		chromedp.WaitVisible(chromedp.CSS("#h-assigned")),
	)
	board.Poll("see the assignment on the board", fmt.Sprintf(
		`document.querySelector("#incident-%s") !== null && document.querySelector("#incident-%s").textContent.includes(%q)`, id, id, first), 10*time.Second)
	if got := browsertest.Eval[int](board, `window.__arvMarker || 0`); got != 42 {
		t.Fatal("the board reloaded instead of updating in place")
	}
	board.Screenshot(dir, "web-board.png")

	// The map: roads from the network, the three ARVs, the incident, and
	// the incident links to its record.
	board.Run("map page", chromedp.Navigate(d.url+"/map"), chromedp.WaitVisible(chromedp.CSS("svg.map")))
	if n := board.Count("svg.map circle.unit"); n != 3 {
		t.Errorf("map shows %d ARVs, want 3", n)
	}
	if n := board.Count(`svg.map a[href="/incidents/` + id + `"] rect.incident`); n != 1 {
		t.Errorf("map shows %d marks for incident %s, want 1", n, id)
	}
	if roads, svg := board.Size("path.road-major"), board.Size("svg.map"); roads.Height < 0.8*svg.Height && roads.Width < 0.8*svg.Width {
		t.Errorf("major roads drawn %v x %v px in a %v x %v px map, want them to span it", roads.Width, roads.Height, svg.Width, svg.Height)
	}
	board.Screenshot(dir, "web-map.png")

	// A revoked ticket: the next ARV's crew member loses the ARV
	// accreditation; the commander sees why and cannot assign it.
	admin := d.login(t, "admin")
	var recs struct {
		Recommendations []struct {
			UnitID   int64  `json:"unit_id"`
			CallSign string `json:"call_sign"`
			Crew     []struct {
				OfficerID int64 `json:"officer_id"`
			} `json:"crew"`
		} `json:"recommendations"`
	}
	c := d.login(t, "itfc")
	c.do("GET", "/api/v1/incidents/"+id+"/recommendation", nil, 200, &recs)
	var target struct {
		UnitID   int64
		CallSign string
		Officer  int64
	}
	for _, r := range recs.Recommendations {
		if r.CallSign != first && len(r.Crew) > 0 {
			target.UnitID, target.CallSign, target.Officer = r.UnitID, r.CallSign, r.Crew[0].OfficerID
			break
		}
	}
	var off struct {
		Accreditations []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"accreditations"`
	}
	admin.do("GET", fmt.Sprintf("/api/v1/officers/%d", target.Officer), nil, 200, &off)
	for _, a := range off.Accreditations {
		if a.Kind == "ARV" {
			admin.do("POST", fmt.Sprintf("/api/v1/officers/%d/accreditations/%d/revoke", target.Officer, a.ID), nil, 200, nil)
		}
	}
	itfc.Run("reload the incident", chromedp.Navigate(d.url+"/incidents/"+id), chromedp.WaitVisible(chromedp.CSS("#recommendations")))
	row := itfc.Text(fmt.Sprintf(`tr.recommendation[data-unit=%q]`, target.CallSign))
	if !strings.Contains(row, "ARV accreditation revoked") {
		t.Fatalf("%s's row does not show the revoked ticket: %s", target.CallSign, row)
	}
	itfc.Run("try to assign it anyway",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr.recommendation[data-unit=%q] button`, target.CallSign))),
		chromedp.WaitVisible(chromedp.CSS(".error")),
	)
	if got := itfc.Text(".error"); !strings.Contains(got, "cannot be assigned") || !strings.Contains(got, "ARV accreditation revoked") {
		t.Fatalf("refusal: %s", got)
	}
	itfc.Screenshot(dir, "web-refused.png")

	// The crew, on a phone, report on scene; the strategic commander
	// ratifies; the commander stands down.
	crew := browsertest.OpenURL(t, d.url+"/login", 390, 844)
	crew.Run("sign in on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.SendKeys(chromedp.CSS("#username"), "officer"),
		chromedp.SendKeys(chromedp.CSS("#password"), d.passwords["officer"]),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(d.url+"/incidents/"+id),
		chromedp.WaitVisible(chromedp.CSS("#h-assigned")),
	)
	if w := browsertest.Eval[int](crew, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the incident page is %d px wide on a 390 px phone", w)
	}
	crew.Screenshot(dir, "web-phone-incident.png")
	crew.Run("report on scene", chromedp.Click(chromedp.CSS(`form[action$="/status"] button`)))
	crew.Poll("see the arrival", `document.querySelector("tr.assignment") !== null && !document.querySelector("tr.assignment").textContent.includes("on scene")`, 10*time.Second)
	crew.Screenshot(dir, "web-phone-on-scene.png")
	sfc := signIn(t, d, "sfc")
	summary := `(document.querySelector("#h-summary + table") || {textContent: ""}).textContent`
	sfc.Run("ratify",
		chromedp.Navigate(d.url+"/incidents/"+id),
		chromedp.SendKeys(chromedp.CSS("#ratify-rationale"), "Proportionate: firearm seen in a public place."),
		chromedp.Click(chromedp.CSS(`button[name=ratify][value=yes]`)),
	)
	sfc.Poll("see the ratification and the arrival", summary+`.includes("ratified") && /Response\s*[0-9.]+ min/.test(`+summary+`)`, 10*time.Second)
	itfc.Run("stand down",
		chromedp.Navigate(d.url+"/incidents/"+id),
		chromedp.SendKeys(chromedp.CSS("#reason"), "Suspect detained; shotgun recovered."),
		chromedp.Submit(chromedp.CSS("#reason")),
	)
	itfc.Poll("see the stand-down", summary+`.includes("stood down")`, 10*time.Second)
	board.Run("the board clears", chromedp.Navigate(d.url+"/board"), chromedp.WaitVisible(chromedp.CSS("#live")))
	board.Poll("the incident leaves the board", `document.querySelector("#incident-`+id+`") === null`, 10*time.Second)

	officers := signIn(t, d, "planner")
	officers.Run("officers page", chromedp.Navigate(d.url+"/officers"), chromedp.WaitVisible(chromedp.CSS("#officer-WP1005")))
	if got := officers.Text("#officer-WP1005"); !strings.Contains(got, "lapsed") || !strings.Contains(got, "cannot be deployed") {
		t.Fatalf("WP1005 row: %s", got)
	}
	officers.Screenshot(dir, "web-officers.png")
	officers.Run("roster page", chromedp.Navigate(d.url+"/roster"), chromedp.WaitVisible(chromedp.CSS("tr.gap")))
	officers.Screenshot(dir, "web-roster.png")
	officers.Run("audit page", chromedp.Navigate(d.url+"/audit"), chromedp.WaitVisible(chromedp.CSS("#verify-result.ok")))
	officers.Run("returns page", chromedp.Navigate(d.url+"/reports"), chromedp.WaitVisible(chromedp.CSS("#annual")))
	if got := officers.Text("#annual"); !strings.Contains(got, "Firearms operations") {
		t.Fatalf("annual return: %s", got)
	}
	if got := officers.Text("#monthly"); !regexp.MustCompile(`urban \(target 15 min\)\s+1\s+1`).MatchString(got) {
		t.Errorf("monthly response times should count the one urban incident: %s", got)
	}
	officers.Screenshot(dir, "web-returns.png")
	officers.Run("run the plan from the browser",
		chromedp.Navigate(d.url+"/planning"),
		chromedp.WaitVisible(chromedp.CSS("#scenario")),
		chromedp.Click(chromedp.CSS(`form[action="/planning"] button`)),
	)
	// The report carries its own strict policy (no scripts at all), so
	// it is checked through the DOM rather than by running JavaScript.
	officers.Poll("the plan is listed", `document.querySelector("#plan-reports a") !== null`, 5*time.Minute)
	officers.Run("open the plan report", chromedp.Click(chromedp.CSS("#plan-reports a")), chromedp.WaitVisible(chromedp.CSS("svg")))
	if got := officers.Text("p.summary"); !strings.Contains(got, "Wiltshire Police") {
		t.Errorf("the plan report does not name the force: %.200s", got)
	}
	officers.Screenshot(dir, "web-plan-report.png")
	for _, pg := range []*browsertest.Page{board, handler, itfc, officers} {
		for _, r := range pg.External() {
			if !strings.HasPrefix(r, d.url+"/") {
				t.Errorf("a page requested %s, off the server", r)
			}
		}
	}
}
