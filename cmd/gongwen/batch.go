package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"gongwen/batch"
	"gongwen/problem"
	"gongwen/report"
)

func init() {
	register("batch", "render many reports (files, directories, .zip, - for NDJSON) with a manifest", `usage: gongwen batch INPUT... [--format pdf,docx,ofd] [--out DIR] [--jobs N] [--allow-problems] [--shard i/n] [--force]
                     [--pdf-standard a-1b|a-2b|a-3b|none] [--ofd-standard a|none] [--docx-fonts embedded|named]
                     [--created DATE] [--zone +08:00]
       gongwen batch --verify [--out DIR]

INPUT is a report file, a directory (searched recursively for *.json), a .zip of reports,
or - for NDJSON (one report per line) on standard input. Running the same command again
skips inputs whose recorded hashes still match. Exit status: 0 all rendered; 1 done, but some
inputs are invalid (rerunning changes nothing: fix them); 2 usage; 3 the batch could not run, or
some inputs hit an error a rerun may cure (I/O, a timeout); 130 interrupted (run again to resume).

Every document without a date of its own gets the run's one date (--created, else
SOURCE_DATE_EPOCH, else the start of the run), recorded in the manifest; a resumed run
keeps it, and --created with it reproduces the run byte for byte.`, defineBatch)
}

func defineBatch(fs *flag.FlagSet) action {
	formats := fs.String("format", "pdf,docx", "output formats, comma-separated: pdf, docx, ofd")
	out := fs.String("out", "out", "output directory: {out}/{the template's outputDir}/{its fileName}.{ext} and the manifest")
	jobs := fs.Int("jobs", 0, "reports rendered in parallel (default GOMAXPROCS)")
	allow := fs.Bool("allow-problems", false, "render reports with errors too (recorded in the manifest and the documents)")
	shardFlag := fs.String("shard", "", "render only shard i/n of the inputs (0 <= i < n, chosen by input hash; see batch/README.md)")
	force := fs.Bool("force", false, "render every input again, even those the manifest records as done")
	var lang string
	langVar(fs, &lang)
	keepPunct := fs.Bool("keep-punctuation", false, "keep ASCII punctuation in Chinese text as typed")
	timeout := fs.Duration("timeout", 2*time.Minute, "time limit for one report")
	quiet := fs.Bool("quiet", false, "no progress output")
	logEvery := fs.Duration("log-interval", 10*time.Second, "interval of progress lines when stderr is not a terminal")
	verify := fs.Bool("verify", false, "render nothing: re-check every output the manifests in --out record (size and SHA-256)")
	df := addDocumentFlags(fs)
	pf := addPipelineFlags(fs)
	pf.longRunning = true
	return func(inputs []string, stdout, stderr io.Writer) int {
		// Every phase answers SIGINT/SIGTERM, from the first instruction:
		// loading fonts, listing the inputs (NDJSON from a pipe that never
		// ends, a directory on a hung mount: run beside the signal), and
		// Run checks it while scanning and rendering.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if *verify {
			if len(inputs) != 0 {
				fmt.Fprintln(stderr, "gongwen: --verify takes no inputs; it checks the outputs in --out")
				return 2
			}
			return runVerify(*out, stdout, stderr)
		}
		if len(inputs) == 0 {
			fs.Usage()
			return 2
		}
		cfg := batch.Config{OutDir: *out, Jobs: *jobs, Force: *force, Version: version, Timeout: *timeout, LogInterval: *logEvery}
		// A soft limit on the heap, unless GOMEMLIMIT says otherwise: the
		// live heap of a long batch (font caches, the manifest) is about
		// 100 MB, and at the default GOGC the collector let it double and
		// then some while the final manifest of 10,000 entries was encoded
		// (peak RSS 274 MB, against 145 MB through the run). Near the limit
		// the collector runs more often instead.
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(200 << 20)
		}
		var err error
		if cfg.Formats, err = batch.ParseFormats(*formats); err != nil {
			fmt.Fprintf(stderr, "gongwen: --format: %v\n", err)
			return 2
		}
		if *shardFlag != "" {
			s, err := batch.ParseShard(*shardFlag)
			if err != nil {
				fmt.Fprintf(stderr, "gongwen: --shard: %v\n", err)
				return 2
			}
			cfg.Shard = s
		}
		cfg.Options = report.DefaultOptions()
		cfg.Options.Lang, cfg.Options.AllowProblems, cfg.Options.NormalizePunctuation = lang, *allow, !*keepPunct
		if err := df.apply(&cfg.Options); err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		if !*quiet {
			cfg.Progress, cfg.Terminal = stderr, batch.IsTerminal(stderr)
		}

		engine, err := pf.pipeline(report.Config{})
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 3
		}
		cfg.Engine = engine
		if cfg.Progress != nil {
			fmt.Fprintln(stderr, "batch: reading the inputs…")
		}
		src, err := whileNotInterrupted(ctx, func() (batch.Source, error) {
			return batch.OpenInputs(inputs, os.Stdin, []string{*out}, batch.Limits{})
		})
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "gongwen: interrupted while reading the inputs; nothing was rendered")
			return 130
		}
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 3
		}
		defer src.Close()

		res, err := batch.Run(ctx, src, cfg)
		saveGlyphs(engine)
		if res != nil && res.Manifest != nil {
			printBatchSummary(stderr, res)
		}
		return batchExitCode(res, err, stderr)
	}
}

// Exit statuses of gongwen batch, distinct so that a scheduler can tell a
// finished run with bad inputs (rerunning changes nothing) from one that
// should be retried (see the Kubernetes example in batch/README.md).
const (
	exitBatchDone     = 0   // every input rendered
	exitInputsInvalid = 1   // done; some inputs are invalid (status failed), rerunning cannot help
	exitBatchFailed   = 3   // the batch could not run, or some inputs hit an error a rerun may cure
	exitInterrupted   = 130 // a signal stopped it; run again to resume
)

func batchExitCode(res *batch.Result, err error, stderr io.Writer) int {
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "gongwen: interrupted; run the same command again to resume")
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return exitBatchFailed
	}
	retry := 0
	for _, e := range res.Manifest.Inputs {
		if e.Status == batch.StatusError {
			retry++
		}
	}
	switch {
	case retry > 0:
		fmt.Fprintf(stderr, "gongwen: %d inputs hit an error that is not theirs (I/O, a timeout); run again to retry them\n", retry)
		return exitBatchFailed
	case res.Manifest.Summary.Failed > 0:
		return exitInputsInvalid
	}
	return exitBatchDone
}

// whileNotInterrupted runs open, returning early with context.Canceled
// when ctx is done first (open may be blocked in a read no signal
// interrupts; the process is about to exit, so it is left behind).
func whileNotInterrupted(ctx context.Context, open func() (batch.Source, error)) (batch.Source, error) {
	type opened struct {
		src batch.Source
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		src, err := open()
		ch <- opened{src, err}
	}()
	select {
	case o := <-ch:
		return o.src, o.err
	case <-ctx.Done():
		go func() { // close what open may still return
			if o := <-ch; o.src != nil {
				o.src.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

func printBatchSummary(w io.Writer, res *batch.Result) {
	s := res.Manifest.Summary
	rate := 0.0
	if secs := res.Elapsed.Seconds(); secs > 0 {
		rate = float64(res.Rendered) / secs
	}
	fmt.Fprintf(w, "batch: %d inputs: %d rendered", s.Inputs, s.Rendered)
	if s.RenderedWithErrors > 0 {
		fmt.Fprintf(w, " (%d with errors, --allow-problems)", s.RenderedWithErrors)
	}
	fmt.Fprintf(w, ", %d failed; %d outputs; this run rendered %d and kept %d in %s (%.1f/s), peak RSS %d MB, CPU %s\n",
		s.Failed, s.Outputs, res.Rendered, res.Skipped, res.Elapsed.Round(time.Millisecond), rate, batch.PeakRSS()>>20,
		batch.CPUTime().Round(time.Millisecond))
	if res.Removed > 0 {
		fmt.Fprintf(w, "batch: removed %d outputs of the last run that no input produces any more\n", res.Removed)
	}
	if res.Swept > 0 {
		fmt.Fprintf(w, "batch: removed %d temporary files left by an interrupted run\n", res.Swept)
	}
	fmt.Fprintf(w, "batch: manifest %s\n", res.ManifestPath)
	failures := res.Failures()
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(w, "\nfailed (%d):\n", len(failures))
	for _, e := range failures {
		fmt.Fprintf(w, "  %s: %s", e.Path, e.Status)
		if e.Error != "" {
			fmt.Fprintf(w, ": %s", e.Error)
		}
		fmt.Fprintln(w)
		shown := 0
		for _, p := range e.Problems {
			if p.Severity != problem.Error {
				continue
			}
			if shown++; shown > 5 {
				fmt.Fprintf(w, "      … (see the manifest)\n")
				break
			}
			fmt.Fprintf(w, "      %s %s: %s\n", p.Rule, orRoot(p.Path), p.Message)
		}
	}
}

func runVerify(out string, stdout, stderr io.Writer) int {
	checked, bad, err := batch.Verify(out)
	for _, m := range bad {
		fmt.Fprintf(stderr, "%s: %s (%s)\n", m.Path, m.Problem, m.Manifest)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 3
	}
	fmt.Fprintf(stdout, "batch: %d outputs checked, %d do not match the manifest\n", checked, len(bad))
	if len(bad) > 0 {
		return 1
	}
	return 0
}
