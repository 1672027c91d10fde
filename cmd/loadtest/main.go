// Command loadtest measures gongwen's HTTP service under concurrent render
// load: throughput, latency percentiles, errors, and the server's peak
// memory when it starts the server itself.
//
//	go run ./cmd/loadtest -gongwen bin/gongwen -c 16 -d 30s -format pdf
//	go run ./cmd/loadtest -url http://127.0.0.1:8080 -c 16 -d 30s
//
// With -gongwen it starts `gongwen serve` on a free loopback port, waits for
// /readyz, and after the run reads the server's peak RSS (VmHWM) and stops
// it with SIGTERM. The report body is the template's example unless -report
// names a file. Any failed request makes the exit status 1; -min-rps,
// -max-p99 and -max-rss turn targets into failures too.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type config struct {
	url, gongwen, format, reportFile, template string
	conns                                      int
	duration, warmup                           time.Duration
	minRPS                                     float64
	maxP99                                     time.Duration
	maxRSSMB                                   float64
	jsonOut                                    bool
	serverFlags                                string
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "", "base URL of a running server (instead of -gongwen)")
	flag.StringVar(&c.gongwen, "gongwen", "", "gongwen binary to start as the server under test")
	flag.StringVar(&c.format, "format", "pdf", "pdf or docx")
	flag.StringVar(&c.reportFile, "report", "", "report JSON to render (default: the template's example)")
	flag.StringVar(&c.template, "template", "gov-info-disclosure-annual/2021", "template whose example is rendered")
	flag.IntVar(&c.conns, "c", 16, "concurrent connections")
	flag.DurationVar(&c.duration, "d", 30*time.Second, "measured duration")
	flag.DurationVar(&c.warmup, "warmup", 3*time.Second, "unmeasured warm-up before the run")
	flag.Float64Var(&c.minRPS, "min-rps", 0, "fail below this throughput (0: no target)")
	flag.DurationVar(&c.maxP99, "max-p99", 0, "fail above this p99 latency (0: no target)")
	flag.Float64Var(&c.maxRSSMB, "max-rss", 0, "fail above this server peak RSS in MB (0: no target; needs -gongwen)")
	flag.BoolVar(&c.jsonOut, "json", false, "print the result as JSON")
	flag.StringVar(&c.serverFlags, "server-flags", "", `extra flags for "gongwen serve", e.g. "--pool 2"`)
	flag.Parse()
	if (c.url == "") == (c.gongwen == "") {
		fmt.Fprintln(os.Stderr, "loadtest: give exactly one of -url and -gongwen")
		os.Exit(2)
	}
	res, err := run(c)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadtest: %v\n", err)
		os.Exit(1)
	}
	if c.jsonOut {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	} else {
		res.print(os.Stdout)
	}
	if fails := res.check(c); len(fails) > 0 {
		for _, f := range fails {
			fmt.Fprintln(os.Stderr, "loadtest: FAIL:", f)
		}
		os.Exit(1)
	}
}

type result struct {
	Format         string   `json:"format"`
	Connections    int      `json:"connections"`
	DurationS      float64  `json:"durationSeconds"`
	Requests       int      `json:"requests"`
	Errors         int      `json:"errors"`
	ErrorSamples   []string `json:"errorSamples,omitempty"`
	DistinctBodies int      `json:"distinctBodies"`
	RPS            float64  `json:"rendersPerSecond"`
	P50ms          float64  `json:"p50ms"`
	P90ms          float64  `json:"p90ms"`
	P99ms          float64  `json:"p99ms"`
	MaxMs          float64  `json:"maxMs"`
	BodyBytes      int      `json:"bodyBytes"`
	ServerRSSMB    float64  `json:"serverPeakRSSMB,omitempty"`
	ServerCPUs     float64  `json:"serverCPUSeconds,omitempty"`
	ClientCPUs     float64  `json:"loadGeneratorCPUSeconds"`
	LoadAverage    string   `json:"loadAverage"` // of the machine at the end: other work skews the figures
	// Breakdown is what the server's /metrics say the latency is made of.
	Breakdown *breakdown `json:"breakdown,omitempty"`
}

func run(c config) (*result, error) {
	var srv *server
	if c.gongwen != "" {
		var err error
		if srv, err = startServer(c.gongwen, strings.Fields(c.serverFlags)); err != nil {
			return nil, err
		}
		defer srv.stop()
		c.url = srv.url
	}
	c.url = strings.TrimRight(c.url, "/")
	body, err := reportBody(c)
	if err != nil {
		return nil, err
	}
	// A fixed document date: a render without one carries the time of the
	// request, and every body must be the same bytes (the check below).
	target := c.url + "/api/v1/render?format=" + c.format + "&created=2025-01-20T09:00:00%2B08:00"
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: c.conns, MaxConnsPerHost: c.conns, DisableCompression: true},
		Timeout:   time.Minute,
	}

	if c.warmup > 0 {
		load(client, target, body, c.conns, c.warmup)
	}
	var cpu0 float64
	if srv != nil {
		cpu0 = srv.cpuSeconds()
	}
	m0 := scrape(client, c.url, c.format)
	self0 := selfCPUSeconds()
	w := load(client, target, body, c.conns, c.duration)
	m1 := scrape(client, c.url, c.format)
	res := &result{Format: c.format, Connections: c.conns, DurationS: w.elapsed.Seconds(), Requests: len(w.latencies) + w.errors,
		Errors: w.errors, ErrorSamples: w.samples, DistinctBodies: len(w.bodies), BodyBytes: w.size}
	res.RPS = float64(len(w.latencies)) / w.elapsed.Seconds()
	if n := len(w.latencies); n > 0 {
		slices.Sort(w.latencies)
		pct := func(p float64) float64 {
			return float64(w.latencies[min(n-1, int(p*float64(n)))].Microseconds()) / 1000
		}
		res.P50ms, res.P90ms, res.P99ms = pct(.50), pct(.90), pct(.99)
		res.MaxMs = float64(w.latencies[n-1].Microseconds()) / 1000
	}
	res.ClientCPUs = selfCPUSeconds() - self0
	if m0 != nil && m1 != nil {
		res.Breakdown = m1.since(m0, w.elapsed)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		res.LoadAverage = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if srv != nil {
		res.ServerRSSMB = srv.peakRSSMB()
		res.ServerCPUs = srv.cpuSeconds() - cpu0
	}
	return res, nil
}

type work struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	samples   []string
	bodies    map[uint64]bool
	size      int
	elapsed   time.Duration
}

// load keeps conns requests in flight for d (closed loop: each connection
// sends its next request when the previous answer has been read).
func load(client *http.Client, target string, body []byte, conns int, d time.Duration) *work {
	w := &work{bodies: map[uint64]bool{}}
	seed := maphash.MakeSeed()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			// One answer buffer per connection, reused: the generator
			// shares the cores with the server, and a fresh quarter
			// megabyte per answer had it collecting garbage 30 times a
			// second.
			var buf []byte
			for time.Now().Before(deadline) {
				t0 := time.Now()
				b, err := post(client, target, body, &buf)
				lat := time.Since(t0)
				// A cheap hash, outside the lock, keeps its own CPU low.
				sum := maphash.Bytes(seed, b)
				w.mu.Lock()
				if err != nil {
					w.errors++
					if len(w.samples) < 5 {
						w.samples = append(w.samples, err.Error())
					}
				} else {
					w.latencies = append(w.latencies, lat)
					w.bodies[sum] = true
					w.size = len(b)
				}
				w.mu.Unlock()
			}
		})
	}
	wg.Wait()
	w.elapsed = time.Since(start)
	return w
}

// post sends one render request and reads the answer into *buf, which it
// grows as needed and which the result aliases.
func post(client *http.Client, target string, body []byte, buf *[]byte) ([]byte, error) {
	resp, err := client.Post(target, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b := (*buf)[:0]
	if n := int(resp.ContentLength); n > cap(b) {
		b = make([]byte, 0, n)
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := resp.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	*buf = b
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %.200s", resp.Status, b)
	}
	return b, nil
}

func reportBody(c config) ([]byte, error) {
	if c.reportFile != "" {
		return os.ReadFile(c.reportFile)
	}
	resp, err := http.Get(c.url + "/api/v1/templates/" + c.template)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the example of %s: %s", c.template, resp.Status)
	}
	var t struct{ Example json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, err
	}
	return t.Example, nil
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "%s renders, %d connections, %.1f s\n", strings.ToUpper(r.Format), r.Connections, r.DurationS)
	fmt.Fprintf(w, "  requests     %d (%d errors)\n", r.Requests, r.Errors)
	for _, s := range r.ErrorSamples {
		fmt.Fprintf(w, "    error: %s\n", s)
	}
	fmt.Fprintf(w, "  throughput   %.1f renders/s\n", r.RPS)
	fmt.Fprintf(w, "  latency      p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms\n", r.P50ms, r.P90ms, r.P99ms, r.MaxMs)
	fmt.Fprintf(w, "  output       %d bytes, %d distinct bodies\n", r.BodyBytes, r.DistinctBodies)
	if r.ServerRSSMB > 0 {
		fmt.Fprintf(w, "  server       peak RSS %.0f MB, %.1f CPU-seconds (%.1f ms CPU per render)\n",
			r.ServerRSSMB, r.ServerCPUs, 1000*r.ServerCPUs/max(float64(r.Requests), 1))
	}
	if b := r.Breakdown; b != nil {
		// Little's law: conns in flight over the throughput is the mean
		// time a request takes as the client sees it.
		clientMean := 1000 * float64(r.Connections) / max(r.RPS, 1)
		fmt.Fprintf(w, "  server       (from /metrics) in the handler mean %.1f ms, p99 ≤ %.0f ms, of which waiting for a pool slot mean %.1f ms, p99 ≤ %.0f ms,\n",
			b.RequestMeanMs, b.RequestP99Ms, b.PoolWaitMeanMs, b.PoolWaitP99Ms)
		fmt.Fprintf(w, "               rendering mean %.1f ms, p99 ≤ %.0f ms; outside the handler (connection, scheduling, the generator) mean %.1f ms\n",
			b.EngineMeanMs, b.EngineP99Ms, clientMean-b.RequestMeanMs)
		fmt.Fprintf(w, "  GC           %d cycles (%.1f/s), stop-the-world pauses %.1f ms in all\n", b.GCCycles, b.GCPerSecond, b.GCPauseMs)
	}
	fmt.Fprintf(w, "  generator    %.1f CPU-seconds; machine load average %s\n", r.ClientCPUs, r.LoadAverage)
}

func (r *result) check(c config) []string {
	var fails []string
	if r.Errors > 0 {
		fails = append(fails, fmt.Sprintf("%d of %d requests failed", r.Errors, r.Requests))
	}
	if r.DistinctBodies > 1 {
		fails = append(fails, fmt.Sprintf("the same report rendered to %d different outputs", r.DistinctBodies))
	}
	if c.minRPS > 0 && r.RPS < c.minRPS {
		fails = append(fails, fmt.Sprintf("throughput %.1f/s below %.0f/s", r.RPS, c.minRPS))
	}
	if c.maxP99 > 0 && r.P99ms > float64(c.maxP99.Microseconds())/1000 {
		fails = append(fails, fmt.Sprintf("p99 %.1f ms above %v", r.P99ms, c.maxP99))
	}
	if c.maxRSSMB > 0 && r.ServerRSSMB > c.maxRSSMB {
		fails = append(fails, fmt.Sprintf("server peak RSS %.0f MB above %.0f MB", r.ServerRSSMB, c.maxRSSMB))
	}
	return fails
}

type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

func startServer(bin string, extra []string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--log-level", "warn"}, extra...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server exited before it was ready: %v", err)
		case <-ctx.Done():
			s.stop()
			return nil, errors.New("server not ready after 30 s")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// peakRSSMB reads the server's high-water resident set size.
func (s *server) peakRSSMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuSeconds is the server's user+system CPU time so far.
func (s *server) cpuSeconds() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // USER_HZ is 100 on Linux
}

// selfCPUSeconds is the load generator's own CPU time: on a small machine
// it competes with the server, and the report should say how much.
func selfCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(70 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// breakdown splits the measured latency with the server's own metrics.
type breakdown struct {
	EngineMeanMs   float64 `json:"engineMeanMs"`
	EngineP99Ms    float64 `json:"engineP99Ms"` // upper bound of the histogram bucket holding the 99th percentile
	PoolWaitMeanMs float64 `json:"poolWaitMeanMs"`
	PoolWaitP99Ms  float64 `json:"poolWaitP99Ms"` // bucket bound, as EngineP99Ms
	RequestMeanMs  float64 `json:"requestMeanMs"` // in the server's handler: queue, render, writing the answer
	RequestP99Ms   float64 `json:"requestP99Ms"`  // bucket bound, as EngineP99Ms
	GCCycles       int     `json:"gcCycles"`
	GCPerSecond    float64 `json:"gcPerSecond"`
	GCPauseMs      float64 `json:"gcPauseMs"`
}

// histogram is one Prometheus histogram (summed over its label sets).
type histogram struct {
	sum, count float64
	buckets    map[float64]float64 // le -> cumulative count
}

func (h *histogram) add(suffix, labels string, v float64) {
	switch suffix {
	case "_sum":
		h.sum += v
	case "_count":
		h.count += v
	case "_bucket":
		if _, le, ok := strings.Cut(labels, `le="`); ok {
			le, _, _ = strings.Cut(le, `"`)
			if x, err := strconv.ParseFloat(le, 64); err == nil {
				if h.buckets == nil {
					h.buckets = map[float64]float64{}
				}
				h.buckets[x] += v
			}
		}
	}
}

// since is the mean and the bound of the bucket holding the 99th
// percentile, in milliseconds, of the observations after h0.
func (h *histogram) since(h0 *histogram) (meanMs, p99Ms float64) {
	n := h.count - h0.count
	if n <= 0 {
		return 0, 0
	}
	les := make([]float64, 0, len(h.buckets))
	for le := range h.buckets {
		les = append(les, le)
	}
	slices.Sort(les)
	for _, le := range les {
		// Beyond the last finite bound it stays 0: +Inf is no figure
		// (and no JSON number); the buckets reach 10 s and more.
		if !math.IsInf(le, 1) && h.buckets[le]-h0.buckets[le] >= 0.99*n {
			p99Ms = 1000 * le
			break
		}
	}
	return 1000 * (h.sum - h0.sum) / n, p99Ms
}

// metrics are the figures read from one scrape of /metrics.
type metrics struct {
	engine, poolWait, request histogram
	gcCount, gcPauseSum       float64
}

// scrape reads the render histograms of format, the pool's wait and the Go
// GC summary from the server's /metrics (nil when it has none, e.g. behind
// a token).
func scrape(client *http.Client, base, format string) *metrics {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil
	}
	m := &metrics{}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			continue
		}
		labels := ""
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name, labels = name[:i], name[i:]
		}
		isFormat := strings.Contains(labels, `format="`+format+`"`)
		isRender := strings.Contains(labels, `route="/api/v1/render"`) && strings.Contains(labels, `status="200"`)
		switch {
		case name == "go_gc_duration_seconds_count":
			m.gcCount = v
		case name == "go_gc_duration_seconds_sum":
			m.gcPauseSum = v
		default:
			for _, h := range []struct {
				prefix string
				dst    *histogram
				ok     bool
			}{
				{"gongwen_render_duration_seconds", &m.engine, isFormat},
				{"gongwen_pool_wait_seconds", &m.poolWait, true},
				{"gongwen_http_request_duration_seconds", &m.request, isRender},
			} {
				if suffix, found := strings.CutPrefix(name, h.prefix); found && h.ok {
					h.dst.add(suffix, labels, v)
				}
			}
		}
	}
	return m
}

func (m *metrics) since(m0 *metrics, elapsed time.Duration) *breakdown {
	b := &breakdown{GCCycles: int(m.gcCount - m0.gcCount), GCPauseMs: 1000 * (m.gcPauseSum - m0.gcPauseSum)}
	b.GCPerSecond = float64(b.GCCycles) / elapsed.Seconds()
	b.EngineMeanMs, b.EngineP99Ms = m.engine.since(&m0.engine)
	b.PoolWaitMeanMs, b.PoolWaitP99Ms = m.poolWait.since(&m0.poolWait)
	b.RequestMeanMs, b.RequestP99Ms = m.request.since(&m0.request)
	return b
}
