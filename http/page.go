package http

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// The control-room pages (issue 7): server-rendered html/template views
// over the same services as the API, with forms that post back and a
// live board fed by the API's event stream. Every asset is embedded. The
// pages' handlers live beside the API's, in the file of their resource;
// this file holds what they share.

//go:embed html/*.tmpl
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// pageCSP lets pages use their own stylesheet, script and event stream
// and nothing else.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pageTemplates holds one template set per page, each with the layout.
var pageTemplates = map[string]*template.Template{}

func init() {
	funcs := template.FuncMap{
		"can":          func(u *arv.User, a string) bool { return u != nil && arv.Permitted(u.Role, arv.Action(a)) },
		"since":        since,
		"clock":        arv.ClockLocal,
		"stamp":        stampText,
		"deref":        func(t *time.Time) time.Time { return *t },
		"eta":          eta,
		"statusText":   statusText,
		"breached":     func(i *arv.Incident, now time.Time) bool { return i.Breached(now) },
		"ratification": ratification,
		"response":     response,
		"indicators":   indicators,
		"decisionText": decisionText,
		"sub":          func(a, b float64) float64 { return a - b },
		"twice":        func(a float64) float64 { return 2 * a },
		"pct":          func(a float64) float64 { return 100 * a },
	}
	maps.Copy(funcs, localFuncs)
	layout := template.Must(template.New("layout").Funcs(funcs).ParseFS(templateFS, "html/layout.tmpl"))
	for _, page := range []string{"error", "login", "board", "incident_new", "incidents", "incident", "officers", "roster", "audit", "map", "patrols", "reports", "planning"} {
		t := template.Must(layout.Clone())
		template.Must(t.ParseFS(templateFS, "html/"+page+".tmpl"))
		switch page {
		case "board":
			template.Must(t.ParseFS(templateFS, "html/live.tmpl"))
		case "map":
			template.Must(t.ParseFS(templateFS, "html/maplive.tmpl"))
		case "incident":
			template.Must(t.ParseFS(templateFS, "html/discharge.tmpl"))
		}
		pageTemplates[page] = t
	}
	pageTemplates["live"] = template.Must(template.New("live").Funcs(funcs).ParseFS(templateFS, "html/live.tmpl"))
	pageTemplates["maplive"] = template.Must(template.New("maplive").Funcs(funcs).ParseFS(templateFS, "html/maplive.tmpl"))
}

// page is what every view gets.
type page struct {
	Title  string
	User   *arv.User
	CSRF   string
	Error  string
	Flash  string
	Script string
	// Refresh, when not zero, reloads the page every so many seconds.
	Refresh int
	Now     time.Time
	// Form holds the submitted values, to fill a form again after an
	// error.
	Form map[string]string
	Data any
}

// pageHome sends / to the board.
func (s *Server) pageHome(w http.ResponseWriter, r *http.Request, p *page) error {
	http.Redirect(w, r, "/board", http.StatusSeeOther)
	return nil
}

// assetFiles serves the embedded stylesheet and script under /assets/.
var assetFiles = func() http.Handler {
	assets, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix("/assets/", http.FileServer(http.FS(assets)))
}()

// pageAsset serves the pages' stylesheet and script, which browsers may
// keep for an hour.
func (s *Server) pageAsset(w http.ResponseWriter, r *http.Request, p *page) error {
	if strings.HasSuffix(r.URL.Path, "/") {
		return arv.Errorf(arv.ENOTFOUND, "No such file.") // no directory listings
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	assetFiles.ServeHTTP(w, r)
	return nil
}

// toLogin answers a page request without a session: a GET of a page is
// sent to the sign-in page, which comes back to it; anything else (a
// form post, or a live fragment fetched by the board's script, which
// goes to the sign-in page itself on 401) gets 401.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, "/live") {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	http.Error(w, "Sign in first.", http.StatusUnauthorized)
}

// render writes a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, status int, p *page) {
	var buf bytes.Buffer
	tmpl := "layout"
	if name == "live" || name == "maplive" {
		tmpl = name
	}
	if err := pageTemplates[name].ExecuteTemplate(&buf, tmpl, p); err != nil {
		s.logger().Error("render page", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	// Forms post back to this origin: with no-referrer the browser sends
	// "Origin: null" and the sign-in origin check would refuse it.
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageError answers a refused or failed page request: without a session,
// the sign-in page (toLogin); otherwise the error on a plain page with a
// way back, with the status of the error's code (403 for a role that may
// not, or a missing CSRF token).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, p *page, err error) {
	code := arv.ErrorCode(err)
	if code == arv.EINTERNAL {
		s.logger().Error("page", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == arv.EUNAUTHORIZED {
		s.toLogin(w, r)
		return
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	back := r.Referer()
	if u, err := url.Parse(back); err != nil || u.Host != r.Host || back == "" {
		back = "/board"
	}
	p.Title, p.Error, p.Data = "Not done", arv.ErrorMessage(err), back
	s.render(w, r, "error", status, p)
}

// Template functions.

// since formats the time from t to now as h:mm:ss or m:ss.
func since(t, now time.Time) string {
	d := now.Sub(t).Round(time.Second)
	if d < 0 {
		d = 0
	}
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

// eta formats seconds as minutes, "no route" when infinite.
func eta(sec float64) string {
	if math.IsInf(sec, 0) || math.IsNaN(sec) {
		return "no route"
	}
	return fmt.Sprintf("%.0f min", math.Ceil(sec/60))
}

func statusText(i *arv.Incident) string {
	switch i.Status {
	case arv.IncidentAwaitingDecision:
		if i.SelfDeployed {
			return "self-deployed: awaiting retrospective authorisation"
		}
		return "awaiting decision"
	case arv.IncidentNotAuthorised:
		return "not authorised"
	case arv.IncidentAuthorised:
		return "authorised"
	case arv.IncidentStoodDown:
		return "stood down"
	}
	return string(i.Status)
}

// ratification describes the strategic commander's ratification: done,
// the time left, or how long overdue.
func ratification(i *arv.Incident, now time.Time) template.HTML {
	switch {
	case i.RatifiedAt != nil:
		return template.HTML(`<span class="ok">ratified ` + arv.HourLocal(*i.RatifiedAt) + `</span>`)
	case i.RatifyDue == nil || i.Status == arv.IncidentStoodDown:
		return "–"
	case now.After(*i.RatifyDue):
		return template.HTML(`<span class="urgent">awaiting ratification: OVERDUE by ` + since(*i.RatifyDue, now) + `</span>`)
	}
	return template.HTML(`<span class="warning">awaiting ratification: due in ` + since(now, *i.RatifyDue) + `</span>`)
}

func response(i *arv.Incident) string {
	m, ok := i.ResponseMinutes()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%.1f min", m)
}

func indicators(ind arv.Indicators) string {
	var out []string
	for _, x := range []struct {
		on   bool
		text string
	}{{ind.FirearmSeen, "firearm seen"}, {ind.FirearmHeard, "shots heard"}, {ind.BladedWeapon, "bladed weapon"}, {ind.OtherWeapon, "other weapon"},
		{ind.ThreatsToKill, "threats to kill"}, {ind.Hostage, "hostage"}} {
		if x.on {
			out = append(out, x.text)
		}
	}
	if ind.Casualties > 0 {
		out = append(out, fmt.Sprintf("%d hurt", ind.Casualties))
	}
	if len(out) == 0 {
		return "no weapon or threat reported"
	}
	return strings.Join(out, ", ")
}

func decisionText(d arv.Decision) string {
	switch d.Kind {
	case arv.DecisionAuthorisation:
		t := "Not authorised"
		if d.Authorised {
			t = "Authorised"
		}
		if d.Retrospective {
			t += " (retrospectively)"
		}
		return t
	case arv.DecisionRatify:
		return "Ratified"
	case arv.DecisionRescind:
		return "Rescinded"
	case arv.DecisionSelfDeploy:
		return "Self-deployed"
	}
	return string(d.Kind)
}
