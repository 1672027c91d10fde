package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gongwen/api"
	"gongwen/report"
)

func init() {
	register("serve", "run the HTTP service and web page", `usage: gongwen serve [--addr 127.0.0.1:8080] [--templates DIR] [flags]

GONGWEN_API_TOKEN, when set, is the bearer token every route but /healthz, /readyz and the page requires.`, defineServe)
}

func defineServe(fs *flag.FlagSet) action {
	addr := fs.String("addr", envOr("GONGWEN_ADDR", "127.0.0.1:8080"), "listen address (env GONGWEN_ADDR)")
	maxBody := fs.String("max-body", envOr("GONGWEN_MAX_BODY", "2MiB"), "largest accepted request body, e.g. 2MiB, 512KiB, 1000000 (env GONGWEN_MAX_BODY)")
	poolSize := fs.Int("pool", 0, "renders running at once (default GOMAXPROCS: rendering is pure CPU)")
	queue := fs.Int("queue", 0, "renders waiting for the pool before 503 (default 32 × pool)")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request limit for queueing plus rendering")
	shutdown := fs.Duration("shutdown-timeout", 60*time.Second, "how long SIGTERM waits for in-flight renders")
	batchMax := fs.String("batch-max-body", "64MiB", "largest accepted batch upload (POST /api/v1/batch)")
	batchReports := fs.Int("batch-max-reports", 1000, "most reports in one batch upload")
	problemBase := fs.String("problem-base", envOr("GONGWEN_PROBLEM_BASE", ""), "prefix of problem type URIs, e.g. https://gongwen.example.gov.cn/problems/ (env GONGWEN_PROBLEM_BASE; default /problems/, documented by this server)")
	var origins []string
	if env := os.Getenv("GONGWEN_CORS_ORIGINS"); env != "" {
		origins = strings.Split(env, ",")
	}
	fs.Func("cors-origin", "allow browser calls from this origin (repeatable; * for any; env GONGWEN_CORS_ORIGINS, comma-separated); default: CORS off", func(s string) error {
		origins = append(origins, s)
		return nil
	})
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	healthcheck := fs.Bool("healthcheck", false, "instead of serving, probe /healthz of a server on --addr and exit 0 if it is alive (for Docker HEALTHCHECK)")
	pf := addPipelineFlags(fs)
	pf.longRunning = true
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) != 0 {
			fs.Usage()
			return 2
		}
		if *healthcheck {
			return probe(*addr, stderr)
		}
		tuneGC()
		limit, err := parseBytes(*maxBody)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: --max-body: %v\n", err)
			return 2
		}
		batchLimit, err := parseBytes(*batchMax)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: --batch-max-body: %v\n", err)
			return 2
		}
		var level slog.Level
		if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
			fmt.Fprintf(stderr, "gongwen: --log-level: %v\n", err)
			return 2
		}
		log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

		engine, err := pf.pipeline(report.Config{MaxInputBytes: int(limit)})
		if err != nil {
			log.Error("loading templates and fonts", "err", err.Error())
			return 1
		}
		if err := engine.FontsReady(); err != nil {
			// Validation still works; /readyz reports not ready and PDF renders fail.
			log.Warn("fonts not usable: PDF output is unavailable (run scripts/setup-fonts.sh)", "err", err.Error())
		}
		srv := api.New(engine, api.Config{
			MaxBodyBytes:    limit,
			PoolSize:        *poolSize,
			QueueDepth:      *queue,
			RequestTimeout:  *timeout,
			ShutdownTimeout: *shutdown,
			Token:           os.Getenv("GONGWEN_API_TOKEN"),
			CORSOrigins:     origins,
			BatchMaxBytes:   batchLimit,
			BatchMaxInputs:  *batchReports,
			ProblemTypeBase: *problemBase,
			Version:         version,
			Logger:          log.With("version", version),
		})
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		err = srv.ListenAndServe(ctx, *addr)
		// Glyphs converted while serving (characters `gongwen fonts warm`
		// did not cover) are kept for the next start.
		saveGlyphs(engine)
		if err != nil {
			log.Error("serve", "err", err.Error())
			return 1
		}
		return 0
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// parseBytes reads 2MiB, 512KiB, 1MB or a plain number of bytes.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a positive size", s)
	}
	return n * mult, nil
}

// probe asks a running server whether it is alive. A wildcard listen
// address is probed on loopback.
func probe(addr string, stderr io.Writer) int {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: --addr: %v\n", err)
		return 2
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "gongwen: healthcheck: %s\n", resp.Status)
		return 1
	}
	return 0
}

// tuneGC: a PDF render allocates ~3 MB over a live heap of font caches, and
// with the default GOGC=100 the server spent about a tenth of its CPU
// collecting (make loadtest: 7.2 → 6.4 ms CPU per render, +20% renders/s).
// Unless the operator set GOGC or GOMEMLIMIT, collect less often under a
// soft memory limit that keeps the process well inside a 512 MB container.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(384 << 20)
	}
}
