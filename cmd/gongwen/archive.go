package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"gongwen/archive"
	"gongwen/problem"
	"gongwen/render/ofd"
	"gongwen/report"
)

func init() {
	register("extract", "write out the report JSON a PDF/A-3b or OFD-A file carries", `usage: gongwen extract FILE.pdf|FILE.ofd [-o report.json]

Writes the report embedded in FILE (rendered with --pdf-standard a-3b, or
--format ofd --ofd-standard a) exactly as it was received, byte for byte,
to standard output or -o. It warns when the report no longer matches the
SHA-256 the file recorded when it was rendered. Exit status: 0 written,
1 the file carries no report (not a-3b or OFD-A), 2 usage, I/O or an
unreadable file.`, defineExtract)
	register("verify", "prove a PDF/A-3b or OFD-A file is what its embedded report renders to", `usage: gongwen verify FILE.pdf|FILE.ofd

Renders the report embedded in FILE again with the options the file
records (template, pdfStandard or ofdStandard, created, zone, normalizePunctuation,
allowProblems; see README) and compares the result with FILE byte for byte.
It says 一致 (identical) or how they differ: page count, which page's text
or drawing, fonts, metadata, the embedded report, the first differing
byte; and what explains it: the embedded report changed after rendering,
another gongwen version, other fonts (the file records both). A file with
an incremental update appended later (a digital signature) is reported as
its original revision identical, the addition not verified.
Exit status: 0 identical, 1 different, 2 usage, I/O or a file that cannot
be verified (no embedded report, no provenance).`, defineVerify)
}

func defineExtract(fs *flag.FlagSet) action {
	out := fs.String("o", "-", "output file; - for standard output")
	var lang string
	langVar(fs, &lang)
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) != 1 {
			fs.Usage()
			return 2
		}
		file, err := readInput(args[0])
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		rec, err := archive.ExtractRecord(file)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %s: %s\n", args[0], archiveError(err, lang))
			if errors.Is(err, archive.ErrNoSource) {
				return 1
			}
			return 2
		}
		src := rec.Source
		if archive.SourceAltered(rec) {
			fmt.Fprintf(stderr, "gongwen: %s: %s\n", args[0], problem.Pick(lang,
				"警告：附带的报告数据与生成时记录的 SHA-256 不符，文件生成后被改动过",
				"warning: the embedded report does not match the SHA-256 recorded when the file was rendered; it was changed afterwards"))
		}
		if *out == "-" {
			_, err = stdout.Write(src.Data)
		} else {
			err = writeFileAtomic(*out, src.Data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		if *out != "-" {
			fmt.Fprintf(stderr, "%s → %s (%s, %d bytes)\n", args[0], *out, src.Name, len(src.Data))
		}
		return 0
	}
}

func defineVerify(fs *flag.FlagSet) action {
	var lang string
	langVar(fs, &lang)
	pf := addPipelineFlags(fs)
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) != 1 {
			fs.Usage()
			return 2
		}
		name := args[0]
		file, err := readInput(name)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		p, err := pf.pipeline(report.Config{})
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		v, err := archive.Verify(context.Background(), p, file)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %s: %s\n", name, archiveError(err, lang))
			if v != nil {
				printExplanations(stderr, v, lang)
			}
			return 2
		}
		pv := v.Provenance
		standard := string(pv.PDFStandard)
		if v.Format == report.OFD {
			standard = "OFD"
			if pv.OFDStandard == ofd.StandardA {
				standard = "OFD-A"
			}
		}
		if v.Identical {
			fmt.Fprintf(stdout, "%s: %s\n", name, problem.Pick(lang,
				fmt.Sprintf("一致：按文件记录的选项（模板 %s，%s，日期 %s）重新生成，与原文件逐字节相同（%d 字节）", pv.Template, standard, pv.Created.Format("2006-01-02T15:04:05Z07:00"), v.Size),
				fmt.Sprintf("identical: rendered again with the recorded options (template %s, %s, dated %s), byte for byte the same (%d bytes)", pv.Template, standard, pv.Created.Format("2006-01-02T15:04:05Z07:00"), v.Size)))
			return 0
		}
		fmt.Fprintf(stdout, "%s: %s\n", name, problem.Pick(lang,
			fmt.Sprintf("不一致：重新生成的文件（%d 字节）与原文件（%d 字节）不同", v.Rendered, v.Size),
			fmt.Sprintf("different: the fresh render (%d bytes) differs from the file (%d bytes)", v.Rendered, v.Size)))
		for _, d := range v.Differences {
			fmt.Fprintf(stdout, "  - %s\n", d)
		}
		printExplanations(stdout, v, lang)
		return 1
	}
}

func printExplanations(w io.Writer, v *archive.Verdict, lang string) {
	if len(v.Explanations) == 0 {
		return
	}
	fmt.Fprintln(w, problem.Pick(lang, "可能的原因：", "what may explain it:"))
	for _, e := range v.Explanations {
		fmt.Fprintf(w, "  - %s\n", e)
	}
}

// archiveError says in the user's words why a file cannot be extracted or
// verified; the wrapped detail follows for the log.
func archiveError(err error, lang string) string {
	switch {
	case errors.Is(err, archive.ErrNoSource):
		return problem.Pick(lang, "文件中没有附带报告数据（只有 --pdf-standard a-3b 或 --ofd-standard a 生成的文件附带）",
			"the file carries no report data (only files rendered with --pdf-standard a-3b or --ofd-standard a do)") + " [" + err.Error() + "]"
	case errors.Is(err, archive.ErrUnknownFormat):
		return problem.Pick(lang, "不是 gongwen 能读取的 PDF 文件", "not a PDF file gongwen can read")
	case errors.Is(err, archive.ErrNoProvenance):
		return problem.Pick(lang, "文件没有记录生成选项，无法核验（不是 gongwen 生成的 PDF/A-3b 文件？）",
			"the file records no render options, so it cannot be verified (not a PDF/A-3b file made by gongwen?)") + " [" + err.Error() + "]"
	}
	msg := err.Error()
	if strings.Contains(msg, "not a readable PDF") {
		return problem.Pick(lang, "文件已损坏或不是 PDF：", "the file is damaged or not a PDF: ") + msg
	}
	return msg
}
