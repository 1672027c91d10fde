package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"gongwen/problem"
	"gongwen/report"
	"gongwen/templates"
)

func init() {
	register("templates", "list the loaded templates (embedded and --templates DIR)",
		"usage: gongwen templates [--templates DIR]", defineTemplates)
	register("template", "check a template folder: load it, render its example to every format, resolve its pointers",
		"usage: gongwen template check DIR...\n\n"+
			"Loads every template under each DIR (a folder holding manifest.yaml, or a tree of them), validates\n"+
			"its example with it, renders the example to every output format and checks that every table\n"+
			"binding and paragraph array of the document leads to a value in the example. Exit 0 when all\n"+
			"pass, 1 when one does not, 2 when a template does not load (the message names file, line and key).",
		defineTemplate)
}

func defineTemplates(fs *flag.FlagSet) action {
	pf := addPipelineFlags(fs)
	return func(rest []string, stdout, stderr io.Writer) int {
		if len(rest) > 0 {
			fs.Usage()
			return 2
		}
		p, err := pf.pipeline(report.Config{})
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		for _, t := range p.Templates() {
			fmt.Fprintf(stdout, "%s\t%s\n", t.ID, t.Name)
		}
		return 0
	}
}

func defineTemplate(fs *flag.FlagSet) action {
	pf := addPipelineFlags(fs)
	var lang string
	langVar(fs, &lang)
	return func(rest []string, stdout, stderr io.Writer) int {
		if len(rest) < 2 || rest[0] != "check" {
			fs.Usage()
			return 2
		}
		var ids []string
		for _, dir := range rest[1:] {
			in, err := templates.IDsIn(dir)
			if err != nil {
				fmt.Fprintf(stderr, "gongwen: %v\n", err)
				return 2
			}
			ids = append(ids, in...)
			*pf.templates = append(*pf.templates, dir)
		}
		p, err := pf.pipeline(report.Config{})
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		code := 0
		for _, id := range ids {
			res, err := p.CheckTemplate(context.Background(), id, report.Options{Lang: lang, NormalizePunctuation: true})
			if err != nil {
				fmt.Fprintf(stderr, "gongwen: %s: %v\n", id, err)
				return 2
			}
			writeCheck(stdout, res)
			if !res.OK() {
				code = 1
			}
		}
		return code
	}
}

func writeCheck(w io.Writer, res *report.CheckResult) {
	verdict := "ok"
	if !res.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "%s: %s\n", res.ID, verdict)
	errs, warns := 0, 0
	for _, pr := range res.Problems {
		switch pr.Severity {
		case problem.Error:
			errs++
		case problem.Warning:
			warns++
		}
	}
	fmt.Fprintf(w, "  example: %d error(s), %d warning(s)\n", errs, warns)
	for _, pr := range res.Problems {
		if pr.Severity != problem.Notice {
			fmt.Fprintf(w, "    %s %s %s\n", pr.Severity, pr.Path, pr.Message)
		}
	}
	for _, r := range res.Renders {
		if r.Err != nil {
			fmt.Fprintf(w, "  %s: %v\n", r.Format, r.Err)
		} else {
			fmt.Fprintf(w, "  %s: %d bytes\n", r.Format, r.Bytes)
		}
	}
	if len(res.Unresolved) == 0 {
		fmt.Fprintln(w, "  pointers: all resolve in the example")
	}
	for _, u := range res.Unresolved {
		fmt.Fprintf(w, "  pointer %s (%s): no value in the example\n", u.Pointer, u.Key)
	}
}
