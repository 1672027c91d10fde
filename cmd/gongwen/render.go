package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"gongwen/problem"
	"gongwen/report"
)

func init() {
	register("render", "render a report JSON file to PDF, DOCX or OFD", `usage: gongwen render FILE.json [--format pdf|docx|ofd] [-o FILE] [--pdf-standard a-1b|a-2b|a-3b|none]
       [--ofd-standard a|none] [--docx-fonts embedded|named] [--created DATE] [--zone +08:00] [--allow-problems] [--previous LAST-YEAR.json]

The format is --format when given; then -o's extension, if it has one, must
be that format's (-o x.odt with --format pdf is an error). Without --format
the format follows -o's extension (.pdf, .docx, .ofd); with neither it is pdf.
FILE.json may be - for standard input; -o - writes to standard output.

PDF output is PDF/A-2b unless --pdf-standard says otherwise; a-3b embeds the
report JSON exactly as read (gongwen extract gives it back, gongwen verify
renders it again and compares). OFD output (GB/T 33190, the PDF's pages
character for character) is plain OFD unless --ofd-standard a asks for the
OFD-A archival profile (GB/T 42133), which attaches the report JSON the same
way. DOCX output names the official faces and embeds subsets of the PDF's
faces for them unless --docx-fonts named (a far smaller file, for Word with
the official faces installed). The document date is the report's own (its
signature date), else --created, else SOURCE_DATE_EPOCH, else now, written
with the offset of --zone (GONGWEN_ZONE, default +08:00).`, defineRender)
}

// renderFlags are render's options; a new flag is a field here and a line
// in defineRender.
type renderFlags struct {
	format, out, lang string
	previous          string
	allow, keepPunct  bool
	document          *documentFlags
	pipeline          *pipelineFlags
}

func defineRender(fs *flag.FlagSet) action {
	rf := &renderFlags{}
	fs.StringVar(&rf.format, "format", "", "output format: "+formatNames()+" (default: from -o's extension, else pdf)")
	fs.StringVar(&rf.out, "o", "", "output file; - for standard output (default: the input name with the format's extension)")
	fs.BoolVar(&rf.allow, "allow-problems", false, "render even when the report has errors (recorded in the document metadata)")
	langVar(fs, &rf.lang)
	fs.BoolVar(&rf.keepPunct, "keep-punctuation", false, "keep ASCII punctuation in Chinese text as typed")
	previousVar(fs, &rf.previous)
	rf.document = addDocumentFlags(fs)
	rf.pipeline = addPipelineFlags(fs)
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) != 1 {
			fs.Usage()
			return 2
		}
		return rf.run(args[0], stdout, stderr)
	}
}

func (rf *renderFlags) run(in string, stdout, stderr io.Writer) int {
	// One report, then exit: collecting garbage is wasted work (7 ms of a
	// cold render's ~80 ms CPU, measured), so the collector waits for a
	// memory limit no ordinary report reaches (the example peaks near 80
	// MB) instead of running at every doubling of the heap.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(512 << 20)
	f, err := chooseFormat(rf.format, rf.out)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	opts := report.DefaultOptions()
	opts.Lang, opts.AllowProblems, opts.NormalizePunctuation = rf.lang, rf.allow, !rf.keepPunct
	if err := rf.document.apply(&opts); err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	raw, err := readInput(in)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	if opts.Previous, err = readPrevious(rf.previous); err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	p, err := rf.pipeline.pipeline(report.Config{})
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	b, outcome, err := p.Render(context.Background(), raw, f, opts)
	if outcome != nil {
		printProblems(stderr, in, outcome.Problems, err != nil)
	}
	if err != nil {
		if errors.Is(err, report.ErrInvalid) {
			fmt.Fprintln(stderr, "gongwen: "+invalidHint(outcome, rf.allow, rf.lang))
			return 1
		}
		if errors.Is(err, report.ErrMalformed) || errors.Is(err, report.ErrUnknownTemplate) || errors.Is(err, report.ErrTooLarge) {
			return 1
		}
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	dst := rf.out
	if dst == "" {
		dst = strings.TrimSuffix(filepath.Base(in), filepath.Ext(in)) + "." + string(f)
		if in == "-" {
			dst = outcome.FileName + "." + string(f)
		}
	}
	if dst == "-" {
		_, err = stdout.Write(b)
	} else {
		err = writeFileAtomic(dst, b)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	if dst != "-" {
		fmt.Fprintf(stderr, "%s → %s (%d bytes)\n", in, dst, len(b))
	}
	saveGlyphs(p)
	return 0
}

// invalidHint says what helps after a refused render. --allow-problems only
// helps a report whose content could be laid out (rule errors such as sums
// that disagree); a report missing what the document is made of (wrong
// types, missing sections, text refused on reading) cannot be rendered at
// all, and telling the user to add the flag they may already have given
// would send them in a circle.
func invalidHint(out *report.Outcome, allowed bool, lang string) string {
	if out != nil && out.Document != nil && !allowed {
		return problem.Pick(lang, "报告有错误，未生成文件。请按上列逐项改正；如需按原样生成（例如重现已发布的报告），请加 --allow-problems",
			"the report has errors; no file was written. Fix the problems above, or add --allow-problems to render it as is (e.g. to reproduce a published report)")
	}
	return problem.Pick(lang, "报告缺少生成文件所需的内容，未生成文件（--allow-problems 也无法生成）。请先改正上列错误",
		"the report lacks what the document is made of; no file was written (--allow-problems cannot help). Fix the errors above first")
}

// outputFormats are the values of render's --format and the extensions -o
// may carry, one table so the help, the check and the choice agree.
var outputFormats = []report.Format{report.PDF, report.DOCX, report.OFD}

func formatNames() string {
	names := make([]string, len(outputFormats))
	for i, f := range outputFormats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

func formatNamed(name string) (report.Format, bool) {
	for _, f := range outputFormats {
		if strings.EqualFold(name, string(f)) {
			return f, true
		}
	}
	return "", false
}

// chooseFormat applies the rule render's help states: --format when given,
// and then -o's extension must agree; else the extension's format; else PDF.
// An extension that names no output format is an error either way, so
// -o report.odt never silently writes a PDF under that name.
func chooseFormat(flagValue, out string) (report.Format, error) {
	ext := ""
	if out != "-" {
		ext = strings.TrimPrefix(filepath.Ext(out), ".")
	}
	byExt, extKnown := formatNamed(ext)
	if flagValue != "" {
		f, ok := formatNamed(flagValue)
		if !ok {
			return "", fmt.Errorf("--format %q: valid formats are %s", flagValue, formatNames())
		}
		if ext != "" && byExt != f {
			return "", fmt.Errorf("-o %s: the extension .%s contradicts --format %s; name the file .%s", out, ext, f, f)
		}
		return f, nil
	}
	if ext == "" {
		return report.PDF, nil
	}
	if !extKnown {
		return "", fmt.Errorf("-o %s: .%s is not an output format (%s); name the file with one of those extensions", out, ext, formatNames())
	}
	return byExt, nil
}

// printProblems lists errors and warnings; notices only when nothing was
// rendered, so a successful render stays quiet about punctuation fixes.
func printProblems(w io.Writer, name string, ps []problem.Problem, failed bool) {
	for _, p := range ps {
		if p.Severity == problem.Notice && !failed {
			continue
		}
		fmt.Fprintf(w, "%s: %s %s %s: %s\n", name, p.Severity, p.Rule, orRoot(p.Path), p.Message)
	}
}

// writeFileAtomic writes through a temporary file and a rename, so an
// interrupted render never leaves a truncated document behind.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".gongwen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
