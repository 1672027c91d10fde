package main

import (
	"flag"
	"fmt"
	"io"
)

func init() {
	register("fonts", "list the font chosen for each role, or check a report's characters",
		`usage: gongwen fonts [--font-config FILE] [--font-dir DIR]
       gongwen fonts check FILE.json [ROLE...]
       gongwen fonts warm [FILE...]

warm converts ahead, into the glyph cache ($GONGWEN_GLYPH_CACHE, default
~/.cache/gongwen/glyphs), the glyphs every role would set GB 2312, ASCII,
CJK punctuation, the fullwidth forms, every template's text and the
characters of FILEs (e.g. reports) in, so that a render on this machine
converts none: once per machine (setup and the image build run it). It also
removes the cache files of other gongwen versions, which this one never reads.`, defineFonts)
}

// defineFonts: `gongwen fonts` lists roles, faces, files, GB 2312 coverage
// and substitutes (exit 0); `gongwen fonts check FILE.json [ROLE...]` lists
// the characters no configured font covers (exit 1 when there are any).
func defineFonts(fs *flag.FlagSet) action {
	pf := addPipelineFlags(fs)
	return func(rest []string, stdout, stderr io.Writer) int {
		book, err := pf.book()
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: fonts: %v\n", err)
			return 2
		}
		if len(rest) == 0 {
			if _, err := book.WriteReport(stdout); err != nil {
				fmt.Fprintf(stderr, "gongwen: %v\n", err)
				return 2
			}
			return 0
		}
		if rest[0] == "warm" {
			return warmGlyphs(pf, rest[1:], stdout, stderr)
		}
		if rest[0] != "check" || len(rest) < 2 {
			fs.Usage()
			return 2
		}
		raw, err := readInput(rest[1])
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		missing, err := book.WriteCheck(stdout, raw, rest[2:]...)
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 2
		}
		if missing > 0 {
			return 1
		}
		return 0
	}
}
