package docx

import (
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

// Every face of the font table says what it is like, so that a word
// processor without it picks a look-alike: 仿宋_GB2312 → 仿宋, a serif
// (roman) face with the GB 2312 code page; 黑体 a sans (swiss) one.
func TestFontTableAlternates(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{})
	fonts := parsePart(t, parts, "word/fontTable.xml")
	want := map[string][2]string{ // altName, family
		"仿宋_GB2312": {"仿宋", "roman"}, "楷体_GB2312": {"楷体", "roman"}, "宋体": {"SimSun", "roman"},
		"黑体": {"SimHei", "swiss"}, "方正小标宋简体": {"宋体", "roman"}, "Times New Roman": {"", "roman"},
	}
	seen := 0
	for _, f := range fonts.all("w:font") {
		name := f.attr("w:name")
		w, ok := want[name]
		if !ok {
			t.Errorf("font %q has no known alternates", name)
			continue
		}
		seen++
		alt := ""
		if a := f.child("w:altName"); a != nil {
			alt = a.attr("w:val")
		}
		if alt != w[0] || f.child("w:family").attr("w:val") != w[1] {
			t.Errorf("%s: altName %q family %q, want %q %q", name, alt, f.child("w:family").attr("w:val"), w[0], w[1])
		}
		if p := f.child("w:panose1"); p == nil || len(p.attr("w:val")) != 20 {
			t.Errorf("%s: no PANOSE", name)
		}
		if name != "Times New Roman" && (f.child("w:sig") == nil || f.child("w:sig").attr("w:csb0") != "00040001") {
			t.Errorf("%s: no GB 2312 code page in w:sig", name)
		}
	}
	if seen != len(want) {
		t.Errorf("font table has %d of the %d faces", seen, len(want))
	}
}

// Embedded fonts are stored obfuscated (ECMA-376 §17.8.1) under a key
// derived from their bytes, named in the font table, typed and related.
func TestEmbeddedFonts(t *testing.T) {
	for _, precompressed := range []bool{false, true} {
		t.Run(fmt.Sprint("precompressed=", precompressed), func(t *testing.T) { testEmbeddedFonts(t, precompressed) })
	}
}

// deflateWithHead is a Font.Deflate as fonts.Subset.RawDeflate makes it:
// the head as a flushed segment, the rest compressed apart.
func deflateWithHead(program []byte) func(head []byte) ([]byte, []byte, uint32) {
	return func(head []byte) ([]byte, []byte, uint32) {
		var a, b bytes.Buffer
		w, _ := flate.NewWriter(&a, flate.BestSpeed)
		w.Write(head)
		w.Flush()
		w, _ = flate.NewWriter(&b, flate.BestSpeed)
		w.Write(program[len(head):])
		w.Close()
		crc := crc32.Update(crc32.ChecksumIEEE(head), crc32.IEEETable, program[len(head):])
		return a.Bytes(), b.Bytes(), crc
	}
}

func testEmbeddedFonts(t *testing.T, precompressed bool) {
	font := func(face string) []byte {
		return []byte(strings.Repeat("FONT "+face+" ", 8))
	}
	var asked []string
	opts := Options{EmbedFonts: func(face, text string) (Font, error) {
		asked = append(asked, face)
		if face == "Times New Roman" {
			return Font{}, nil
		}
		if text == "" {
			t.Errorf("%s: asked with no text", face)
		}
		if precompressed {
			return Font{Program: font(face), Deflate: deflateWithHead(font(face))}, nil
		}
		return Font{Program: font(face)}, nil
	}}
	out, err := Render(handDocument(), opts)
	if err != nil {
		t.Fatal(err)
	}
	asked = nil
	again, _ := Render(handDocument(), opts)
	if !bytes.Equal(out, again) {
		t.Error("two renders with embedded fonts differ")
	}
	parts, _ := unzipParts(t, out)
	table := parsePart(t, parts, "word/fontTable.xml")
	rels := parsePart(t, parts, "word/_rels/fontTable.xml.rels")
	target := map[string]string{}
	for _, r := range rels.all("Relationship") {
		target[r.attr("Id")] = "word/" + r.attr("Target")
	}
	embedded := 0
	for _, f := range table.all("w:font") {
		e := f.child("w:embedRegular")
		if e == nil {
			continue
		}
		embedded++
		name := f.attr("w:name")
		data, ok := parts[target[e.attr("r:id")]]
		if !ok {
			t.Errorf("%s: embedded font part %q missing", name, target[e.attr("r:id")])
			continue
		}
		if got := obfuscate(data, e.attr("w:fontKey")); !bytes.Equal(got, font(name)) {
			t.Errorf("%s: the part does not de-obfuscate to the font", name)
		}
		if bytes.Equal(data[:32], font(name)[:32]) {
			t.Errorf("%s: stored in the clear", name)
		}
	}
	if embedded == 0 || embedded != len(asked) {
		t.Errorf("%d fonts embedded, asked for %v", embedded, asked)
	}
	if !bytes.Contains(parts["[Content_Types].xml"], []byte(`Extension="odttf"`)) ||
		!bytes.Contains(parts["word/settings.xml"], []byte(`<w:embedTrueTypeFonts/>`)) {
		t.Error("content type or settings for embedded fonts missing")
	}
	plain := mustRender(t, handDocument(), Options{})
	if _, ok := plain["word/_rels/fontTable.xml.rels"]; ok || bytes.Contains(plain["[Content_Types].xml"], []byte("odttf")) {
		t.Error("a document without embedded fonts names them")
	}
}
