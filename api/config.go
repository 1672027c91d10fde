package api

import (
	"log/slog"
	"runtime"
	"time"
)

// Config tunes a Server. The zero value is usable: every zero field takes
// the default documented on it.
type Config struct {
	// MaxBodyBytes limits request bodies (2 MiB). Larger bodies get 413.
	MaxBodyBytes int64
	// PoolSize is how many engine calls (render, validate, preview) run at
	// once (GOMAXPROCS). A slot covers only the engine call, which is pure
	// CPU — reading the body and writing the file happen outside it — so
	// more calls than cores only time-slice: measured with make loadtest
	// (PDF, 16 connections, 2 cores), 2 × GOMAXPROCS gave 407 renders/s at
	// p99 128 ms, GOMAXPROCS 445 renders/s at p99 96 ms; after issue 15's
	// work, 502 renders/s at p99 84 ms, of which the render itself is 3.5
	// ms in its slot and the rest the queue in front of the slots (make
	// loadtest prints the split from /metrics; README.md, Performance).
	// The queue is first come, first served: blocked channel senders are
	// woken in order, and a caller that gets a slot yields once so that
	// requests the scheduler has not yet run join the queue before it
	// renders (pool.acquire says why and what it measured). A spare P
	// (GOMAXPROCS 3, pool 2) did the same for the time outside the handler
	// but cost 10–30% of the throughput: the OS time-sliced the renders.
	PoolSize int
	// QueueDepth is how many more may wait for a pool slot (32 × PoolSize).
	// A request beyond that gets 503 with Retry-After at once.
	QueueDepth int
	// RequestTimeout bounds waiting for a slot plus the engine call (30 s).
	RequestTimeout time.Duration
	// ReadHeaderTimeout bounds reading request headers (5 s);
	// ReadTimeout bounds reading the whole request (30 s).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	// ShutdownTimeout bounds the wait for in-flight requests after the
	// context given to ListenAndServe is done (60 s).
	ShutdownTimeout time.Duration
	// Token, when set, is required as "Authorization: Bearer <token>" on
	// every route but /healthz, /readyz and the static web page
	// (env GONGWEN_API_TOKEN in `gongwen serve`).
	Token string
	// CORSOrigins lists origins allowed to call the API from a browser.
	// Empty (the default) means CORS is off: no CORS headers at all.
	// "*" allows any origin.
	CORSOrigins []string
	// BatchMaxBytes limits a batch upload (64 MiB); BatchMaxInputs the
	// reports in one batch (1,000); BatchConcurrency the batches streaming
	// at once (1; more get 503); BatchTimeout the whole upload and stream
	// (30 min). BatchMinRate is the slowest accepted upload (64 KiB/s): the
	// upload is read before a slot is taken, under ReadTimeout plus one
	// second per BatchMinRate bytes received, so a trickling client is cut
	// off with 408 and never holds a slot.
	BatchMinRate     int64
	BatchMaxBytes    int64
	BatchMaxInputs   int
	BatchConcurrency int
	BatchTimeout     time.Duration
	// IdleFreeAfter is how long the server must be without requests before
	// it returns unused heap memory to the OS (30 s; negative: never).
	// gongwen serve runs with GOGC=300 (tuneGC: a tenth less CPU per
	// render), so after a burst the heap may grow to four times the live
	// data, and the runtime's background scavenger gives the difference
	// back only slowly: measured after 60 s of 16-connection PDF load, RSS
	// stayed at about 2.5 × the idle figure for minutes. A forced collection
	// and scavenge (debug.FreeOSMemory) costs a few milliseconds; doing it
	// once per quiet period, never during load, keeps the low GC cost under
	// load and the small footprint between bursts (measured in
	// TestIdleReturnsMemory and README.md).
	IdleFreeAfter time.Duration
	// ProblemTypeBase prefixes the type URI of every problem document
	// (RFC 9457): the type is ProblemTypeBase + kind, e.g. "/problems/busy".
	// The default "/problems/" is a reference this server resolves itself:
	// GET /problems/ documents every kind (status, title, what to do).
	// Set an absolute URL (https://gongwen.example.gov.cn/problems/) when
	// clients need absolute URIs or the types are documented elsewhere
	// (gongwen serve --problem-base, env GONGWEN_PROBLEM_BASE).
	ProblemTypeBase string
	// Version is recorded in batch manifests ("gongwen <Version>").
	Version string
	// Logger receives structured request and error logs (slog.Default()).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 2 << 20
	}
	if c.PoolSize <= 0 {
		c.PoolSize = runtime.GOMAXPROCS(0)
	}
	if c.QueueDepth <= 0 {
		c.QueueDepth = 32 * c.PoolSize
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 5 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 60 * time.Second
	}
	if c.BatchMaxBytes <= 0 {
		c.BatchMaxBytes = 64 << 20
	}
	if c.BatchMinRate <= 0 {
		c.BatchMinRate = 64 << 10
	}
	if c.BatchMaxInputs <= 0 {
		c.BatchMaxInputs = 1000
	}
	if c.BatchConcurrency <= 0 {
		c.BatchConcurrency = 1
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = 30 * time.Minute
	}
	if c.IdleFreeAfter == 0 {
		c.IdleFreeAfter = 30 * time.Second
	}
	if c.ProblemTypeBase == "" {
		c.ProblemTypeBase = defaultProblemTypeBase
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
