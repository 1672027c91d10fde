package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"gongwen/problem"
	"gongwen/report"
)

func init() {
	register("validate", "check report JSON files and list every problem", `usage: gongwen validate FILE... [--json] [--lang zh|en] [--previous LAST-YEAR.json]

Exit status: 0 every file is valid, 1 problems were found, 2 usage or I/O
errors. --json prints one array with an object per file, for one file as
for many: [{"file": "a.json", "valid": false, "problems": [...]}]`, defineValidate)
}

func defineValidate(fs *flag.FlagSet) action {
	asJSON := fs.Bool("json", false, "print, per file, its validity and the problems array of the data contract, as JSON")
	var lang string
	langVar(fs, &lang)
	noPunct := fs.Bool("keep-punctuation", false, "do not report ASCII punctuation in Chinese text")
	var previous string
	previousVar(fs, &previous)
	pf := addPipelineFlags(fs)
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) == 0 {
			fs.Usage()
			return 2
		}
		prev, err := readPrevious(previous)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		return validate(args, *asJSON, lang, *noPunct, prev, pf, stdout, stderr)
	}
}

// validate exits 0 when every file is valid, 1 when problems were found,
// 2 on usage or I/O errors.
func validate(files []string, asJSON bool, lang string, noPunct bool, previous []byte, pf *pipelineFlags, stdout, stderr io.Writer) int {
	p, err := pf.pipeline(report.Config{})
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: %v\n", err)
		return 2
	}
	opts := report.DefaultOptions()
	opts.Lang = lang
	opts.NormalizePunctuation = !noPunct
	opts.Previous = previous
	code := 0
	type fileResult struct {
		File     string            `json:"file"`
		Valid    bool              `json:"valid"`
		Problems []problem.Problem `json:"problems"`
	}
	var results []fileResult
	for _, name := range files {
		raw, err := readInput(name)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		out, err := p.Validate(context.Background(), raw, opts)
		if out == nil {
			fmt.Fprintf(stderr, "gongwen: %s: %v\n", name, err)
			return 2
		}
		if err != nil && !errors.Is(err, report.ErrMalformed) && !errors.Is(err, report.ErrUnknownTemplate) && !errors.Is(err, report.ErrTooLarge) {
			fmt.Fprintf(stderr, "gongwen: %s: %v\n", name, err)
			return 2
		}
		valid := err == nil && out.Valid()
		if !valid {
			code = 1
		}
		if out.Problems == nil {
			out.Problems = []problem.Problem{}
		}
		results = append(results, fileResult{File: name, Valid: valid, Problems: out.Problems})
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(results); err != nil {
			return 2
		}
		return code
	}
	for _, r := range results {
		status := map[bool]string{true: "通过", false: "有问题"}[r.Valid]
		if lang == "en" {
			status = map[bool]string{true: "valid", false: "problems found"}[r.Valid]
		}
		fmt.Fprintf(stdout, "%s: %s\n", r.File, status)
		for _, pr := range r.Problems {
			fmt.Fprintf(stdout, "  %-7s %-11s %s\n    %s\n", pr.Severity, pr.Rule, orRoot(pr.Path), pr.Message)
		}
	}
	return code
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// readInput reads a file, or standard input for "-".
func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(os.Stdin, report.DefaultMaxInputBytes+1))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, report.DefaultMaxInputBytes+1))
}
