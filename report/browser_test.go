package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arv-project/arv/internal/browsertest"
)

// TestBrowser opens the sample report in headless Chromium, from a file
// and with the network unused: the map and charts must lay out with a
// real size, every demand point must be drawn, no request may leave the
// file, and a full-page screenshot (screen and print media) is saved.
func TestBrowser(t *testing.T) {
	dir := browsertest.ArtefactDir(t)
	html := mustRender(t, sampleData())
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	p := browsertest.Open(t, file, 1280, 900)

	for _, sel := range []string{"#arv-map", "#arv-cdf", "#arv-coverage", "#arv-utilisation", "#arv-hypercube"} {
		r := p.Size(sel)
		if r.Width <= 0 || r.Height <= 0 {
			t.Errorf("%s rendered at %vx%v, want a non-zero size", sel, r.Width, r.Height)
		}
		// The figures fill the content width and keep their aspect.
		if r.Width < 600 {
			t.Errorf("%s is %v px wide at a 1280 px window, want the content width", sel, r.Width)
		}
	}
	if n := p.Count("#arv-map circle.demand"); n != 30 {
		t.Errorf("map shows %d demand circles, want 30", n)
	}
	if n := p.Outside("#arv-map circle.demand", "#arv-map"); n != 0 {
		t.Errorf("%d demand circles are empty or outside the map", n)
	}
	if title := p.Title(); !strings.Contains(title, "Armed response plan") {
		t.Errorf("title = %q", title)
	}
	p.Screenshot(dir, "report.png")
	p.Print()
	p.Screenshot(dir, "report-print.png")
	// Nothing was fetched: no fonts, scripts or tiles from a network.
	for _, r := range p.External() {
		t.Errorf("the report requested %s", r)
	}
}
