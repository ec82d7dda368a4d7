package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Path finds a Chromium or Chrome binary, or returns "".
func Path() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// ArtefactDir is where tests leave files for people to look at: the
// directory named by ARV_ARTIFACTS, else a temporary one.
func ArtefactDir(t testing.TB) string {
	if dir := os.Getenv("ARV_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// Page is a page open in headless Chromium.
type Page struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	requests []string
}

// Open starts headless Chromium with a window width×height pixels and
// opens the file at path. It skips t when no browser is installed
// (fails it when ARV_REQUIRE_BROWSER=1). The browser stops with the test.
func Open(t testing.TB, path string, width, height int) *Page {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return open(t, (&url.URL{Scheme: "file", Path: abs}).String(), width, height, 60*time.Second)
}

// OpenURL starts its own headless Chromium (so its cookies are its own:
// two pages are two signed-in people) and opens url.
func OpenURL(t testing.TB, url string, width, height int) *Page {
	t.Helper()
	return open(t, url, width, height, 10*time.Minute)
}

// open starts a browser process that lives at most life, records every
// request it makes, and navigates to u.
func open(t testing.TB, u string, width, height int, life time.Duration) *Page {
	t.Helper()
	bin := Path()
	if bin == "" {
		if os.Getenv("ARV_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium, chromium-browser or google-chrome on PATH, and ARV_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium or Chrome on PATH; set ARV_REQUIRE_BROWSER=1 to make this a failure")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
		chromedp.Flag("hide-scrollbars", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
	}
	ctx, cancel := context.WithTimeout(context.Background(), life)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })

	p := &Page{t: t, ctx: bctx}
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			p.mu.Lock()
			p.requests = append(p.requests, e.Request.URL)
			p.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start browser: %v", err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate to %s: %v", u, err)
	}
	return p
}

// Eval evaluates a JavaScript expression on the page and returns its
// value, failing the test on an error.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Rect is an element's rendered size in CSS pixels.
type Rect struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Size returns the rendered size of the first element matching the CSS
// selector, or -1×-1 when there is none.
func (p *Page) Size(selector string) Rect {
	p.t.Helper()
	return Eval[Rect](p, fmt.Sprintf(
		`(() => { const e = document.querySelector(%q); if (!e) return {width: -1, height: -1}; const r = e.getBoundingClientRect(); return {width: r.width, height: r.height}; })()`, selector))
}

// Count returns the number of elements matching the CSS selector.
func (p *Page) Count(selector string) int {
	p.t.Helper()
	return Eval[int](p, fmt.Sprintf(`document.querySelectorAll(%q).length`, selector))
}

// Outside returns how many elements matching selector are not drawn (zero
// width) or lie partly outside the first element matching container.
func (p *Page) Outside(selector, container string) int {
	p.t.Helper()
	return Eval[int](p, fmt.Sprintf(`(() => {
		const m = document.querySelector(%q).getBoundingClientRect();
		let n = 0;
		for (const c of document.querySelectorAll(%q)) {
			const r = c.getBoundingClientRect();
			if (r.width <= 0 || r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom) n++;
		}
		return n; })()`, container, selector))
}

// Title returns the page's title.
func (p *Page) Title() string {
	p.t.Helper()
	title, err := chromedp.Run(p.ctx, chromedp.Title())
	if err != nil {
		p.t.Fatal(err)
	}
	return title
}

// Screenshot saves a full-page PNG as dir/name and logs where.
func (p *Page) Screenshot(dir, name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(dir, name)
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", shot)
}

// Print switches the page to print media at A4 width (96 dpi).
func (p *Page) Print() {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		p.t.Fatalf("print media: %v", err)
	}
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(794, 1123)); err != nil {
		p.t.Fatalf("print media: %v", err)
	}
}

// External returns the requests the page made for anything other than
// file: and data: URLs: a page that must work offline makes none.
func (p *Page) External() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, r := range p.requests {
		if !strings.HasPrefix(r, "file:") && !strings.HasPrefix(r, "data:") {
			out = append(out, r)
		}
	}
	return out
}

// Run runs chromedp actions on the page, failing the test on an error.
// Each call has 20 s.
func (p *Page) Run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.failed(what, err)
	}
}

// failed saves a screenshot and the page's address, then fails the test.
func (p *Page) failed(what string, err error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	name := "failed-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(p.t.Name()+"-"+what)) + ".png"
	if buf, serr := chromedp.Run(ctx, chromedp.FullScreenshot(100)); serr == nil {
		path := filepath.Join(ArtefactDir(p.t), name)
		if os.WriteFile(path, buf, 0o644) == nil {
			p.t.Logf("screenshot of the failure: %s", path)
		}
	}
	p.t.Fatalf("%s (at %s): %v", what, loc, err)
}

// Poll waits until the JavaScript expression is true, failing the test
// after timeout. It keeps trying through page loads (after a form is
// posted, say), when evaluating fails for a moment.
func (p *Page) Poll(what, expr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	if last == nil {
		last = fmt.Errorf("%s stayed false for %s", expr, timeout)
	}
	p.failed(what, last)
}

// Text returns the text of the first element matching selector.
func (p *Page) Text(selector string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", selector, err)
	}
	return s
}
