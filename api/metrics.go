package api

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"gongwen/problem"
)

// metrics live in a registry of their own per Server, so that tests (and a
// process embedding two servers) never collide on global registration.
type metrics struct {
	registry        *prometheus.Registry
	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	renderDuration  *prometheus.HistogramVec
	poolWait        prometheus.Histogram
	problems        *prometheus.CounterVec
	rendersInFlight prometheus.Gauge
	batchesRunning  prometheus.Gauge
}

func newMetrics(p *pool) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongwen_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gongwen_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern, method and status.",
			// Fine between 25 and 100 ms, where a render's p99 under load is.
			Buckets: []float64{.001, .0025, .005, .01, .025, .03, .04, .05, .06, .08, .1, .15, .2, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		renderDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gongwen_render_duration_seconds",
			Help:    "Engine time of successful renders (validation, layout and export) by format and template, excluding queueing.",
			Buckets: []float64{.001, .0025, .005, .0075, .01, .015, .02, .025, .035, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"format", "template"}),
		poolWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gongwen_pool_wait_seconds",
			Help:    "Time engine calls (render, validate, preview) waited for the pool slot they got.",
			Buckets: []float64{.0001, .001, .0025, .005, .01, .02, .03, .04, .05, .06, .08, .1, .15, .2, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		problems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongwen_report_problems_total",
			Help: "Problems found in submitted reports by severity and rule.",
		}, []string{"severity", "rule"}),
		rendersInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gongwen_renders_in_flight",
			Help: "Single renders running now (holding a pool slot).",
		}),
		batchesRunning: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gongwen_batches_in_flight",
			Help: "Batches streaming now (POST /api/v1/batch).",
		}),
	}
	m.registry.MustRegister(m.requests, m.requestDuration, m.renderDuration, m.poolWait, m.problems, m.rendersInFlight, m.batchesRunning,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gongwen_pool_busy",
			Help: "Engine calls (render, validate, preview) holding a pool slot.",
		}, func() float64 { return float64(p.busy()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gongwen_pool_waiting",
			Help: "Engine calls waiting for a pool slot.",
		}, func() float64 { return float64(p.waiting()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

func (m *metrics) countProblems(ps []problem.Problem) {
	for _, p := range ps {
		m.problems.WithLabelValues(string(p.Severity), p.Rule).Inc()
	}
}
