package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/arv-project/arv/demo"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/postgres"
)

// The crash test (issue 7): arv serve is killed with SIGKILL during a
// stream of writes, crashRounds times, and restarted; afterwards every
// acknowledged write must be present exactly once and the audit chain
// must verify.
const (
	crashRounds  = 50
	crashWriters = 4
	// crashSeed fixes the kill delays; ARV_CRASH_SEED overrides it to
	// explore other schedules.
	crashSeed = 7
	// The kill comes this long after the round's first acknowledged
	// write: at least one write per round is acknowledged, and the kill
	// lands at a random point of the stream.
	crashMinDelay = 20 * time.Millisecond
	crashMaxDelay = 300 * time.Millisecond
)

// TestCrash builds the arv binary once and runs the crash test on SQLite
// and, when ARV_TEST_POSTGRES_DSN is set, on PostgreSQL.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds arv and kills it 50 times per database; skipped with -short")
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("needs SIGKILL")
	}
	bin := filepath.Join(t.TempDir(), "arv")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	seed := uint64(crashSeed)
	if s := os.Getenv("ARV_CRASH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("ARV_CRASH_SEED=%q: %v", s, err)
		}
		seed = v
	}

	t.Run("sqlite", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "arv.db")
		crashTest(t, bin, seed, crashDB{
			flags: []string{"--db", file},
			open:  func() (*sql.DB, error) { return sql.Open("sqlite", file) },
			table: func(name string) string { return name },
		})
	})

	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("ARV_TEST_POSTGRES_DSN")
		if dsn == "" {
			if os.Getenv("ARV_REQUIRE_POSTGRES") != "" {
				t.Fatal("ARV_REQUIRE_POSTGRES is set but ARV_TEST_POSTGRES_DSN is not")
			}
			t.Skip("set ARV_TEST_POSTGRES_DSN to run against PostgreSQL; .ci/run does")
		}
		schema := fmt.Sprintf("arvcrash_%d", os.Getpid())
		if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
			t.Fatalf("drop schema %s: %v", schema, err)
		}
		t.Cleanup(func() {
			if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
		})
		crashTest(t, bin, seed, crashDB{
			flags: []string{"--postgres", dsn, "--schema", schema},
			open:  func() (*sql.DB, error) { return sql.Open("pgx", dsn) },
			table: func(name string) string { return pgx.Identifier{schema, name}.Sanitize() },
		})
	})
}

// crashDB is the database under test.
type crashDB struct {
	// flags select it on arv's command line.
	flags []string
	// open opens it directly, for counting rows.
	open func() (*sql.DB, error)
	// table qualifies a table name.
	table func(string) string
}

// crashRound is what the writers of one round saw.
type crashRound struct {
	// acked maps the description of each write answered 201 to the
	// incident id in the answer.
	acked map[string]int64
	// attempted are the descriptions of every request sent.
	attempted []string
	// unanswered counts requests cut off by the kill (sent or not).
	unanswered int
	// failures are answers other than 201, or errors before the kill.
	failures []string
}

func crashTest(t *testing.T, bin string, seed uint64, db crashDB) {
	began := time.Now()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("crash test: %d rounds of %d writers, kill %v-%v after the first acknowledgement, seed %d (ARV_CRASH_SEED)",
		crashRounds, crashWriters, crashMinDelay, crashMaxDelay, seed)

	acked := map[string]int64{}
	attempted := map[string]bool{}
	unanswered := 0
	minAcked, maxAcked := -1, 0
	for r := 1; r <= crashRounds; r++ {
		delay := crashMinDelay + time.Duration(rng.Int64N(int64(crashMaxDelay-crashMinDelay)+1))
		delay = delay.Truncate(time.Millisecond)
		res := runCrashRound(t, bin, db.flags, r, delay)
		if len(res.failures) > 0 {
			t.Fatalf("round %d: %d unexpected answers:\n%s", r, len(res.failures), strings.Join(res.failures, "\n"))
		}
		if len(res.acked) == 0 {
			t.Fatalf("round %d: no write was acknowledged, so the round tested nothing", r)
		}
		for d, id := range res.acked {
			acked[d] = id
		}
		for _, d := range res.attempted {
			attempted[d] = true
		}
		unanswered += res.unanswered
		if minAcked < 0 || len(res.acked) < minAcked {
			minAcked = len(res.acked)
		}
		maxAcked = max(maxAcked, len(res.acked))
		t.Logf("round %2d: killed %3d ms after the first acknowledgement: %3d acknowledged, %d cut off",
			r, delay.Milliseconds(), len(res.acked), res.unanswered)
	}
	crashed := time.Since(began)

	// Restart once more and verify through the API.
	srv := startArvProcess(t, bin, db.flags)
	planner := (&servedDemo{url: srv.url, passwords: srv.passwords}).login(t, "planner")
	var ver struct {
		OK       bool  `json:"ok"`
		Checked  int64 `json:"checked"`
		Problems []struct {
			Message string `json:"message"`
		} `json:"problems"`
	}
	planner.do("GET", "/api/v1/audit/verify", nil, 200, &ver)
	if !ver.OK {
		t.Errorf("GET /api/v1/audit/verify after %d kills: ok false, %d checked: %+v", crashRounds, ver.Checked, ver.Problems)
	}
	srv.stop(t)

	// Count the rows in the database itself.
	sdb, err := db.open()
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	found := map[string][]int64{}
	ids := map[int64]bool{}
	rows, err := sdb.Query(`SELECT id, description FROM ` + db.table("incidents"))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		ids[id] = true
		if strings.HasPrefix(d, "crash r") {
			found[d] = append(found[d], id)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	creates := map[int64]int{}
	rows, err = sdb.Query(`SELECT entity FROM ` + db.table("audit") + ` WHERE action = 'incident.create'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var entity string
		if err := rows.Scan(&entity); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(entity, "incident/"), 10, 64)
		if err != nil {
			t.Errorf("audit entity %q of incident.create", entity)
			continue
		}
		creates[id]++
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}

	var problems []string
	nProblems := 0
	problem := func(format string, args ...any) {
		nProblems++
		if len(problems) < 50 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	present := 0
	for d, id := range acked {
		switch got := found[d]; {
		case len(got) == 0:
			problem("acknowledged write %q (incident %d) is missing", d, id)
		case len(got) > 1:
			problem("acknowledged write %q is present %d times: incidents %v", d, len(got), got)
		case got[0] != id:
			problem("acknowledged write %q was answered as incident %d but is stored as %d", d, id, got[0])
		default:
			present++
		}
	}
	committedUnacked := 0
	for d, got := range found {
		if !attempted[d] {
			problem("incident %v %q was never sent", got, d)
		}
		if _, ok := acked[d]; !ok {
			committedUnacked++
			if len(got) > 1 {
				problem("unacknowledged write %q is present %d times: incidents %v", d, len(got), got)
			}
		}
		for _, id := range got {
			if creates[id] != 1 {
				problem("incident %d %q has %d incident.create audit rows, want 1", id, d, creates[id])
			}
		}
	}
	for id := range creates {
		if !ids[id] {
			problem("incident.create audited for incident %d, which is not stored", id)
		}
	}
	if nProblems > 0 {
		t.Errorf("after %d kills, %d problems (the first %d):\n%s", crashRounds, nProblems, len(problems), strings.Join(problems, "\n"))
	}

	// arv audit verify with the real binary.
	verify := exec.Command(bin, append([]string{"audit", "verify"}, db.flags...)...)
	out, err := verify.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "audit log verified") {
		t.Errorf("arv audit verify after %d kills: %v\n%s", crashRounds, err, out)
	}

	t.Logf("crash test: %d rounds in %.1f s (%.1f s with the final checks); acknowledged %d writes (%d-%d a round), found %d of them; "+
		"%d requests cut off by kills, of which %d had committed; %s",
		crashRounds, crashed.Seconds(), time.Since(began).Seconds(), len(acked), minAcked, maxAcked, present,
		unanswered, committedUnacked, strings.TrimSpace(string(out)))
}

// runCrashRound starts arv serve, signs in as the call handler, records
// incidents from crashWriters goroutines and kills the server delay after
// the first acknowledgement.
func runCrashRound(t *testing.T, bin string, flags []string, round int, delay time.Duration) crashRound {
	t.Helper()
	srv := startArvProcess(t, bin, flags)
	c := (&servedDemo{url: srv.url, passwords: srv.passwords}).login(t, "handler")
	tr := &http.Transport{MaxIdleConnsPerHost: crashWriters}
	defer tr.CloseIdleConnections()
	c.http.Transport = tr

	res := crashRound{acked: map[string]int64{}}
	var (
		mu        sync.Mutex
		stop      atomic.Bool
		killed    atomic.Bool
		first     = make(chan struct{})
		firstOnce sync.Once
		wg        sync.WaitGroup
	)
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				desc := fmt.Sprintf("crash r%d w%d n%d", round, w, i)
				mu.Lock()
				res.attempted = append(res.attempted, desc)
				mu.Unlock()
				id, status, body, err := postCrashIncident(c, desc)
				mu.Lock()
				switch {
				case err != nil && killed.Load():
					res.unanswered++
				case err != nil:
					res.failures = append(res.failures, fmt.Sprintf("%s: %v (before the kill)", desc, err))
				case status != http.StatusCreated || id == 0:
					res.failures = append(res.failures, fmt.Sprintf("%s: %d %s", desc, status, body))
				default:
					res.acked[desc] = id
				}
				mu.Unlock()
				if err != nil || status != http.StatusCreated || id == 0 {
					return
				}
				firstOnce.Do(func() { close(first) })
			}
		})
	}
	writersDone := make(chan struct{})
	go func() { wg.Wait(); close(writersDone) }()

	select {
	case <-first:
		time.Sleep(delay)
	case <-writersDone:
	case <-time.After(60 * time.Second):
	}
	killed.Store(true)
	srv.kill(t)
	stop.Store(true)
	select {
	case <-writersDone:
	case <-time.After(60 * time.Second):
		t.Fatalf("round %d: the writers did not stop within 60 s of the kill", round)
	}
	return res
}

// postCrashIncident records an incident with the description and returns
// the id of a 201 answer. An error means no complete answer came.
func postCrashIncident(c *client, desc string) (id int64, status int, body string, err error) {
	in, _ := json.Marshal(map[string]any{"description": desc, "position": map[string]float64{"lat": 51.35, "lon": -1.99}})
	req, err := http.NewRequest("POST", c.base+"/api/v1/incidents", bytes.NewReader(in))
	if err != nil {
		return 0, 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, resp.StatusCode, "", err
	}
	if resp.StatusCode == http.StatusCreated {
		var out struct {
			ID          int64  `json:"id"`
			Description string `json:"description"`
		}
		if json.Unmarshal(b, &out) == nil && out.Description == desc {
			id = out.ID
		}
	}
	return id, resp.StatusCode, string(b), nil
}

// arvProcess is `arv serve --demo` running as a separate process.
type arvProcess struct {
	cmd       *exec.Cmd
	out, errb arvtest.Buffer
	done      chan struct{}
	err       error // the process's end, once done is closed
	url       string
	passwords map[string]string
}

var (
	crashAPIRE      = regexp.MustCompile(`API: (http://\S+)/api/v1`)
	crashPasswordRE = map[string]*regexp.Regexp{}
)

func init() {
	for _, u := range demo.Users {
		crashPasswordRE[u.Username] = regexp.MustCompile(`\s` + u.Username + `\s+(\S+)\n`)
	}
}

// startArvProcess starts the binary's arv serve --demo on a free port and
// waits until it prints its address and demo sign-ins and answers
// /healthz.
func startArvProcess(t *testing.T, bin string, flags []string) *arvProcess {
	t.Helper()
	p := &arvProcess{done: make(chan struct{}), passwords: map[string]string{}}
	p.cmd = exec.Command(bin, append([]string{"serve", "--demo", "--generate", "0", "--addr", "127.0.0.1:0"}, flags...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errb
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})

	// The first start seeds the demo force (about 3 s); allow for a slow
	// machine.
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := p.out.String()
		if m := crashAPIRE.FindStringSubmatch(s); m != nil && strings.Contains(s, "Ctrl-C") {
			p.url = m[1]
			for name, re := range crashPasswordRE {
				if m := re.FindStringSubmatch(s); m != nil {
					p.passwords[name] = m[1]
				}
			}
			break
		}
		select {
		case <-p.done:
			t.Fatalf("arv serve ended: %v\n%s\n%s", p.err, s, p.errb.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("arv serve did not start within 90 s:\n%s\n%s", s, p.errb.String())
		}
	}
	if p.passwords["handler"] == "" || p.passwords["planner"] == "" {
		t.Fatalf("arv serve printed no demo passwords:\n%s", p.out.String())
	}

	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := hc.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz: %v %v\n%s", resp, err, p.errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to end.
func (p *arvProcess) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
		t.Fatalf("arv serve ended before the kill: %v\n%s", p.err, p.errb.String())
	default:
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("arv serve did not end within 30 s of SIGKILL")
	}
	if ee, ok := errors.AsType[*exec.ExitError](p.err); !ok || ee.Exited() {
		t.Fatalf("arv serve was not ended by SIGKILL: %v\n%s", p.err, p.errb.String())
	}
}

// stop interrupts the process and waits for a clean exit.
func (p *arvProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("arv serve did not stop within 30 s of an interrupt")
	}
	if p.err != nil {
		t.Fatalf("arv serve: %v\n%s", p.err, p.errb.String())
	}
}
