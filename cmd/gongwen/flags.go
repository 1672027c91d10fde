package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gongwen/fonts"
	"gongwen/problem"
	"gongwen/report"
)

// templateDirsFlag adds --templates (repeatable, or a list separated by the
// OS path-list separator); GONGWEN_TEMPLATE_DIRS gives the default.
func templateDirsFlag(fs *flag.FlagSet) *[]string {
	dirs := &[]string{}
	if env := os.Getenv("GONGWEN_TEMPLATE_DIRS"); env != "" {
		*dirs = filepath.SplitList(env)
	}
	fs.Func("templates", "extra template directory (repeatable; env GONGWEN_TEMPLATE_DIRS)", func(s string) error {
		*dirs = append(*dirs, filepath.SplitList(s)...)
		return nil
	})
	return dirs
}

// pipelineFlags are the flags every command that builds a report.Pipeline
// shares: where templates and fonts come from.
type pipelineFlags struct {
	templates  *[]string
	fontConfig string
	fontDirs   []string
	// longRunning (serve, batch) reads every face of every font role and
	// compiles every template at start: no request or report may pay for
	// them later. A one-shot command reads each role's first face (the
	// others if a character needs them) and compiles the template its
	// report asks for.
	longRunning bool
}

func addPipelineFlags(fs *flag.FlagSet) *pipelineFlags {
	pf := &pipelineFlags{templates: templateDirsFlag(fs)}
	fs.StringVar(&pf.fontConfig, "font-config", "", "font configuration file (env GONGWEN_FONT_CONFIG; default: the embedded fonts/config.json)")
	fs.Func("font-dir", "extra font directory searched first (repeatable; env GONGWEN_FONT_DIRS)", func(s string) error {
		pf.fontDirs = append(pf.fontDirs, filepath.SplitList(s)...)
		return nil
	})
	return pf
}

// book opens the font book the flags describe and makes it the process
// default; without font flags it is fonts.Default() (env included).
func (pf *pipelineFlags) book() (*fonts.Book, error) {
	if pf.fontConfig == "" && len(pf.fontDirs) == 0 {
		return fonts.Default()
	}
	cfg, err := fonts.LoadConfig(pf.fontConfig)
	if err != nil {
		return nil, err
	}
	cfg.Dirs = append(append([]string(nil), pf.fontDirs...), cfg.Dirs...)
	b, err := fonts.Open(cfg)
	if err != nil {
		return nil, err
	}
	fonts.SetDefault(b)
	return b, nil
}

// pipeline builds the report pipeline. A font book that fails to open is
// not fatal here: validation and DOCX work without it, and PDF rendering
// then says why it cannot.
func (pf *pipelineFlags) pipeline(cfg report.Config) (*report.Pipeline, error) {
	cfg.TemplateDirs = append(cfg.TemplateDirs, *pf.templates...)
	cfg.Version = version
	cfg.LazyTemplates = !pf.longRunning
	// The book opens while the templates compile (report.Config.OpenFonts);
	// converted glyphs are kept on disk between runs, and the faces are
	// read on the other core: what a one-shot render spends before its
	// first byte.
	cfg.OpenFonts = func() (*fonts.Book, error) {
		b, err := pf.book()
		if err == nil {
			b.UseGlyphCache(fonts.DefaultGlyphCacheDir())
			if pf.longRunning {
				go b.Warm()
			} else {
				go b.WarmFirst()
			}
		}
		return b, err
	}
	p, err := report.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := p.FontsReady(); err != nil && (pf.fontConfig != "" || len(pf.fontDirs) > 0) {
		return nil, err // the user asked for these fonts: say so
	}
	return p, nil
}

// langVar adds --lang, read the one way every entry point reads it
// (problem.ParseLang): zh or en, or a tag such as zh-CN or en-US.
func langVar(fs *flag.FlagSet, dst *string) {
	*dst = "zh"
	fs.Func("lang", "language of messages: "+problem.Langs+" (default zh)", func(s string) error {
		lang, ok := problem.ParseLang(s)
		if !ok {
			return fmt.Errorf("%q: accepted values are %s", s, problem.Langs)
		}
		*dst = lang
		return nil
	})
}

// previousVar adds --previous: last year's report, for the template's
// cross-year checks (warnings where this year's figures do not follow
// from last year's).
func previousVar(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "previous", "", "last year's report JSON: also warn where this year's figures do not follow from it (上年结转, 现行有效件数)")
}

// readPrevious reads the --previous file, if one was given.
func readPrevious(name string) ([]byte, error) {
	if name == "" {
		return nil, nil
	}
	b, err := readInput(name)
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	return b, nil
}

// documentFlags are the flags that shape the file itself: the PDF/A part,
// the OFD profile, the DOCX's fonts, the document date and the offset dates are written with.
type documentFlags struct {
	standard, ofdStandard, docxFonts, created, zone string
}

func addDocumentFlags(fs *flag.FlagSet) *documentFlags {
	df := &documentFlags{}
	fs.StringVar(&df.standard, "pdf-standard", "a-2b", "PDF/A part of PDF output: a-1b, a-2b, a-3b (embeds the report JSON, for gongwen extract/verify) or none")
	fs.StringVar(&df.ofdStandard, "ofd-standard", "none", "profile of OFD output: a (OFD-A, GB/T 42133: embeds the report JSON, for gongwen extract/verify) or none")
	fs.StringVar(&df.docxFonts, "docx-fonts", "embedded", "fonts of DOCX output: embedded (subsets of the PDF's faces, for readers without the official ones) or named (only the official faces' names: a far smaller file, made faster, for Word with the official faces)")
	fs.StringVar(&df.created, "created", "", "document date when the report has none (its signature date comes first): RFC 3339, YYYY-MM-DD or Unix seconds (default: SOURCE_DATE_EPOCH, else now)")
	fs.StringVar(&df.zone, "zone", "", "offset dates are written with, e.g. +08:00 (env GONGWEN_ZONE; default +08:00)")
	return df
}

// apply sets opts from the flags; the error names the flag.
func (df *documentFlags) apply(opts *report.Options) error {
	var err error
	if opts.PDFStandard, err = report.ParsePDFStandard(df.standard); err != nil {
		return fmt.Errorf("--pdf-standard: %w", err)
	}
	if opts.OFDStandard, err = report.ParseOFDStandard(df.ofdStandard); err != nil {
		return fmt.Errorf("--ofd-standard: %w", err)
	}
	if opts.DOCXFonts, err = report.ParseDOCXFonts(df.docxFonts); err != nil {
		return fmt.Errorf("--docx-fonts: %w", err)
	}
	zone, err := report.DefaultZone()
	if err != nil {
		return err
	}
	if df.zone != "" {
		if zone, err = report.ParseZone(df.zone); err != nil {
			return fmt.Errorf("--zone: %w", err)
		}
	}
	opts.Zone = zone
	if df.created != "" {
		if opts.Created, err = report.ParseCreated(df.created, zone); err != nil {
			return fmt.Errorf("--created: %w", err)
		}
	}
	return nil
}

// saveGlyphs writes the glyphs this process converted to the glyph cache
// (fonts.Book.SaveGlyphCache) once its output is written; a failure only
// costs the next run the conversion, so it is not reported.
func saveGlyphs(p *report.Pipeline) {
	if b := p.Fonts(); b != nil {
		_ = b.SaveGlyphCache()
	}
}
