// Command bench measures what issue 15 sets targets for, in one run, so
// that the README's performance table comes from one command:
//
//   - warm renders of DISTINCT generated reports (gen/reportgen: every
//     paragraph and count differs, so no subset font or compressed font
//     stream of an earlier report can be reused), PDF and DOCX (fonts
//     embedded, and docx-named: --docx-fonts named, no font made), the
//     whole pipeline (parse, validate, model, layout, fonts, write), in
//     process;
//
//   - the example's file sizes and each embedded font's share of the PDF;
//
//   - cold starts: the gongwen binary run as a whole process, start to file
//     written, once per distinct report.
//
//     go run ./cmd/bench -gongwen bin/gongwen
//
// Wall-clock figures on a shared machine are noise; the CPU figures
// (getrusage of this process, or of each child for cold starts) are what
// to compare between versions. The HTTP load test is cmd/loadtest (make
// bench runs both).
package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gongwen/fonts"
	"gongwen/gen/reportgen"
	"gongwen/render/pdf"
	"gongwen/report"
	"gongwen/templates"
)

func main() {
	var (
		gongwen = flag.String("gongwen", "", "gongwen binary for the cold-start runs (none: skip them)")
		warmN   = flag.Int("n", 300, "distinct reports rendered warm per format")
		coldN   = flag.Int("cold", 20, "cold starts (each a distinct report)")
		seed    = flag.Uint64("seed", 15, "reportgen seed of the distinct reports")
		prof    = flag.String("cpuprofile", "", "write a CPU profile of the warm renders to this file")
		formats = flag.String("formats", "pdf,docx,docx-named", "rows rendered warm: pdf, docx (fonts embedded, the default), docx-named (--docx-fonts named), ofd")
		memprof = flag.String("memprofile", "", "write an allocation profile of the warm renders to this file")
	)
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer f.Close()
		cpuProfile = f
	}
	if *memprof != "" {
		// Every allocation sampled: the profile counts what the warm
		// renders allocate (GC's work), not only what stays live.
		runtime.MemProfileRate = 1
	}
	if err := run(os.Stdout, *gongwen, *warmN, *coldN, *seed, strings.Split(*formats, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *memprof != "" {
		f, err := os.Create(*memprof)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
}

func run(w io.Writer, bin string, warmN, coldN int, seed uint64, formats []string) error {
	fmt.Fprintf(w, "machine: %d CPUs, GOMAXPROCS %d, load average %s, %s\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage(), time.Now().UTC().Format(time.RFC3339))
	// The book as `gongwen serve` opens it: with the glyph cache that
	// `gongwen fonts warm` (make bench's setup) fills, so a warm render
	// measures what a server does for a new report, not the conversion of
	// characters this process has not seen yet (GONGWEN_GLYPH_CACHE=off
	// measures without it).
	glyphDir := fonts.DefaultGlyphCacheDir()
	p, err := report.New(report.Config{OpenFonts: func() (*fonts.Book, error) {
		b, err := fonts.Default()
		if err == nil {
			b.UseGlyphCache(glyphDir)
		}
		return b, err
	}})
	if err != nil {
		return err
	}
	if glyphDir == "" {
		glyphDir = "off"
	}
	fmt.Fprintf(w, "glyph cache: %s\n", glyphDir)
	if err := sizes(w, p); err != nil {
		return err
	}
	// Warm-up: templates, font book, glyph caches of the common characters
	// (a long-running server has them), on reports not measured below.
	for i := range 20 {
		for _, f := range []report.Format{report.PDF, report.DOCX} {
			if _, _, err := p.Render(context.Background(), reportgen.Generate(seed+1, i).JSON(), f, report.DefaultOptions()); err != nil {
				return fmt.Errorf("warm-up %s %d: %w", f, i, err)
			}
		}
	}
	if cpuProfile != nil {
		if err := pprof.StartCPUProfile(cpuProfile); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for k, name := range formats {
		f, opts, err := warmRow(name)
		if err != nil {
			return err
		}
		if warmN == 0 {
			break
		}
		// Each format its own reports: the DOCX writer embeds the PDF's
		// subsets, and must not find them made by the PDF pass.
		inputs := make([][]byte, warmN)
		for i := range inputs {
			inputs[i] = reportgen.Generate(seed+uint64(10*k), i).JSON()
		}
		s, err := warm(p, f, opts, inputs)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "warm %-10s %d distinct reports: median %.2f ms, mean %.2f ms, p90 %.2f ms wall; %.2f ms CPU/op (GC included); %.0f KB mean size\n",
			name, len(inputs), s.median, s.mean, s.p90, s.cpu, s.size/1024)
	}
	if bin != "" && coldN > 0 {
		return cold(w, bin, coldN, seed)
	}
	return nil
}

// warmRow is the format and options of a warm row: a format, or
// docx-named, DOCX with --docx-fonts named (no font made or compressed).
func warmRow(name string) (report.Format, report.Options, error) {
	opts := report.DefaultOptions()
	switch f := report.Format(name); f {
	case report.PDF, report.DOCX, report.OFD:
		return f, opts, nil
	case "docx-named":
		opts.DOCXFonts = report.DOCXFontsNamed
		return report.DOCX, opts, nil
	}
	return "", opts, fmt.Errorf("-formats: %q: want pdf, docx, docx-named or ofd", name)
}

// cpuProfile receives the warm renders' CPU profile (-cpuprofile).
var cpuProfile io.Writer

type stats struct{ median, mean, p90, cpu, size float64 }

func summarize(lat []time.Duration) (median, mean, p90 float64) {
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(lat[len(lat)/2]), ms(sum / time.Duration(len(lat))), ms(lat[len(lat)*9/10])
}

// warm renders every input once, in order, timing each render.
func warm(p *report.Pipeline, f report.Format, opts report.Options, inputs [][]byte) (stats, error) {
	lat := make([]time.Duration, len(inputs))
	var size int
	runtime.GC()
	cpu0 := cpuSelf()
	for i, raw := range inputs {
		t0 := time.Now()
		out, _, err := p.Render(context.Background(), raw, f, opts)
		lat[i] = time.Since(t0)
		if err != nil {
			return stats{}, fmt.Errorf("%s report %d: %w", f, i, err)
		}
		size += len(out)
	}
	cpu := cpuSelf() - cpu0
	var s stats
	s.median, s.mean, s.p90 = summarize(lat)
	s.cpu = float64(cpu.Microseconds()) / 1000 / float64(len(inputs))
	s.size = float64(size) / float64(len(inputs))
	return s, nil
}

// sizes prints the example's file sizes and each font's share of the PDF.
func sizes(w io.Writer, p *report.Pipeline) error {
	t, ok := p.Template(templates.DefaultID)
	if !ok {
		return errors.New("no default template")
	}
	opts := report.DefaultOptions()
	var a2b []byte
	var line []string
	for _, std := range []pdf.Standard{pdf.StandardA2b, pdf.StandardNone, pdf.StandardA1b, pdf.StandardA3b} {
		opts.PDFStandard = std
		out, _, err := p.Render(context.Background(), t.Example, report.PDF, opts)
		if err != nil {
			return fmt.Errorf("example as %s: %w", std, err)
		}
		if std == pdf.StandardA2b {
			a2b = out
		}
		line = append(line, fmt.Sprintf("%s %.1f KB", std, float64(len(out))/1024))
	}
	docx, _, err := p.Render(context.Background(), t.Example, report.DOCX, report.DefaultOptions())
	if err != nil {
		return err
	}
	opts = report.DefaultOptions()
	opts.DOCXFonts = report.DOCXFontsNamed
	named, _, err := p.Render(context.Background(), t.Example, report.DOCX, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "example: PDF %s; DOCX %.1f KB (fonts named, not embedded: %.1f KB)\n", strings.Join(line, ", "),
		float64(len(docx))/1024, float64(len(named))/1024)
	total := 0
	for _, f := range fontShares(a2b) {
		fmt.Fprintf(w, "  font %-36s %6.1f KB (%4.1f%%)\n", f.name, float64(f.bytes)/1024, 100*float64(f.bytes)/float64(len(a2b)))
		total += f.bytes
	}
	fmt.Fprintf(w, "  fonts together                            %6.1f KB (%4.1f%%)\n", float64(total)/1024, 100*float64(total)/float64(len(a2b)))
	return nil
}

type fontShare struct {
	name  string
	bytes int
}

var (
	objRE      = regexp.MustCompile(`(?s)(\d+) 0 obj\n(.*?)\nendobj\n`)
	descRE     = regexp.MustCompile(`/FontName /(\S+).*/FontFile[23]? (\d+) 0 R`)
	fontFileRE = regexp.MustCompile(`/FontFile[23]? (\d+) 0 R`)
	objStmRE   = regexp.MustCompile(`(?s)^<< /Type /ObjStm /N (\d+) /First (\d+) /Filter /FlateDecode /Length (\d+) >>\nstream\n`)
)

// fontShares finds each font program's object in a file this writer made
// (font programs written whole, "N 0 obj … endobj"; their descriptors
// too, or inside the object stream of a PDF/A-2 file) and counts its
// bytes, dictionary included.
func fontShares(file []byte) []fontShare {
	objs := map[string]int{}
	var bodies [][]byte // every object's dictionary or body
	for _, m := range objRE.FindAllSubmatch(file, -1) {
		objs[string(m[1])] = len(m[0])
		bodies = append(bodies, m[2])
		bodies = append(bodies, unpackObjects(m[2])...)
	}
	var out []fontShare
	for _, b := range bodies {
		if !fontFileRE.Match(b) {
			continue
		}
		if d := descRE.FindSubmatch(b); d != nil {
			out = append(out, fontShare{name: string(d[1]), bytes: objs[string(d[2])]})
		}
	}
	return out
}

// unpackObjects returns the objects of an object stream's body as the
// writer makes it (nil for any other object).
func unpackObjects(body []byte) [][]byte {
	m := objStmRE.FindSubmatch(body)
	if m == nil {
		return nil
	}
	n, _ := strconv.Atoi(string(m[1]))
	first, _ := strconv.Atoi(string(m[2]))
	length, _ := strconv.Atoi(string(m[3]))
	start := len(m[0])
	if start+length > len(body) {
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(body[start : start+length]))
	if err != nil {
		return nil
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	objs, err := pdf.ObjectStreamObjects(data, n, first)
	if err != nil {
		return nil
	}
	out := make([][]byte, 0, len(objs))
	for _, num := range slices.Sorted(maps.Keys(objs)) { // file order: a stable listing
		out = append(out, objs[num])
	}
	return out
}

// cold runs `gongwen render` n times, each on a distinct report, as whole
// processes, and prints wall time (start to exit, the file written) and
// the child's CPU time.
func cold(w io.Writer, bin string, n int, seed uint64) error {
	dir, err := os.MkdirTemp("", "gongwen-bench-cold")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// One unmeasured run first: what a machine does once (caches on disk
	// such as the font index) is not a cold start of every render.
	first := filepath.Join(dir, "first.json")
	if err := os.WriteFile(first, reportgen.Generate(seed+2, 0).JSON(), 0o644); err != nil {
		return err
	}
	if _, _, err := runOnce(bin, first, filepath.Join(dir, "first.pdf")); err != nil {
		return err
	}
	var walls, cpus []time.Duration
	for i := range n {
		in := filepath.Join(dir, "r"+strconv.Itoa(i)+".json")
		if err := os.WriteFile(in, reportgen.Generate(seed+2, i+1).JSON(), 0o644); err != nil {
			return err
		}
		wall, cpu, err := runOnce(bin, in, filepath.Join(dir, "r"+strconv.Itoa(i)+".pdf"))
		if err != nil {
			return err
		}
		walls, cpus = append(walls, wall), append(cpus, cpu)
	}
	wm, wmean, wp90 := summarize(walls)
	cm, cmean, _ := summarize(cpus)
	fmt.Fprintf(w, "cold render → PDF, %d processes: median %.1f ms, mean %.1f ms, p90 %.1f ms wall; CPU median %.1f ms, mean %.1f ms\n",
		n, wm, wmean, wp90, cm, cmean)
	return nil
}

func runOnce(bin, in, out string) (wall, cpu time.Duration, err error) {
	cmd := exec.Command(bin, "render", in, "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	err = cmd.Run()
	wall = time.Since(t0)
	if err != nil {
		return 0, 0, fmt.Errorf("%s render %s: %w: %s", bin, in, err, stderr.String())
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		return 0, 0, fmt.Errorf("%s render %s wrote no file", bin, in)
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

func cpuSelf() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
