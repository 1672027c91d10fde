package main

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRun drives a stand-in server that fails every tenth render: the
// figures must count those as errors, and check must fail the run.
func TestRun(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v1/templates/gov-info-disclosure-annual/2021":
			w.Write([]byte(`{"id":"x","example":{"organ":"o","year":2024}}`))
		case r.URL.Path == "/api/v1/render" && r.URL.Query().Get("format") == "pdf":
			time.Sleep(2 * time.Millisecond)
			if n.Add(1)%10 == 0 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("%PDF-1.7 same bytes"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := config{url: srv.URL, format: "pdf", template: "gov-info-disclosure-annual/2021", conns: 4, duration: 300 * time.Millisecond, maxP99: time.Hour}
	res, err := run(c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 20 || res.Errors == 0 || res.Errors > res.Requests/5 {
		t.Errorf("requests %d, errors %d", res.Requests, res.Errors)
	}
	if res.DistinctBodies != 1 || res.P50ms < 2 || res.P99ms < res.P50ms || res.MaxMs < res.P99ms || res.RPS <= 0 {
		t.Errorf("figures: %+v", res)
	}
	if len(res.ErrorSamples) == 0 || !strings.Contains(res.ErrorSamples[0], "503") {
		t.Errorf("error samples %q", res.ErrorSamples)
	}
	fails := res.check(c)
	if len(fails) != 1 || !strings.Contains(fails[0], "failed") {
		t.Errorf("check: %q", fails)
	}
	c.minRPS = 1e9
	if fails := res.check(c); len(fails) != 2 {
		t.Errorf("check with an unreachable throughput target: %q", fails)
	}
}

// The breakdown reads the render histogram of the format measured, the
// pool's wait, the render route's successful request time and the GC
// summary, as differences.
func TestBreakdown(t *testing.T) {
	page := func(n, sum float64, gc int) string {
		return fmt.Sprintf(`# HELP x
gongwen_render_duration_seconds_bucket{format="pdf",template="t",le="0.005"} %g
gongwen_render_duration_seconds_bucket{format="pdf",template="t",le="0.01"} %g
gongwen_render_duration_seconds_bucket{format="pdf",template="t",le="+Inf"} %g
gongwen_render_duration_seconds_bucket{format="docx",template="t",le="0.005"} 999
gongwen_render_duration_seconds_sum{format="pdf",template="t"} %g
gongwen_render_duration_seconds_count{format="pdf",template="t"} %g
gongwen_http_request_duration_seconds_bucket{method="POST",route="/api/v1/render",status="200",le="0.04"} %g
gongwen_http_request_duration_seconds_bucket{method="POST",route="/api/v1/render",status="200",le="0.06"} %g
gongwen_http_request_duration_seconds_bucket{method="POST",route="/api/v1/render",status="200",le="+Inf"} %g
gongwen_http_request_duration_seconds_sum{method="POST",route="/api/v1/render",status="200"} %g
gongwen_http_request_duration_seconds_count{method="POST",route="/api/v1/render",status="200"} %g
gongwen_http_request_duration_seconds_sum{method="POST",route="/api/v1/render",status="503"} 99
gongwen_http_request_duration_seconds_count{method="POST",route="/api/v1/render",status="503"} 99
gongwen_pool_wait_seconds_bucket{le="0.01"} %g
gongwen_pool_wait_seconds_bucket{le="0.03"} %g
gongwen_pool_wait_seconds_bucket{le="+Inf"} %g
gongwen_pool_wait_seconds_sum %g
gongwen_pool_wait_seconds_count %g
go_gc_duration_seconds_sum %g
go_gc_duration_seconds_count %d
`, n*0.5, n*0.995, n, sum, n, n*0.9, n*0.99, n, 4*sum, n, n*0.5, n*0.995, n, 2*sum, n, float64(gc)/1000, gc)
	}
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(body.Load().(string)))
	}))
	defer srv.Close()
	body.Store(page(100, 0.4, 10))
	m0 := scrape(srv.Client(), srv.URL, "pdf")
	body.Store(page(300, 1.4, 30))
	b := scrape(srv.Client(), srv.URL, "pdf").since(m0, 2*time.Second)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(b.EngineMeanMs, 5) || b.EngineP99Ms != 10 || !near(b.RequestMeanMs, 20) || b.RequestP99Ms != 60 ||
		!near(b.PoolWaitMeanMs, 10) || b.PoolWaitP99Ms != 30 || b.GCCycles != 20 || b.GCPerSecond != 10 {
		t.Errorf("breakdown %+v", b)
	}
}
