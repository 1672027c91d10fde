package batch

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress reports how far a batch is: a redrawn bar with count, rate and
// ETA on a terminal, a plain log line every interval otherwise (CI logs,
// Kubernetes). The rate and ETA count rendered inputs only: skipped ones
// take no time and would make the ETA lie.
type progress struct {
	w        io.Writer
	terminal bool
	interval time.Duration
	total    int

	mu                    sync.Mutex
	start                 time.Time
	done, skipped, failed int
	lastLine              int
	stop                  chan struct{}
	stopped               sync.WaitGroup
}

// IsTerminal reports whether w is a character device (a terminal) that is
// not TERM=dumb: then the progress bar is redrawn in place.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, terminal bool, interval time.Duration, total int) *progress {
	if w == nil {
		w = io.Discard
	}
	switch {
	case terminal:
		interval = 200 * time.Millisecond // a bar is redrawn, whatever the log interval
	case interval <= 0:
		interval = 10 * time.Second
	}
	return &progress{w: w, terminal: terminal, interval: interval, total: total, start: time.Now(), stop: make(chan struct{})}
}

func (p *progress) run() {
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.print(false)
			}
		}
	}()
}

func (p *progress) add(skipped, failed bool) {
	p.mu.Lock()
	p.done++
	if skipped {
		p.skipped++
	}
	if failed {
		p.failed++
	}
	p.mu.Unlock()
}

func (p *progress) finish() {
	close(p.stop)
	p.stopped.Wait()
	p.print(true)
}

func (p *progress) print(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start)
	rendered := p.done - p.skipped
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(rendered) / s
	}
	eta := "?"
	if left := p.total - p.done; left == 0 {
		eta = "0s"
	} else if rate > 0 {
		eta = time.Duration(float64(left) / rate * float64(time.Second)).Round(time.Second).String()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	extra := ""
	if p.skipped > 0 {
		extra += fmt.Sprintf(", %d skipped", p.skipped)
	}
	if p.failed > 0 {
		extra += fmt.Sprintf(", %d failed", p.failed)
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "batch: %d/%d inputs (%.0f%%)%s, %.1f/s, elapsed %s, ETA %s\n",
			p.done, p.total, pct, extra, rate, elapsed.Round(time.Second), eta)
		return
	}
	const width = 30
	filled := width
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	line := fmt.Sprintf("[%s] %d/%d %3.0f%% %.1f/s ETA %s%s", bar, p.done, p.total, pct, rate, eta, extra)
	pad := ""
	if n := p.lastLine - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.lastLine = len(line)
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%s%s", line, pad, end)
}
