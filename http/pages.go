package http

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// The control-room pages (issue 7): server-rendered html/template views
// over the same services as the API, with forms that post back and a
// live board fed by the API's event stream. Every asset is embedded.

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
		"clock":        func(t time.Time) string { return t.UTC().Format("15:04:05") },
		"stamp":        func(t time.Time) string { return t.UTC().Format("Mon 2 Jan 15:04:05") },
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
	layout := template.Must(template.New("layout").Funcs(funcs).ParseFS(templateFS, "html/layout.tmpl"))
	for _, page := range []string{"error", "login", "board", "incident_new", "incidents", "incident", "officers", "roster", "audit", "map", "patrols", "reports", "planning"} {
		t := template.Must(layout.Clone())
		template.Must(t.ParseFS(templateFS, "html/"+page+".tmpl"))
		switch page {
		case "board":
			template.Must(t.ParseFS(templateFS, "html/live.tmpl"))
		case "map":
			template.Must(t.ParseFS(templateFS, "html/maplive.tmpl"))
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

// pageRoutes are the pages; they are not part of the API's route list.
func (s *Server) registerPages(mux *http.ServeMux) {
	assets, _ := fs.Sub(assetFS, "assets")
	files := http.FileServer(http.FS(assets))
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/board", http.StatusSeeOther) })
	mux.HandleFunc("GET /login", s.pageLogin)
	mux.HandleFunc("POST /login", s.pageLoginPost)
	mux.HandleFunc("POST /logout", s.page(s.pageLogout))
	mux.HandleFunc("GET /board", s.page(s.pageBoard))
	mux.HandleFunc("GET /board/live", s.page(s.pageBoardLive))
	mux.HandleFunc("GET /incidents", s.page(s.pageIncidents))
	mux.HandleFunc("GET /incidents/new", s.page(s.pageNewIncident))
	mux.HandleFunc("POST /incidents/new", s.page(s.pageNewIncidentPost))
	mux.HandleFunc("GET /incidents/{id}", s.page(s.pageIncident))
	mux.HandleFunc("POST /incidents/{id}/decision", s.page(s.pageDecide))
	mux.HandleFunc("POST /incidents/{id}/ratification", s.page(s.pageRatify))
	mux.HandleFunc("POST /incidents/{id}/assignments", s.page(s.pageAssign))
	mux.HandleFunc("POST /incidents/{id}/assignments/{unit}/release", s.page(s.pageRelease))
	mux.HandleFunc("POST /incidents/{id}/stand-down", s.page(s.pageStandDown))
	mux.HandleFunc("POST /units/{id}/status", s.page(s.pageUnitStatus))
	mux.HandleFunc("GET /map", s.page(s.pageMap))
	mux.HandleFunc("GET /map/live", s.page(s.pageMapLive))
	mux.HandleFunc("GET /patrols", s.page(s.pagePatrols))
	mux.HandleFunc("POST /patrols/{id}/check-ins", s.page(s.pageCheckIn))
	mux.HandleFunc("GET /reports", s.page(s.pageReports))
	mux.HandleFunc("GET /planning", s.page(s.pagePlanning))
	mux.HandleFunc("POST /planning", s.page(s.pagePlanningRun))
	mux.HandleFunc("GET /planning/{id}", s.page(s.pagePlanningReport))
	mux.HandleFunc("GET /officers", s.page(s.pageOfficers))
	mux.HandleFunc("GET /roster", s.page(s.pageRoster))
	mux.HandleFunc("GET /audit", s.page(s.pageAudit))
}

// pageHandler handles a signed-in page request.
type pageHandler func(w http.ResponseWriter, r *http.Request, p *page) error

// page wraps a page handler: the session (else to /login), the CSRF token
// of forms, a context that outlives the client for posts, and errors
// shown on the page.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pageCSP)
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBodyBytes())
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" {
			s.toLogin(w, r)
			return
		}
		u, csrf, err := s.Services.FindSession(r.Context(), c.Value)
		if err != nil || u == nil {
			if arv.ErrorCode(err) == arv.EINTERNAL {
				s.pageError(w, r, &page{Title: "Error", Now: s.now()}, err)
				return
			}
			s.clearCookie(w)
			s.toLogin(w, r)
			return
		}
		ctx := context.WithValue(arv.NewContextWithUser(r.Context(), u), sessionKey, session{token: c.Value, csrf: csrf})
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				s.pageError(w, r, &page{Title: "Error", User: u, CSRF: csrf, Now: s.now()}, arv.Errorf(arv.EINVALID, "The form could not be read."))
				return
			}
			got := r.PostForm.Get("csrf_token")
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
				s.pageError(w, r, &page{Title: "Error", User: u, CSRF: csrf, Now: s.now()}, errCSRF)
				return
			}
			ctx = context.WithoutCancel(ctx)
		}
		r = r.WithContext(ctx)
		p := &page{User: u, CSRF: csrf, Now: s.now(), Form: map[string]string{}}
		if err := h(w, r, p); err != nil {
			s.pageError(w, r, p, err)
		}
	}
}

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

// pageError shows an error on a plain page with a way back.
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

// pageLogin shows the sign-in form.
func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", http.StatusOK, &page{Title: "Sign in", Now: s.now(), Form: map[string]string{}})
}

// pageLoginPost signs in through the same checks as the API.
func (s *Server) pageLoginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBodyBytes())
	p := &page{Title: "Sign in", Now: s.now(), Form: map[string]string{}}
	fail := func(err error) {
		p.Error = arv.ErrorMessage(err)
		status, ok := statusOf[arv.ErrorCode(err)]
		if !ok {
			status = http.StatusInternalServerError
		}
		s.render(w, r, "login", status, p)
	}
	if err := r.ParseForm(); err != nil {
		fail(arv.Errorf(arv.EINVALID, "The form could not be read."))
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) || r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		fail(arv.Errorf(arv.EFORBIDDEN, "Sign-in from another site is refused."))
		return
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	p.Form["username"] = username
	if _, _, err := s.signIn(w, r, username, password); err != nil {
		fail(err)
		return
	}
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/board"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) pageLogout(w http.ResponseWriter, r *http.Request, p *page) error {
	sess, _ := sessionFrom(r.Context())
	if err := s.Services.DeleteSession(r.Context(), sess.token); err != nil {
		return err
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// boardData is the live part of the board.
type boardData struct {
	Incidents []*arv.Incident
	Units     []*arv.Unit
	Alerts    []arv.Alert
}

func (s *Server) board(ctx context.Context) (*boardData, error) {
	incs, err := s.Services.FindIncidents(ctx, arv.IncidentFilter{Open: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	for i, inc := range incs {
		full, err := s.Services.FindIncidentByID(ctx, inc.ID)
		if err != nil {
			return nil, err
		}
		incs[i] = full
	}
	units, err := s.Services.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	alerts, err := s.Services.Alerts(ctx)
	if err != nil {
		return nil, err
	}
	return &boardData{Incidents: incs, Units: units, Alerts: alerts}, nil
}

func (s *Server) pageBoard(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.board(r.Context())
	if err != nil {
		return err
	}
	p.Title, p.Data, p.Script = "Live board", d, "board.js"
	s.render(w, r, "board", http.StatusOK, p)
	return nil
}

func (s *Server) pageBoardLive(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.board(r.Context())
	if err != nil {
		return err
	}
	p.Data = d
	s.render(w, r, "live", http.StatusOK, p)
	return nil
}

func (s *Server) pageIncidents(w http.ResponseWriter, r *http.Request, p *page) error {
	incs, err := s.Services.FindIncidents(r.Context(), arv.IncidentFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Title, p.Data = "Incidents", incs
	s.render(w, r, "incidents", http.StatusOK, p)
	return nil
}

func (s *Server) pageNewIncident(w http.ResponseWriter, r *http.Request, p *page) error {
	if _, err := arv.Authorize(r.Context(), arv.ActionRecordIncident); err != nil {
		return err
	}
	p.Title = "New incident"
	s.render(w, r, "incident_new", http.StatusOK, p)
	return nil
}

func (s *Server) pageNewIncidentPost(w http.ResponseWriter, r *http.Request, p *page) error {
	f := r.PostForm
	for k := range f {
		p.Form[k] = f.Get(k)
	}
	on := func(k string) bool { return f.Get(k) != "" }
	n := arv.NewIncident{
		Place:       strings.TrimSpace(f.Get("place")),
		Address:     strings.TrimSpace(f.Get("address")),
		Description: strings.TrimSpace(f.Get("description")),
		Indicators: arv.Indicators{FirearmSeen: on("firearm_seen"), FirearmHeard: on("firearm_heard"), BladedWeapon: on("bladed_weapon"),
			OtherWeapon: on("other_weapon"), ThreatsToKill: on("threats_to_kill"), Hostage: on("hostage")},
	}
	if lat, lon, ok := strings.Cut(n.Place, ","); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if err1 == nil && err2 == nil {
			n.Position, n.Place = &geo.Point{Lat: a, Lon: b}, ""
			if n.Address == "" {
				n.Address = strings.TrimSpace(f.Get("place"))
			}
		}
	}
	inc, err := s.Services.CreateIncident(r.Context(), n)
	if err != nil {
		if arv.ErrorCode(err) == arv.EINVALID {
			p.Title, p.Error = "New incident", arv.ErrorMessage(err)
			s.render(w, r, "incident_new", http.StatusBadRequest, p)
			return nil
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d", inc.ID), http.StatusSeeOther)
	return nil
}

// incidentView is the incident page's data.
type incidentView struct {
	Incident        *arv.Incident
	Timeline        []timelineEntry
	Recommendations []arv.Recommendation
	CanDecide       bool
	CanRatify       bool
	CanAssign       bool
	CanReport       bool
	CanStandDown    bool
}

type timelineEntry struct {
	At   time.Time
	What string
}

func (s *Server) pageIncident(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.showIncident(w, r, p, id, http.StatusOK)
}

// showIncident renders the incident page, with p.Error and p.Form from a
// refused form if any.
func (s *Server) showIncident(w http.ResponseWriter, r *http.Request, p *page, id int64, status int) error {
	ctx := r.Context()
	inc, err := s.Services.FindIncidentByID(ctx, id)
	if err != nil {
		return err
	}
	u := p.User
	open := inc.Status != arv.IncidentStoodDown
	v := &incidentView{Incident: inc, Timeline: timeline(inc)}
	v.CanDecide = open && arv.Permitted(u.Role, arv.ActionDecide) && (inc.AuthorisedAt == nil || inc.SelfDeployed && inc.AuthorisedAt == nil)
	v.CanRatify = open && arv.Permitted(u.Role, arv.ActionRatify) && inc.AuthorisedAt != nil && inc.RatifiedAt == nil
	v.CanAssign = open && arv.Permitted(u.Role, arv.ActionDispatch) && (inc.AuthorisedAt != nil || inc.SelfDeployed)
	v.CanReport = open && arv.Permitted(u.Role, arv.ActionReportUnit)
	v.CanStandDown = open && arv.Permitted(u.Role, arv.ActionDispatch) && (inc.AuthorisedAt != nil || inc.SelfDeployed)
	if v.CanAssign {
		if v.Recommendations, err = s.Services.Recommend(ctx, id); err != nil {
			return err
		}
	}
	p.Title, p.Data = fmt.Sprintf("Incident %d", id), v
	s.render(w, r, "incident", status, p)
	return nil
}

// timeline lists an incident's events in time order.
func timeline(i *arv.Incident) []timelineEntry {
	out := []timelineEntry{{i.CallAt, "Call received; recorded by " + i.RecordedBy}}
	for _, d := range i.Decisions {
		out = append(out, timelineEntry{d.At, decisionText(d) + " by " + d.By})
	}
	for _, a := range i.Assignments {
		out = append(out, timelineEntry{a.AssignedAt, a.CallSign + " assigned by " + a.AssignedBy + ", ETA " + eta(a.ETASeconds)})
		if a.ArrivedAt != nil {
			out = append(out, timelineEntry{*a.ArrivedAt, a.CallSign + " on scene"})
		}
		if a.ReleasedAt != nil {
			out = append(out, timelineEntry{*a.ReleasedAt, a.CallSign + " released: " + a.ReleaseReason})
		}
	}
	if i.StoodDownAt != nil {
		out = append(out, timelineEntry{*i.StoodDownAt, "Stood down: " + i.StandDownReason})
	}
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return a.At.Compare(b.At) })
	return out
}

// formAction runs a posted action on an incident; a refusal the user can
// correct shows the incident page again with the message and the form.
func (s *Server) formAction(w http.ResponseWriter, r *http.Request, p *page, act func(ctx context.Context, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	for k := range r.PostForm {
		p.Form[k] = r.PostForm.Get(k)
	}
	if err := act(r.Context(), id); err != nil {
		switch arv.ErrorCode(err) {
		case arv.EINVALID, arv.ECONFLICT:
			p.Error = arv.ErrorMessage(err)
			status := statusOf[arv.ErrorCode(err)]
			return s.showIncident(w, r, p, id, status)
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) pageDecide(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		f := r.PostForm
		if a := f.Get("authorised"); a != "yes" && a != "no" {
			return arv.Errorf(arv.EINVALID, "Choose whether to authorise armed deployment.")
		}
		_, err := s.Services.Decide(ctx, id, arv.DecisionRequest{
			Authorised: f.Get("authorised") == "yes",
			Limb:       arv.Limb(f.Get("limb")),
			NDM: arv.NDM{Information: f.Get("information"), Threat: f.Get("threat"), PowersAndPolicy: f.Get("powers_and_policy"),
				Options: f.Get("options"), ActionAndReview: f.Get("action_and_review")},
			Tactics:   f.Get("tactics"),
			Rationale: f.Get("rationale"),
		})
		return err
	})
}

func (s *Server) pageRatify(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.Ratify(ctx, id, arv.RatificationRequest{Ratify: r.PostForm.Get("ratify") == "yes", Rationale: r.PostForm.Get("rationale")})
		return err
	})
}

func (s *Server) pageAssign(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		unit, err := strconv.ParseInt(r.PostForm.Get("unit_id"), 10, 64)
		if err != nil || unit <= 0 {
			return arv.Errorf(arv.EINVALID, "Choose an ARV to assign.")
		}
		_, err = s.Services.Assign(ctx, id, unit)
		return err
	})
}

func (s *Server) pageRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		unit, err := pathID(r, "unit")
		if err != nil {
			return err
		}
		_, err = s.Services.Release(ctx, id, unit, r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) pageStandDown(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.StandDown(ctx, id, arv.StandDown{Reason: r.PostForm.Get("reason")})
		return err
	})
}

func (s *Server) pageUnitStatus(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Services.ReportStatus(r.Context(), id, arv.StatusReport{Status: arv.UnitStatus(r.PostForm.Get("status"))}); err != nil {
		return err
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = "/board"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// ticket is one accreditation cell of the officers page.
type ticket struct{ Text, Class string }

type officerRow struct {
	*arv.Officer
	AFO, ARV, Taser, Fitness ticket
	Problem                  string
}

func ticketOf(exp arv.Date, ok bool, today arv.Date) ticket {
	if !ok {
		return ticket{"–", ""}
	}
	days := int(exp.Time().Sub(today.Time()).Hours() / 24)
	switch {
	case days < 0:
		return ticket{"lapsed " + string(exp), "lapsed"}
	case days <= 7:
		return ticket{string(exp) + " (" + strconv.Itoa(days) + " d)", "due7"}
	case days <= 30:
		return ticket{string(exp) + " (" + strconv.Itoa(days) + " d)", "due30"}
	}
	return ticket{string(exp), ""}
}

func (s *Server) pageOfficers(w http.ResponseWriter, r *http.Request, p *page) error {
	os, err := s.Services.FindOfficers(r.Context())
	if err != nil {
		return err
	}
	today := arv.DateOf(p.Now)
	rows := make([]officerRow, len(os))
	for i, o := range os {
		row := officerRow{Officer: o}
		a, ok := o.Latest(arv.AccAFO)
		row.AFO = ticketOf(a.Expires, ok, today)
		a, ok = o.Latest(arv.AccARV)
		row.ARV = ticketOf(a.Expires, ok, today)
		a, ok = o.Latest(arv.AccTaser)
		row.Taser = ticketOf(a.Expires, ok, today)
		if f, ok := o.LastFitness(); ok {
			row.Fitness = ticketOf(arv.DateOf(f.Taken.Time().Add(arv.FitnessValidFor-24*time.Hour)), true, today)
		} else {
			row.Fitness = ticket{"none", "lapsed"}
		}
		if err := o.CheckARVCrew(p.Now); err != nil {
			row.Problem = arv.ErrorMessage(err)
		}
		rows[i] = row
	}
	p.Title, p.Data = "Officers", rows
	s.render(w, r, "officers", http.StatusOK, p)
	return nil
}

type rosterRow struct {
	Shift *arv.RosterShift
	Gap   *arv.Gap
}

func (s *Server) pageRoster(w http.ResponseWriter, r *http.Request, p *page) error {
	from := p.Now.Add(-12 * time.Hour)
	to := p.Now.Add(arv.RosterHorizon)
	shifts, err := s.Services.FindRoster(r.Context(), from, to)
	if err != nil {
		return err
	}
	c := s.Services.Complement()
	rows := make([]rosterRow, len(shifts))
	for i, sh := range shifts {
		rows[i] = rosterRow{Shift: sh, Gap: arv.CheckComplement(*sh, c)}
	}
	p.Title, p.Data = "Roster", struct {
		Complement arv.Complement
		Rows       []rosterRow
	}{c, rows}
	s.render(w, r, "roster", http.StatusOK, p)
	return nil
}

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request, p *page) error {
	rep, err := s.Services.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	after := max(0, rep.Head.Seq-200)
	entries, err := s.Services.FindAudit(r.Context(), arv.AuditFilter{AfterSeq: after, Limit: 200})
	if err != nil {
		return err
	}
	slices.Reverse(entries)
	p.Title, p.Data = "Audit log", struct {
		Report  *arv.AuditReport
		Entries []*arv.AuditEntry
	}{rep, entries}
	s.render(w, r, "audit", http.StatusOK, p)
	return nil
}

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
		return template.HTML(`<span class="ok">ratified ` + i.RatifiedAt.UTC().Format("15:04") + `</span>`)
	case i.RatifyDue == nil || i.Status == arv.IncidentStoodDown:
		return "–"
	case now.After(*i.RatifyDue):
		return template.HTML(`<span class="urgent">OVERDUE by ` + since(*i.RatifyDue, now) + `</span>`)
	}
	return template.HTML(`<span class="warning">due in ` + since(now, *i.RatifyDue) + `</span>`)
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
