package batch

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLines(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false, time.Hour, 4)
	p.run()
	p.add(true, false)
	p.add(false, true)
	p.add(false, false)
	p.start = p.start.Add(-2 * time.Second) // two rendered in 2 s: 1/s, one left
	p.finish()
	got := b.String()
	for _, want := range []string{"3/4 inputs (75%)", "1 skipped", "1 failed", "1.0/s", "ETA 1s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true, 10*time.Second, 10)
	if p.interval != 200*time.Millisecond {
		t.Errorf("a terminal bar redraws every %s", p.interval)
	}
	p.run()
	for range 5 {
		p.add(false, false)
	}
	p.finish()
	if got := b.String(); !strings.HasPrefix(got, "\r[===============>") || !strings.Contains(got, "5/10  50%") || !strings.HasSuffix(got, "\n") {
		t.Errorf("bar %q", got)
	}
}
