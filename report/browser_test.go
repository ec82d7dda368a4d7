package report

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

// browserPath finds a Chromium or Chrome binary, or "".
func browserPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artefactDir is where the browser test leaves its screenshots: the
// directory named by ARV_ARTIFACTS, else a temporary one.
func artefactDir(t *testing.T) string {
	if dir := os.Getenv("ARV_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// rect is an element's rendered size, from getBoundingClientRect.
type rect struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// TestBrowser opens the sample report in headless Chromium, from a file
// and with the network unused: the map and charts must lay out with a
// real size, every demand point must be drawn, no request may leave the
// file, and a full-page screenshot (screen and print media) is saved.
func TestBrowser(t *testing.T) {
	bin := browserPath()
	if bin == "" {
		if os.Getenv("ARV_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium, chromium-browser or google-chrome on PATH, and ARV_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium or Chrome on PATH; set ARV_REQUIRE_BROWSER=1 to make this a failure")
	}
	dir := artefactDir(t)
	html := mustRender(t, sampleData())
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("hide-scrollbars", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Record every request: only the file itself may be loaded.
	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start browser: %v", err)
	}
	u := (&url.URL{Scheme: "file", Path: file}).String()
	if err := chromedp.Do(bctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate: %v", err)
	}

	for _, sel := range []string{"#arv-map", "#arv-cdf", "#arv-coverage", "#arv-utilisation", "#arv-hypercube"} {
		r, err := chromedp.Run(bctx, chromedp.Evaluate[rect](fmt.Sprintf(
			`(() => { const e = document.querySelector(%q); if (!e) return {width: -1, height: -1}; const r = e.getBoundingClientRect(); return {width: r.width, height: r.height}; })()`, sel)))
		if err != nil {
			t.Fatalf("measure %s: %v", sel, err)
		}
		if r.Width <= 0 || r.Height <= 0 {
			t.Errorf("%s rendered at %vx%v, want a non-zero size", sel, r.Width, r.Height)
		}
		// The figures fill the content width and keep their aspect.
		if r.Width < 600 {
			t.Errorf("%s is %v px wide at a 1280 px window, want the content width", sel, r.Width)
		}
	}
	n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#arv-map circle.demand").length`))
	if err != nil {
		t.Fatal(err)
	}
	if n != 30 {
		t.Errorf("map shows %d demand circles, want 30", n)
	}
	// Every demand circle is drawn inside the map.
	outside, err := chromedp.Run(bctx, chromedp.Evaluate[int](`(() => {
		const m = document.querySelector("#arv-map").getBoundingClientRect();
		let n = 0;
		for (const c of document.querySelectorAll("#arv-map circle.demand")) {
			const r = c.getBoundingClientRect();
			if (r.width <= 0 || r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom) n++;
		}
		return n; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if outside != 0 {
		t.Errorf("%d demand circles are empty or outside the map", outside)
	}
	// The fonts are the system's: nothing was downloaded.
	title, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Armed response plan") {
		t.Errorf("title = %q", title)
	}

	png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	shot := filepath.Join(dir, "report.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// The same page as printed (print media, A4 width at 96 dpi).
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(794, 1123)); err != nil {
		t.Fatalf("print media: %v", err)
	}
	png, err = chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("print screenshot: %v", err)
	}
	shot = filepath.Join(dir, "report-print.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("print-media screenshot: %s", shot)

	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		if !strings.HasPrefix(r, "file:") && !strings.HasPrefix(r, "data:") {
			t.Errorf("the report requested %s", r)
		}
	}
}
