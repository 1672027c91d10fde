package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gongwen/report"
)

// Config configures a directory batch (Run).
type Config struct {
	Engine  report.Engine
	Formats []report.Format // default PDF and DOCX
	Options report.Options  // AllowProblems renders reports with errors, recorded in the manifest
	OutDir  string
	Jobs    int // parallel renders; default GOMAXPROCS
	// Writers write and fsync outputs in parallel (default 8): fsync
	// latency, not CPU, bounds them.
	Writers int
	Shard   Shard
	Force   bool // render again even when the manifest says an input is done
	// Version is recorded in the manifest as "gongwen <Version>"; outputs
	// of another version are not reused.
	Version string
	// Timeout bounds one input's rendering (default 2 minutes).
	Timeout time.Duration
	// Progress receives the progress bar or log lines (nil: none).
	Progress io.Writer
	// Terminal selects the redrawn bar; otherwise plain lines every
	// LogInterval (default 10 s).
	Terminal    bool
	LogInterval time.Duration
	// Checkpoint is how often the manifest is rewritten while the batch
	// runs (default 1 s), bounding the work a crash can lose.
	Checkpoint time.Duration
	// Now is the clock of the run's document date when neither
	// Options.Created, a resumed run nor SOURCE_DATE_EPOCH gives one (nil:
	// time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if len(c.Formats) == 0 {
		c.Formats = []report.Format{report.PDF, report.DOCX}
	}
	if c.Jobs <= 0 {
		c.Jobs = runtime.GOMAXPROCS(0)
	}
	if c.Writers <= 0 {
		c.Writers = 8
	}
	if c.Shard.Count == 0 {
		c.Shard = All
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Minute
	}
	if c.Checkpoint <= 0 {
		c.Checkpoint = time.Second
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Options.Lang == "" {
		c.Options.Lang = "zh"
	}
	return c
}

// Result is what Run did.
type Result struct {
	Manifest     *Manifest
	ManifestPath string
	Rendered     int // inputs rendered in this run
	Skipped      int // inputs whose recorded outputs were verified and kept
	Swept        int // temporary files of a killed run removed at start
	Removed      int // outputs of an earlier run that no input produces any more
	Elapsed      time.Duration
}

// Failures lists the failed entries in input order.
func (r *Result) Failures() []Entry {
	var fs []Entry
	for _, e := range r.Manifest.Inputs {
		if e.Failed() {
			fs = append(fs, e)
		}
	}
	return fs
}

// scanned is an input after the first pass: hashed and named, content not
// kept (an archive of 100,000 reports must not sit in memory).
type scanned struct {
	item     Item
	sha      string
	size     int64
	err      error
	template string
	base     string // output path without extension; "" when the engine could not name it
	inShard  bool
}

// Run renders every input of src (of cfg.Shard) into cfg.OutDir and writes
// the manifest. One bad input never stops the batch: it is recorded as
// failed. Run returns an error only when the batch as a whole cannot go on
// (the output directory is not writable, the context is cancelled); the
// manifest then still records what was done.
func Run(ctx context.Context, src Source, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if cfg.Engine == nil {
		return nil, errors.New("batch: no engine")
	}
	start := time.Now()
	tag := cfg.Shard.tag()
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("batch: output directory: %w", err)
	}
	unlock, err := lockShard(filepath.Join(cfg.OutDir, ".gongwen-batch-"+tag+".lock"))
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	defer unlock()
	res := &Result{ManifestPath: filepath.Join(cfg.OutDir, cfg.Shard.ManifestName())}
	if res.Swept, err = sweepTemps(cfg.OutDir, tag); err != nil {
		return nil, fmt.Errorf("batch: removing temporary files of an earlier run: %w", err)
	}

	engineName := "gongwen " + cfg.Version
	// recorded is what the last run's manifest says about each input: its
	// outputs are reused when nothing that shapes them changed (same
	// engine, same settings and date, no --force), and removed when this
	// run no longer produces them.
	recorded := map[string]Entry{}
	prev, _ := ReadManifest(res.ManifestPath)
	var resumable *Settings
	if prev != nil && !cfg.Force && prev.Engine == engineName && newSettings(cfg.Formats, cfg.Options).sameOptions(prev.Settings) {
		resumable = &prev.Settings
	}
	// One document date for the whole run (the same in every shard given
	// the same --created), recorded in the manifest.
	if cfg.Options, err = runDate(cfg.Options, resumable, cfg.Now); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	settings := newSettings(cfg.Formats, cfg.Options)
	if !cfg.Shard.IsAll() {
		settings.Shard = cfg.Shard.String()
	}
	reusable := false
	if prev != nil {
		for _, e := range prev.Inputs {
			recorded[e.Path] = e
		}
		reusable = resumable != nil && settings.sameOutputs(prev.Settings)
	}

	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress, "batch: reading and hashing the inputs…")
	}
	namer, _ := cfg.Engine.(Namer)
	spool, err := newInputSpool()
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	defer spool.Close()
	inputs, err := scan(ctx, src, cfg.Shard, cfg.Jobs, namer, spool)
	if err != nil {
		return nil, err
	}
	// Room for the last manifest, set aside now: when the disk fills up
	// while outputs are written, the reserve is given back so that the
	// manifest still records every file completed before (issue 14 #29).
	reserve := reserveSpace(filepath.Join(cfg.OutDir, tempPrefix+tag+"-reserve"), manifestReserve(len(inputs)))
	defer reserve.release()
	var work []*scanned
	for _, s := range inputs {
		if s.inShard {
			work = append(work, s)
		}
	}

	if cfg.Progress != nil {
		shard := ""
		if !cfg.Shard.IsAll() {
			shard = fmt.Sprintf(", %d in shard %s", len(work), cfg.Shard)
		}
		kept := "no earlier manifest to resume from"
		switch {
		case len(recorded) > 0 && reusable:
			kept = fmt.Sprintf("resuming from %d manifest entries", len(recorded))
		case len(recorded) > 0:
			kept = "rendering everything again (--force, or another engine version or settings)"
		}
		fmt.Fprintf(cfg.Progress, "batch: %d inputs%s; %s; output %s\n", len(inputs), shard, kept, cfg.OutDir)
	}
	// The input (of any shard) that may write each output path of this run.
	claimed := map[string]string{}
	for _, s := range inputs {
		base := s.base
		if base == "" && s.sha != "" {
			base = "_/" + s.sha[:16]
		}
		for _, f := range cfg.Formats {
			claimed[base+"."+string(f)] = s.item.Path
		}
	}
	w := &dirWriter{cfg: cfg, tag: tag, dirs: map[string]bool{}}
	entries := make([]Entry, len(work))
	encoded := make([][]byte, len(work)) // each entry's JSON, encoded once (encodeJoined)
	done := make([]bool, len(work))
	// Rendering is CPU-bound and runs on cfg.Jobs workers; writing is
	// bound by fsync latency and runs on its own, wider pool, so that a
	// slow disk does not idle the CPUs (concurrent fsyncs share journal
	// commits: 8 writers sync ~3x more files a second than 1 here).
	jobs := make(chan int)
	writes := make(chan pending, cfg.Jobs)
	results := make(chan result)
	var renderers, writers sync.WaitGroup
	for range cfg.Jobs {
		renderers.Add(1)
		go func() {
			defer renderers.Done()
			for i := range jobs {
				s := work[i]
				if prev, ok := recorded[s.item.Path]; ok && reusable && w.reusable(s, prev) {
					results <- finished(i, reuse(prev, cfg.Formats), true)
					continue
				}
				p := w.render(ctx, s)
				p.index = i
				writes <- p
			}
		}()
	}
	for range max(cfg.Writers, 1) {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for p := range writes {
				results <- finished(p.index, w.write(p), false)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range work {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		renderers.Wait()
		close(writes)
		writers.Wait()
		close(results)
	}()

	prog := newProgress(cfg.Progress, cfg.Terminal, cfg.LogInterval, len(work))
	prog.run()
	snapshot := func() manifestSnapshot {
		var s manifestSnapshot
		for i, ok := range done {
			if ok {
				s.entries = append(s.entries, entries[i])
				s.encoded = append(s.encoded, encoded[i])
			}
		}
		return s
	}
	writeManifest := func(s manifestSnapshot, complete bool) (*Manifest, error) {
		// Sync the directories first: the manifest must never name a file
		// whose rename a power cut could still undo.
		if err := w.syncDirs(); err != nil {
			return nil, err
		}
		m := newManifest(engineName, settings, s.entries, complete)
		var data []byte
		var err error
		if slices.ContainsFunc(s.encoded, func(b []byte) bool { return b == nil }) { // an entry that did not encode: say why
			data, err = m.Encode()
		} else {
			data, err = m.encodeJoined(s.encoded)
		}
		if err != nil {
			return nil, err
		}
		if err := writeAtomic(res.ManifestPath, data, tag); err != nil {
			return nil, err
		}
		return m, syncDir(cfg.OutDir)
	}
	// Checkpoints are written in the background so that the disk's latency
	// never holds up the workers; while one is being written, the next is
	// skipped. A checkpoint of a huge batch takes a while to encode and
	// sync, so the gap to the next grows to ten times that: checkpoints
	// never take more than a tenth of the time, whatever the batch's size.
	snapshots := make(chan manifestSnapshot, 1)
	checkpointed := make(chan error, 1)
	var gap atomic.Int64
	gap.Store(int64(cfg.Checkpoint))
	go func() {
		var first error
		for es := range snapshots {
			t0 := time.Now()
			if _, err := writeManifest(es, false); err != nil && first == nil {
				first = err
			}
			gap.Store(max(int64(cfg.Checkpoint), 10*int64(time.Since(t0))))
		}
		checkpointed <- first
	}()
	last := time.Now()
	for r := range results {
		if r.entry.Status == StatusError && ctx.Err() != nil {
			continue // cut short by the cancellation: not done, the next run does it
		}
		entries[r.index], encoded[r.index], done[r.index] = r.entry, r.encoded, true
		if r.skipped {
			res.Skipped++
		} else {
			res.Rendered++
			if prev, ok := recorded[work[r.index].item.Path]; ok {
				res.Removed += removeStale(cfg, prev, r.entry, claimed)
			}
		}
		prog.add(r.skipped, r.entry.Failed())
		if time.Since(last) >= time.Duration(gap.Load()) {
			select {
			case snapshots <- snapshot():
				last = time.Now()
			default:
			}
		}
	}
	close(snapshots)
	ckErr := <-checkpointed
	prog.finish()
	res.Elapsed = time.Since(start)
	// The last manifest records everything done, also when cancelled
	// (entries cut short are left out and redone by the next run).
	m, err := writeManifest(snapshot(), ctx.Err() == nil)
	if errors.Is(err, syscall.ENOSPC) && reserve.release() {
		m, err = writeManifest(snapshot(), ctx.Err() == nil)
	}
	res.Manifest = m
	if err != nil {
		return res, fmt.Errorf("batch: writing the manifest: %w", errors.Join(err, ckErr))
	}
	if ckErr != nil {
		return res, fmt.Errorf("batch: writing a manifest checkpoint: %w", ckErr)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// inputSpool keeps the bytes of every input of the shard as the scan read
// them, in one temporary file (not memory: a batch may hold 100,000
// reports), so that each input is read from its source once.
type inputSpool struct {
	mu  sync.Mutex
	f   *os.File
	off int64
}

func newInputSpool() (*inputSpool, error) {
	f, err := os.CreateTemp("", "gongwen-batch-inputs-*")
	if err != nil {
		return nil, fmt.Errorf("spooling the inputs: %w", err)
	}
	return &inputSpool{f: f}, nil
}

// hold appends raw and returns an item that reads it back.
func (sp *inputSpool) hold(path string, raw []byte) (Item, error) {
	sp.mu.Lock()
	off := sp.off
	_, err := sp.f.WriteAt(raw, off)
	sp.off += int64(len(raw))
	sp.mu.Unlock()
	if err != nil {
		return Item{Path: path}, fmt.Errorf("spooling the input: %w", err)
	}
	n := len(raw)
	return Item{Path: path, read: func() ([]byte, error) {
		buf := make([]byte, n)
		_, err := sp.f.ReadAt(buf, off)
		return buf, err
	}}, nil
}

func (sp *inputSpool) Close() error {
	err := sp.f.Close()
	os.Remove(sp.f.Name())
	return err
}

// errInputChanged marks an input whose bytes differ between the scan and
// the render.
var errInputChanged = errors.New("input changed during the batch")

// spaceReserve is a file holding disk space for the final manifest.
type spaceReserve struct{ path string }

// manifestReserve is room for a manifest of n inputs: about 1 KiB each
// (problems included, typically), at least 64 KiB, at most 32 MiB.
func manifestReserve(n int) int64 { return min(max(int64(n)<<10, 64<<10), 32<<20) }

// reserveSpace writes size bytes to path (zeros: no sparse file, the blocks
// are really taken). Failing to reserve is not an error: the disk is full
// already, and the batch says so when it writes.
func reserveSpace(path string, size int64) *spaceReserve {
	f, err := os.Create(path)
	if err != nil {
		return &spaceReserve{}
	}
	_, werr := f.Write(make([]byte, size))
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(path)
		return &spaceReserve{}
	}
	return &spaceReserve{path: path}
}

// release frees the space; it reports whether there was any to free.
func (r *spaceReserve) release() bool {
	if r.path == "" {
		return false
	}
	err := os.Remove(r.path)
	r.path = ""
	return err == nil
}

// scan hashes every input and names its outputs. All inputs are named,
// including those of other shards, so that collisions resolve the same way
// on every machine of a sharded run. Reading and hashing run on jobs
// goroutines (an archive of 100,000 reports is read in full before the
// first render); naming then runs in input order.
func scan(ctx context.Context, src Source, shard Shard, jobs int, namer Namer, spool *inputSpool) ([]*scanned, error) {
	var all []*scanned
	for {
		if err := ctx.Err(); err != nil {
			return nil, err // a signal while listing: nothing done yet
		}
		it, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("batch: reading inputs: %w", err)
		}
		all = append(all, &scanned{item: it})
	}
	bases := make([]string, len(all))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := all[i]
				raw, err := s.item.Read()
				if err != nil {
					s.err = err
					// Unreadable inputs have no content hash; the path
					// decides which shard records the failure, so exactly
					// one does.
					s.inShard = shard.Contains(sha256.Sum256([]byte(s.item.Path)))
					continue
				}
				sum := sha256.Sum256(raw)
				s.sha, s.size, s.inShard = hex.EncodeToString(sum[:]), int64(len(raw)), shard.Contains(sum)
				if s.inShard {
					// Read once: the render takes these very bytes from
					// the spool, so hash, name and document agree even
					// if the file is edited while the batch runs.
					if s.item, err = spool.hold(s.item.Path, raw); err != nil {
						s.err = err
					}
				}
				s.template = peek(raw)
				if namer != nil {
					if p, ok := namer.OutputPath(raw); ok {
						bases[i] = safeBase(p)
					}
				}
			}
		}()
	}
	for i := range all {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names := newNamer()
	for i, s := range all {
		if bases[i] != "" {
			s.base = names.claim(bases[i], s.sha)
		}
	}
	return all, nil
}

// peek reads the template a report names without the engine, for the
// manifest of an input that fails. It is lenient on purpose: whether the
// report is valid is the engine's call.
func peek(raw []byte) (template string) {
	var head struct {
		Template any `json:"template"`
	}
	if json.Unmarshal(raw, &head) != nil {
		return ""
	}
	template, _ = head.Template.(string)
	return template
}

// removeStale deletes the outputs an earlier run recorded for an input
// that this run rendered again without them: the input now fails (strict
// rerun of an --allow-problems batch) or is named differently (a new
// report took its name). An archive must not keep documents its manifest
// does not vouch for. Only files of the formats this run produces, that no
// other input of this run may write, and whose content is still exactly
// what the earlier manifest recorded are removed; anything else is left
// alone.
func removeStale(cfg Config, prev, now Entry, claimed map[string]string) int {
	n := 0
	for _, o := range prev.Outputs {
		if now.outputPath(o.Format) == o.Path {
			continue
		}
		if owner, ok := claimed[o.Path]; !slices.Contains(cfg.Formats, o.Format) || (ok && owner != now.Path) {
			continue
		}
		path := filepath.Join(cfg.OutDir, filepath.FromSlash(o.Path))
		if fileMatches(path, o) && os.Remove(path) == nil {
			n++
		}
	}
	return n
}

// reuse is a previous entry restricted to the formats now requested.
func reuse(prev Entry, formats []report.Format) Entry {
	e := prev
	e.Outputs = nil
	for _, f := range formats {
		if o, ok := prev.output(f); ok {
			e.Outputs = append(e.Outputs, o)
		}
	}
	return e
}

type result struct {
	index   int
	entry   Entry
	encoded []byte // entry as the manifest writes it (encodeEntry); nil if that failed
	skipped bool
}

// finished is the result of input i, encoded for the manifest here, on the
// worker, rather than by every checkpoint.
func finished(i int, e Entry, skipped bool) result {
	b, err := encodeEntry(e)
	if err != nil {
		b = nil
	}
	return result{index: i, entry: e, encoded: b, skipped: skipped}
}

// manifestSnapshot is the entries done so far, in input order, with their
// encodings.
type manifestSnapshot struct {
	entries []Entry
	encoded [][]byte
}

// pending is a rendered input waiting to be written.
type pending struct {
	index   int
	entry   Entry
	base    string
	outputs [][]byte
}

// dirWriter writes outputs into the output directory.
type dirWriter struct {
	cfg Config
	tag string

	mu   sync.Mutex
	dirs map[string]bool // directories with renames not yet synced
	made sync.Map        // directories known to exist
}

// reusable reports whether prev still describes s: same input bytes, and
// every requested output present on disk with its recorded size and
// SHA-256 (re-hashed, so a truncated or altered file is redone).
func (w *dirWriter) reusable(s *scanned, prev Entry) bool {
	if s.err != nil || prev.SHA256 != s.sha {
		return false
	}
	switch prev.Status {
	case StatusFailed:
		return true // the same bytes fail the same way
	case StatusRendered, StatusRenderedWithErrors:
	default:
		return false
	}
	for _, f := range w.cfg.Formats {
		o, ok := prev.output(f)
		if !ok || o.Path != s.base+"."+string(f) || !fileMatches(filepath.Join(w.cfg.OutDir, filepath.FromSlash(o.Path)), o) {
			return false
		}
	}
	return true
}

func fileMatches(path string, o Output) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || info.Size() != o.Size {
		return false
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return hex.EncodeToString(h.Sum(nil)) == o.SHA256
}

// render renders one input; the entry is final unless outputs are left to
// write.
func (w *dirWriter) render(ctx context.Context, s *scanned) pending {
	e := Entry{Path: s.item.Path, SHA256: s.sha, Size: s.size, Template: s.template}
	fail := func(err error) pending {
		e.Status, e.Error = classify(err), err.Error()
		if ps := inputProblems(err, w.cfg.Options.Lang); ps != nil && e.Problems == nil {
			e.Problems = ps
		}
		return pending{entry: e}
	}
	if s.err != nil {
		return fail(s.err)
	}
	raw, err := s.item.Read()
	if err != nil {
		return fail(err)
	}
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != s.sha {
		// The item reads the spool the scan wrote, so this cannot happen
		// unless the spool itself was altered; if it does, rendering these
		// bytes under the name of the others would archive one report as
		// another. The next run reads it afresh (an error: retried).
		return fail(fmt.Errorf("%w: its content changed while the batch ran; run the batch again", errInputChanged))
	}
	r := renderInput(ctx, w.cfg.Engine, raw, w.cfg.Formats, w.cfg.Options, w.cfg.Timeout)
	if r.template != "" {
		e.Template = r.template
	}
	e.Problems = r.problems
	if r.err != nil {
		return fail(r.err)
	}
	e.Status = r.status
	base := s.base
	if base == "" {
		// The engine accepted what peek could not name (it only happens
		// with --allow-problems): name it by content so it stays stable.
		base = "_/" + s.sha[:16]
	}
	return pending{entry: e, base: base, outputs: r.outputs}
}

// write writes the outputs of a rendered input and completes its entry.
func (w *dirWriter) write(p pending) Entry {
	e := p.entry
	for i, data := range p.outputs {
		f := w.cfg.Formats[i]
		rel := p.base + "." + string(f)
		if err := w.writeFile(filepath.Join(w.cfg.OutDir, filepath.FromSlash(rel)), data); err != nil {
			e.Status, e.Error, e.Outputs = StatusError, fmt.Sprintf("writing %s: %v", rel, err), nil
			return e
		}
		e.Outputs = append(e.Outputs, newOutput(f, rel, data, w.cfg.Options))
	}
	return e
}

func (w *dirWriter) writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if _, ok := w.made.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		w.made.Store(dir, true)
	}
	if err := writeAtomic(path, data, w.tag); err != nil {
		return err
	}
	w.mu.Lock()
	w.dirs[dir] = true
	w.mu.Unlock()
	return nil
}

// syncDirs makes the renames done since the last call durable, before a
// manifest that names the files is written.
func (w *dirWriter) syncDirs() error {
	w.mu.Lock()
	dirs := w.dirs
	w.dirs = map[string]bool{}
	w.mu.Unlock()
	for d := range dirs {
		if err := syncDir(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
