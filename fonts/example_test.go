package fonts_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"

	"codeberg.org/go-pdf/fpdf"

	"gongwen/fonts"
)

// Setting a line with the subset fonts through fpdf: segment by coverage,
// collect the document's text per face, build the subsets once, then draw
// each span with the text Encode returns.
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
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetCatalogSort(true) // deterministic font order
	pdf.AddPage()
	byFace := map[*fonts.Face]*fonts.Subset{}
	for _, sub := range subs {
		pdf.AddUTF8FontFromBytes(sub.Name, "", sub.TTF)
		byFace[sub.Face] = sub
	}
	const size = 16.0
	x := 72.0
	for _, s := range spans {
		sub := byFace[s.Face]
		pdf.SetFont(sub.Name, "", size)
		text, pua := sub.Encode(s.Text)
		if pua { // characters outside the BMP: give extraction the real text
			pdf.RawWriteStr(fonts.ActualTextBegin(s.Text))
		}
		pdf.Text(x, 100, text)
		if pua {
			pdf.RawWriteStr(fonts.ActualTextEnd)
		}
		for _, r := range s.Text {
			x += float64(s.Face.Advance(r)) * size / float64(s.Face.UnitsPerEm())
		}
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(subs) > 0)
}
