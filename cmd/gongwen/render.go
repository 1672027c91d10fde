package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongwen/problem"
	"gongwen/report"
)

func init() {
	register("render", "render a report JSON file to PDF or DOCX", runRender)
}

func runRender(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "", "output format: pdf or docx (default: from -o's extension, else pdf)")
	out := fs.String("o", "", "output file; - for standard output (default: the input name with the format's extension)")
	allow := fs.Bool("allow-problems", false, "render even when the report has errors (recorded in the document metadata)")
	lang := fs.String("lang", "zh", "language of messages: zh or en")
	keepPunct := fs.Bool("keep-punctuation", false, "keep ASCII punctuation in Chinese text as typed")
	created := fs.String("created", "", "document date, RFC 3339 or Unix seconds (default: SOURCE_DATE_EPOCH, else 1970-01-01)")
	pf := addPipelineFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gongwen render [--format pdf|docx] [-o FILE] [--allow-problems] FILE.json")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	f, err := chooseFormat(*format, *out)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	opts := report.DefaultOptions()
	opts.Lang, opts.AllowProblems, opts.NormalizePunctuation = *lang, *allow, !*keepPunct
	if *created != "" {
		if opts.Created, err = parseCreated(*created); err != nil {
			fmt.Fprintf(stderr, "gongwen: --created: %v\n", err)
			return 2
		}
	}
	in := fs.Arg(0)
	raw, err := readInput(in)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	p, err := pf.pipeline(report.Config{})
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
			fmt.Fprintln(stderr, "gongwen: 报告有错误，未生成文件（如需按原样生成，请加 --allow-problems）")
			return 1
		}
		if errors.Is(err, report.ErrMalformed) || errors.Is(err, report.ErrUnknownTemplate) || errors.Is(err, report.ErrTooLarge) {
			return 1
		}
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	dst := *out
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
	return 0
}

func chooseFormat(flagValue, out string) (report.Format, error) {
	switch strings.ToLower(flagValue) {
	case "pdf":
		return report.PDF, nil
	case "docx":
		return report.DOCX, nil
	case "":
	default:
		return "", fmt.Errorf("--format %q: valid formats are pdf, docx", flagValue)
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".docx":
		return report.DOCX, nil
	default:
		return report.PDF, nil
	}
}

func parseCreated(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Parse(time.RFC3339, s)
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
