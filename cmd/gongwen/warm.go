package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongwen/fonts"
	"gongwen/gen/reportgen"
	"gongwen/render"
	"gongwen/report"
)

// warmGlyphs is `gongwen fonts warm [FILE...]`: fonts.Book.WarmGlyphs over
// fonts.WarmupChars, the templates' text and the files' characters, into
// the glyph cache a render of this user reads.
func warmGlyphs(pf *pipelineFlags, files []string, stdout, stderr io.Writer) int {
	dir := fonts.DefaultGlyphCacheDir()
	if dir == "" {
		fmt.Fprintf(stderr, "gongwen: fonts warm: the glyph cache is off (%s=off, or no user cache directory): set %s to a directory\n", fonts.EnvGlyphCache, fonts.EnvGlyphCache)
		return 2
	}
	p, err := pf.pipeline(report.Config{})
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: fonts warm: %v\n", err)
		return 2
	}
	book := p.Fonts()
	if book == nil {
		fmt.Fprintf(stderr, "gongwen: fonts warm: %v\n", p.FontsReady())
		return 2
	}
	var text strings.Builder
	text.WriteString(fonts.WarmupChars())
	text.WriteString(templateText(p))
	// The reports `gongwen gen` writes, which the benchmarks, the load
	// test and the batch benchmark render, name places with characters
	// beyond GB 2312 (Extension A to F, as real place names do); 300 of
	// them use every such character of its vocabulary. About 50 glyphs.
	for i := range 300 {
		text.Write(reportgen.Generate(1, i).JSON())
	}
	for _, name := range files {
		raw, err := readInput(name)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: fonts warm: %v\n", err)
			return 2
		}
		text.Write(raw)
	}
	rep, err := book.WarmGlyphs(text.String(), 0)
	glyphs, cached := 0, 0
	for _, f := range rep.Faces {
		fmt.Fprintf(stdout, "%s：%d 个字形，已缓存 %d，新转换 %d\n", f.Face, f.Glyphs, f.Cached, f.Converted)
		glyphs += f.Glyphs
		cached += f.Cached
	}
	if files, bytes, perr := fonts.PruneGlyphCache(dir); files > 0 || perr != nil {
		fmt.Fprintf(stdout, "删除其他版本的缓存文件 %d 个（%.1f MB）\n", files, float64(bytes)/1e6)
		err = errors.Join(err, perr)
	}
	n, size := cacheSize(dir)
	fmt.Fprintf(stdout, "共 %d 个字形，已缓存 %d，新转换 %d，用时 %.1f 秒（%d 个线程）\n字形缓存：%s（%d 个文件，%.1f MB）\n",
		glyphs, cached, rep.Converted(), rep.Elapsed.Seconds(), rep.Workers, dir, n, float64(size)/1e6)
	if err != nil {
		fmt.Fprintf(stderr, "gongwen: fonts warm: %v\n", err)
		return 1
	}
	return 0
}

// templateText is the text of every loaded template as a document shows
// it: its form (headings, fixed paragraphs, table labels, choices), its
// example report, and the example rendered (the text the template adds:
// default paragraphs, computed titles, signatures). Templates are data: the
// characters come from them, not from a list kept here.
func templateText(p *report.Pipeline) string {
	var b strings.Builder
	for _, t := range p.Templates() {
		if form, err := json.Marshal(t.Form); err == nil {
			b.Write(form)
		}
		b.Write(t.Example)
		out, _ := p.Validate(context.Background(), t.Example, report.DefaultOptions())
		if out == nil || out.Document == nil {
			continue
		}
		for _, blk := range out.Document.Blocks {
			switch x := blk.(type) {
			case *render.Paragraph:
				for _, r := range x.Runs {
					b.WriteString(r.Text)
				}
			case *render.Table:
				for _, row := range x.Rows {
					for _, c := range row.Cells {
						b.WriteString(c.Text)
					}
				}
			}
		}
	}
	return b.String()
}

// cacheSize counts the glyph cache's files and their bytes.
func cacheSize(dir string) (n int, size int64) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.glyphs"))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n++
			size += st.Size()
		}
	}
	return n, size
}
