package main

import (
	"fmt"
	"io"
	"time"
)

// progress reports long work on stderr: on a terminal one line updated in
// place, elsewhere (logs, CI) a line per finished stage with its time.
type progress struct {
	w      io.Writer
	tty    bool
	stage  string
	start  time.Time
	last   time.Time
	active bool
}

func (m *Main) newProgress() *progress {
	return &progress{w: m.Stderr, tty: m.StderrIsTerminal}
}

// update reports done out of total units in a stage (total 0: unknown).
func (p *progress) update(stage string, done, total int64, unit string) {
	now := time.Now()
	if stage != p.stage {
		p.finish()
		p.stage, p.start, p.active = stage, now, true
	} else if p.tty && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	if !p.tty {
		return
	}
	switch {
	case total > 0 && unit == "bytes":
		fmt.Fprintf(p.w, "\r\033[Karv: %s %3.0f%% (%.1f of %.1f MB)", stage, pct(done, total), float64(done)/1e6, float64(total)/1e6)
	case total > 0:
		fmt.Fprintf(p.w, "\r\033[Karv: %s %3.0f%% (%d of %d %s)", stage, pct(done, total), done, total, unit)
	default:
		fmt.Fprintf(p.w, "\r\033[Karv: %s...", stage)
	}
}

// note shows what a stage is doing now, on a terminal only: "arv:
// simulating the what-ifs: what-if 3 of 8, One more ARV: ...".
func (p *progress) note(stage, what string) {
	if stage != p.stage {
		p.update(stage, 0, 0, "")
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[Karv: %s: %s", stage, what)
	}
}

func pct(done, total int64) float64 {
	return 100 * float64(min(done, total)) / float64(total)
}

// finish closes the current stage, reporting its duration.
func (p *progress) finish() {
	if !p.active {
		return
	}
	d := time.Since(p.start).Round(10 * time.Millisecond)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[Karv: %s done in %v\n", p.stage, d)
	} else {
		fmt.Fprintf(p.w, "arv: %s done in %v\n", p.stage, d)
	}
	p.active = false
	p.stage = ""
}

// abandon ends the current stage without reporting it done, before an
// error is printed.
func (p *progress) abandon() {
	if p.active && p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.active = false
	p.stage = ""
}
