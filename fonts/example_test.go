package fonts_test

import (
	"errors"
	"fmt"
	"log"

	"gongwen/fonts"
)

// Setting a line with the subset fonts: segment by coverage, collect the
// document's text per face, build the subsets once, then show each span
// as the glyph ids of its subset (what a CIDFontType2 with an Identity
// CIDToGIDMap draws) and advance by the subset's own widths.
func ExampleSubsetBuilder() {
	book, err := fonts.Default()
	if err != nil {
		log.Fatal(err)
	}
	const line = "𥔲嘉镇人民政府2024年"
	spans, err := book.Segment(fonts.RoleBody, line)
	var missing *fonts.MissingGlyphError
	if errors.As(err, &missing) {
		log.Fatal(missing) // 字符“…”（U+…）没有任何已配置的字体包含
	} else if err != nil {
		log.Fatal(err)
	}
	sb := book.NewSubsetBuilder()
	for _, s := range spans {
		sb.Add(s.Face, s.Text)
	}
	subs, err := sb.Build()
	if err != nil {
		log.Fatal(err)
	}
	byFace := map[*fonts.Face]*fonts.Subset{}
	for _, sub := range subs {
		byFace[sub.Face] = sub
	}
	const size = 16.0
	x := 72.0
	for _, s := range spans {
		sub := byFace[s.Face]
		for _, r := range s.Text {
			gid, _ := sub.GlyphID(r)
			// a writer emits gid here: <hhhh> Tj
			x += float64(sub.Advances[gid]) * size / float64(sub.UnitsPerEm)
		}
	}
	fmt.Println(len(subs) > 0, x > 72)
}
