package docx

import (
	"fmt"

	"gongwen/render"
)

// styles writes word/styles.xml: document defaults, the three built-in
// styles Word expects, and one paragraph style per model style (plus a
// linked character style for styles used on runs, such as the run-in
// level-2 heading). Every model style carries its full formatting, so a
// clerk who changes 公文正文 changes every body paragraph and nothing else.
func (w *writer) styles() error {
	lang := w.doc.Meta.Language
	if lang == "" {
		lang = "zh-CN"
	}
	defFace, defSize := "宋体", 21
	if w.body != nil {
		defFace, defSize = w.body.face, w.body.halfPts
	}
	w.s(xmlHeader)
	w.s(`<w:styles ` + nsW + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="`)
	w.escaped(w.latin)
	w.s(`" w:eastAsia="`)
	w.escaped(defFace)
	w.s(`" w:hAnsi="`)
	w.escaped(w.latin)
	w.s(`" w:cs="`)
	w.escaped(w.latin)
	w.s(`"/><w:sz`)
	w.attrInt("w:val", defSize)
	w.s(`/><w:szCs`)
	w.attrInt("w:val", defSize)
	w.s(`/><w:lang w:val="en-US" w:eastAsia="`)
	w.escaped(lang)
	w.s(`" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault/></w:docDefaults>` +
		// Text stays inside the 156 mm text block (no punctuation hanging
		// into the margin) and Chinese next to digits or Latin letters gets
		// no extra quarter-em: GB/T 9704's 28-character grid, as in the PDF.
		// In Normal, not in pPrDefault, which LibreOffice 7.4 ignores for
		// these properties. Widow control is off, as in the PDF backend
		// and Word's own default; LibreOffice would otherwise apply its 2.
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/></w:pPr></w:style>` +
		`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
		`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	for _, s := range w.styleList {
		w.paragraphStyle(s)
	}
	for _, s := range w.styleList {
		if s.charID != "" {
			w.characterStyle(s)
		}
	}
	w.s(`</w:styles>`)
	return nil
}

func (w *writer) paragraphStyle(s *styleInfo) {
	w.s(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="`)
	w.s(s.id)
	w.s(`"><w:name w:val="`)
	w.escaped(s.display)
	w.s(`"/><w:basedOn w:val="Normal"/><w:next w:val="`)
	// After a title or heading a clerk pressing Enter wants body text.
	next := s
	switch s.Name {
	case render.StyleTitle, render.StyleHeading1, render.StyleHeading2:
		if w.body != nil {
			next = w.body
		}
	}
	w.s(next.id)
	w.s(`"/>`)
	if s.charID != "" {
		w.s(`<w:link w:val="`)
		w.s(s.charID)
		w.s(`"/>`)
	}
	w.s(`<w:qFormat/><w:pPr>`)
	if s.KeepWithNext {
		w.s(`<w:keepNext/>`)
	}
	if !s.snap {
		w.s(`<w:snapToGrid w:val="0"/>`)
	}
	w.s(`<w:spacing`)
	w.attrInt("w:before", ptToTwips(s.SpaceBeforePt))
	w.attrInt("w:after", ptToTwips(s.SpaceAfterPt))
	w.attrInt("w:line", s.line)
	w.s(` w:lineRule="exact"/>`)
	if s.FirstLineIndentChars > 0 || s.RightIndentChars > 0 || s.HangingIndentChars > 0 {
		// Word reads the *Chars attributes (they follow a size change);
		// LibreOffice reads only the twips ones, so both are written.
		w.s(`<w:ind`)
		if s.RightIndentChars > 0 {
			w.attrInt("w:rightChars", roundInt(s.RightIndentChars*100))
			w.attrInt("w:right", ptToTwips(s.RightIndentChars*s.SizePt))
		}
		if h := s.HangingIndentChars; h > 0 {
			// Lines after the first at h characters: the left indent, with
			// the first line hanging back to (or indented past) its own.
			w.attrInt("w:leftChars", roundInt(h*100))
			w.attrInt("w:left", ptToTwips(h*s.SizePt))
			if d := h - s.FirstLineIndentChars; d > 0 {
				w.attrInt("w:hangingChars", roundInt(d*100))
				w.attrInt("w:hanging", ptToTwips(d*s.SizePt))
			} else if d < 0 {
				w.attrInt("w:firstLineChars", roundInt(-d*100))
				w.attrInt("w:firstLine", ptToTwips(-d*s.SizePt))
			}
		} else if s.FirstLineIndentChars > 0 {
			w.attrInt("w:firstLineChars", roundInt(s.FirstLineIndentChars*100))
			w.attrInt("w:firstLine", ptToTwips(s.FirstLineIndentChars*s.SizePt))
		}
		w.s(`/>`)
	}
	if s.Align != "" {
		w.s(`<w:jc w:val="`)
		w.s(jcValue(s.Align))
		w.s(`"/>`)
	}
	if s.outline > 0 {
		w.s(`<w:outlineLvl`)
		w.attrInt("w:val", s.outline-1)
		w.s(`/>`)
	}
	w.s(`</w:pPr>`)
	w.runProps(s)
	w.s(`</w:style>`)
}

func (w *writer) characterStyle(s *styleInfo) {
	w.s(`<w:style w:type="character" w:customStyle="1" w:styleId="`)
	w.s(s.charID)
	w.s(`"><w:name w:val="`)
	w.escaped(s.display)
	w.s(` 字符"/><w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="`)
	w.s(s.id)
	w.s(`"/>`)
	w.runProps(s)
	w.s(`</w:style>`)
}

func (w *writer) runProps(s *styleInfo) {
	w.s(`<w:rPr><w:rFonts w:ascii="`)
	w.escaped(s.ascii)
	w.s(`" w:eastAsia="`)
	w.escaped(s.face)
	w.s(`" w:hAnsi="`)
	w.escaped(s.ascii)
	w.s(`" w:cs="`)
	w.escaped(s.ascii)
	w.s(`"/>`)
	if s.Bold {
		w.s(`<w:b/><w:bCs/>`)
	}
	if s.tracking != 0 {
		w.s(`<w:spacing`)
		w.attrInt("w:val", s.tracking)
		w.s(`/>`)
	}
	if s.Color != (render.Color{}) {
		w.s(`<w:color w:val="` + hexColor(s.Color) + `"/>`)
	}
	w.s(`<w:sz`)
	w.attrInt("w:val", s.halfPts)
	w.s(`/><w:szCs`)
	w.attrInt("w:val", s.halfPts)
	w.s(`/></w:rPr>`)
}

// fontInfo tells a word processor on a machine without a face what it is
// like, so that its substitute looks alike: altName is tried first (Windows
// ships 仿宋 and 楷体 but not the *_GB2312 faces GB/T 9704 names), then a
// face of the same family class (roman: serif; swiss: sans), PANOSE and
// code pages (sig's csb0 bit 18: GB 2312, so the substitute has Chinese).
// Song, Fang and Kai faces are serif, Hei sans, which is what family and
// PANOSE state here (Word's own table calls them all "modern", fixed
// pitch, which says nothing of serifs). LibreOffice 7.4 ignores all of
// this and substitutes through fontconfig (measured: Noto Sans CJK for
// every role); Options.EmbedFonts is what makes it look right there.
type fontInfo struct {
	altName string
	panose  string // ten PANOSE bytes, hex
	charset string
	family  string // roman, swiss, modern, script, decorative, auto
	pitch   string
}

// Code pages of the sig element: csb0 bit 0 Latin 1, bit 18 Chinese
// Simplified (GB 2312); usb* the Unicode ranges of a Chinese face.
const cjkSig = `<w:sig w:usb0="800002BF" w:usb1="38CF7CFA" w:usb2="00000016" w:usb3="00000000" w:csb0="00040001" w:csb1="00000000"/>`

// PANOSE: family kind 2 (Latin text), serif style 2 (cove) for the serif
// faces, 11 (normal sans) for Hei; weight 6 (medium), 9 (black) for 小标宋.
var knownFonts = map[string]fontInfo{
	"Times New Roman": {"", "02020603050405020304", "00", "roman", "variable"},
	"方正小标宋简体":         {"宋体", "02020900000000000000", "86", "roman", "variable"},
	"方正小标宋_GBK":       {"宋体", "02020900000000000000", "86", "roman", "variable"},
	"宋体":              {"SimSun", "02020600000000000000", "86", "roman", "variable"},
	"仿宋_GB2312":       {"仿宋", "02020600000000000000", "86", "roman", "variable"},
	"仿宋":              {"FangSong", "02020600000000000000", "86", "roman", "variable"},
	"楷体_GB2312":       {"楷体", "02020600000000000000", "86", "roman", "variable"},
	"楷体":              {"KaiTi", "02020600000000000000", "86", "roman", "variable"},
	"黑体":              {"SimHei", "020B0600000000000000", "86", "swiss", "variable"},
}

func (w *writer) fontTable() error {
	w.s(xmlHeader)
	w.s(`<w:fonts ` + nsW + ` ` + nsR + `>`)
	for _, f := range w.faces {
		w.s(`<w:font w:name="`)
		w.escaped(f)
		w.s(`">`)
		if fi, ok := knownFonts[f]; ok {
			if fi.altName != "" {
				w.s(`<w:altName w:val="`)
				w.s(fi.altName)
				w.s(`"/>`)
			}
			w.s(`<w:panose1 w:val="`)
			w.s(fi.panose)
			w.s(`"/><w:charset w:val="`)
			w.s(fi.charset)
			w.s(`"/><w:family w:val="`)
			w.s(fi.family)
			w.s(`"/><w:pitch w:val="`)
			w.s(fi.pitch)
			w.s(`"/>`)
			if fi.charset == "86" {
				w.s(cjkSig)
			}
		}
		w.embedded(f)
		w.s(`</w:font>`)
	}
	w.s(`</w:fonts>`)
	return nil
}

// hexColor is a colour as Word writes it: RRGGBB.
func hexColor(c render.Color) string { return fmt.Sprintf("%02X%02X%02X", c.R, c.G, c.B) }
