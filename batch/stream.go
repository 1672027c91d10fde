package batch

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"gongwen/report"
)

// StreamOptions configure StreamZip.
type StreamOptions struct {
	Options report.Options
	Jobs    int           // parallel renders; default GOMAXPROCS
	Timeout time.Duration // per input; default 2 minutes
	Version string        // recorded in the manifest as "gongwen <Version>"
	// Modified is the time stamp of every zip entry; zero means
	// SOURCE_DATE_EPOCH, else 1980-01-01 (the zip epoch), so that the same
	// inputs give the same bytes.
	Modified time.Time
	// Now is the clock of the batch's one document date when
	// Options.Created and SOURCE_DATE_EPOCH give none (nil: time.Now).
	Now func() time.Time
	// LogError receives the full error of inputs that failed for a reason
	// other than their content (the manifest only says "internal error",
	// as internal details are not for clients).
	LogError func(path string, err error)
}

// StreamZip renders every input of src in every format and writes a zip to
// w as it goes: the outputs under the template's {outputDir}/{fileName}.{ext}
// in input order, then manifest.json. At most about 2×Jobs rendered inputs
// are held in memory whatever the number of inputs, and the zip is
// deterministic: the same inputs give the same bytes.
//
// One bad input never stops the stream; it is recorded in the manifest. If
// src breaks (a malformed multipart body, more reports than the limit), the
// zip is still completed with what was done and a manifest whose "error"
// says what happened and whose "complete" is false; StreamZip then returns
// that manifest and no error. An error is returned only when the zip itself
// cannot be completed: w failed (the client went away) or ctx ended.
func StreamZip(ctx context.Context, engine report.Engine, src Source, formats []report.Format, opts StreamOptions, w io.Writer) (*Manifest, error) {
	if len(formats) == 0 {
		formats = []report.Format{report.PDF, report.DOCX}
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.GOMAXPROCS(0)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.Options.Lang == "" {
		opts.Options.Lang = "zh"
	}
	modified := zipTime(opts.Modified)
	// One document date for the whole batch, recorded in the manifest.
	var err error
	if opts.Options, err = runDate(opts.Options, nil, opts.Now); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type task struct {
		seq  int
		path string
		raw  []byte
		err  error
	}
	type done struct {
		seq  int
		path string
		sha  string
		size int64
		base string
		r    rendering
		err  error
	}
	// window bounds the inputs between reading and writing: rendered
	// outputs wait for their turn in the zip, and without a bound one slow
	// report would let all the others pile up in memory.
	window := make(chan struct{}, 2*opts.Jobs)
	tasks := make(chan task)
	results := make(chan done)
	var srcErr error
	go func() {
		defer close(tasks)
		for seq := 0; ; seq++ {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			it, err := src.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				srcErr = err
				return
			}
			raw, err := it.Read()
			select {
			case tasks <- task{seq, it.Path, raw, err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range tasks {
				d := done{seq: t.seq, path: t.path, err: t.err}
				if t.err == nil {
					sum := sha256.Sum256(t.raw)
					d.sha, d.size = hex.EncodeToString(sum[:]), int64(len(t.raw))
					d.r = renderInput(ctx, engine, t.raw, formats, opts.Options, opts.Timeout)
					if d.r.template == "" {
						d.r.template = peek(t.raw)
					}
					if n, ok := engine.(Namer); ok {
						if p, ok := n.OutputPath(t.raw); ok {
							d.base = safeBase(p)
						}
					}
				}
				select {
				case results <- d:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	zw := zip.NewWriter(w)
	names := newNamer()
	var entries []Entry
	var writeErr error
	pending := map[int]done{}
	next := 0
	emit := func(d done) error {
		e := Entry{Path: d.path, SHA256: d.sha, Size: d.size, Template: d.r.template, Problems: d.r.problems}
		switch {
		case d.err != nil:
			e.Status, e.Error = classify(d.err), d.err.Error()
			e.Problems = inputProblems(d.err, opts.Options.Lang)
		case d.r.err != nil:
			e.Status, e.Error = d.r.status, d.r.err.Error()
		default:
			e.Status = d.r.status
		}
		if e.Status == StatusError {
			if opts.LogError != nil {
				opts.LogError(d.path, errors.Join(d.err, d.r.err))
			}
			e.Error = "internal error"
			if errors.Is(d.r.err, context.DeadlineExceeded) {
				e.Error = "timed out"
			}
		}
		if e.Status == StatusRendered || e.Status == StatusRenderedWithErrors {
			base := d.base
			if base == "" {
				base = "_/" + d.sha[:16]
			}
			base = names.claim(base, d.sha)
			for i, f := range formats {
				data := d.r.outputs[i]
				rel := base + "." + string(f)
				// Stored, not deflated: PDF streams and DOCX parts are
				// compressed already.
				zf, err := zw.CreateHeader(&zip.FileHeader{Name: rel, Method: zip.Store, Modified: modified})
				if err != nil {
					return err
				}
				if _, err := zf.Write(data); err != nil {
					return err
				}
				e.Outputs = append(e.Outputs, newOutput(f, rel, data, opts.Options))
			}
		}
		entries = append(entries, e)
		return nil
	}
	for d := range results {
		if writeErr != nil {
			continue // draining after a failed write
		}
		pending[d.seq] = d
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := emit(d); err != nil {
				writeErr = err
				cancel()
				break
			}
			<-window
		}
	}
	if writeErr != nil {
		return nil, fmt.Errorf("batch: writing the zip: %w", writeErr)
	}
	if err := ctx.Err(); err != nil && srcErr == nil {
		return nil, err
	}
	settings := newSettings(formats, opts.Options)
	m := newManifest("gongwen "+opts.Version, settings, entries, srcErr == nil)
	if srcErr != nil {
		m.Error = "reading the inputs stopped: " + srcErr.Error()
	}
	data, err := m.Encode()
	if err != nil {
		return nil, err
	}
	zf, err := zw.CreateHeader(&zip.FileHeader{Name: "manifest.json", Method: zip.Deflate, Modified: modified})
	if err == nil {
		_, err = zf.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return m, fmt.Errorf("batch: writing the zip: %w", err)
	}
	return m, nil
}

// zipTime is the entries' time stamp: t, else SOURCE_DATE_EPOCH, else the
// zip epoch.
func zipTime(t time.Time) time.Time {
	if !t.IsZero() {
		return t.UTC()
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 315532800 {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
}
