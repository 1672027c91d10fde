package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"

	"gongwen/internal/spare"
	"gongwen/render"
)

// FontEmbedder returns the font to embed for the face named face, holding
// the glyphs of text (every character the document sets in that face), or
// a Font without Program to embed nothing for it. It is how a caller with
// a font book puts its substitutes for the official faces into the DOCX:
// the package itself knows no font files.
type FontEmbedder func(face, text string) (Font, error)

// Font is a font program (TrueType or OpenType) to embed.
type Font struct {
	Program []byte
	// Deflate, when set, returns Program with its first 32 bytes replaced
	// by head, as a raw deflate stream in two parts to store one after the
	// other, and the CRC-32 of the bytes they inflate to
	// (fonts.Subset.RawDeflate): a program compressed once for every
	// writer that embeds it. Without it the writer compresses Program.
	Deflate func(head []byte) (block, tail []byte, crc uint32)
}

// embeddedFont is one font program stored obfuscated in word/fonts.
type embeddedFont struct {
	face string
	*packedFont
}

// packedFont is a font obfuscated and deflated, ready for the archive:
// fonts are most of an embedding DOCX's bytes, and compressing them was
// most of its time (24 ms for the example's 313 KB at the default level),
// so the font book's subsets come compressed (Font.Deflate) and only the
// obfuscated first 32 bytes are stored here.
type packedFont struct {
	key   string   // w:fontKey, a GUID derived from the font's bytes
	crc   uint32   // of the obfuscated font
	size  int      // obfuscated (= original) length
	parts [][]byte // raw deflate of the obfuscated font, in pieces (compress)
	font  Font     // the program
	head  []byte   // its first 32 bytes obfuscated
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fontKey derives the obfuscation GUID from the program: checksums over
// the whole and its halves and the length, cheap at any size (it only has
// to be a GUID that follows from the bytes, as the key of the same font is
// the same in every document).
func fontKey(font []byte) string {
	var k [16]byte
	binary.BigEndian.PutUint32(k[0:], crc32.Checksum(font, castagnoli))
	binary.BigEndian.PutUint32(k[4:], crc32.Checksum(font[len(font)/2:], castagnoli))
	binary.BigEndian.PutUint32(k[8:], crc32.ChecksumIEEE(font))
	binary.BigEndian.PutUint32(k[12:], uint32(len(font)))
	return fmt.Sprintf("{%X-%X-%X-%X-%X}", k[0:4], k[4:6], k[6:8], k[8:10], k[10:16])
}

// newPacked derives what the document's XML says of font (its key) and
// leaves the compression to compress.
func newPacked(font Font) *packedFont {
	key := fontKey(font.Program)
	return &packedFont{key: key, size: len(font.Program), font: font,
		head: obfuscate(font.Program[:min(32, len(font.Program))], key)}
}

// compress makes the raw deflate stream of the obfuscated program: the
// font book's compressed program behind the obfuscated head when the Font
// has one, else the whole program compressed here.
func (p *packedFont) compress() error {
	font, head := p.font, p.head
	if font.Deflate != nil && len(font.Program) >= 32 {
		block, tail, crc := font.Deflate(head)
		p.crc, p.parts = crc, [][]byte{block, tail}
		return nil
	}
	data := append(head, font.Program[len(head):]...)
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	p.crc, p.parts = crc32.ChecksumIEEE(data), [][]byte{buf.Bytes()}
	return nil
}

// storePacked writes a packed font into the archive as it is.
func storePacked(zw *zip.Writer, name string, p *packedFont) error {
	n := 0
	for _, b := range p.parts {
		n += len(b)
	}
	f, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, Modified: zipTime,
		CRC32: p.crc, CompressedSize64: uint64(n), UncompressedSize64: uint64(p.size),
	})
	if err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	for _, b := range p.parts {
		if _, err := f.Write(b); err != nil {
			return fmt.Errorf("docx: %s: %w", name, err)
		}
	}
	return nil
}

// collectEmbeds gathers the text set in each face and asks embed for its
// font. LibreOffice registers an embedded font under the font table's
// name, so text in 仿宋_GB2312 is drawn with the embedded substitute on a
// machine without the official face; Word registers it under the font's
// own name (the substitute's), so an installed official face still wins.
func (w *writer) collectEmbeds(embed FontEmbedder) error {
	text := map[string]*strings.Builder{}
	add := func(s *styleInfo, t string) {
		if s == nil || t == "" {
			return
		}
		b := text[s.face]
		if b == nil {
			b = &strings.Builder{}
			text[s.face] = b
		}
		b.WriteString(t)
	}
	for _, blk := range w.doc.Blocks {
		switch b := blk.(type) {
		case *render.Paragraph:
			for _, r := range b.Runs {
				style := r.Style
				if style == "" {
					style = b.Style
				}
				add(w.byName[style], r.Text)
			}
		case *render.Table:
			for _, row := range b.Rows {
				for i := range row.Cells {
					add(w.byName[w.cellStyle(&row.Cells[i])], row.Cells[i].Text)
				}
			}
		}
	}
	add(w.pageNum, w.numBefore+"0123456789"+w.numAfter)
	for _, face := range w.faces {
		b := text[face]
		if b == nil {
			continue
		}
		font, err := embed(face, b.String())
		if err != nil {
			return fmt.Errorf("docx: embedding a font for %s: %w", face, err)
		}
		if len(font.Program) < 32 {
			continue
		}
		p := newPacked(font)
		if w.packing == nil {
			// Compressed on the spare cores while the others are made and
			// the XML parts written: a new report's subsets are new
			// programs, and compressing them is most of a DOCX's render.
			w.packing = spare.Start((*packedFont).compress)
		}
		w.packing.Add(p)
		w.embeds = append(w.embeds, embeddedFont{face: face, packedFont: p})
	}
	return nil
}

// obfuscate applies the font obfuscation of ECMA-376 Part 1 §17.8.1: the
// first 32 bytes are XORed with the key's 16 bytes, taken from the GUID's
// hex digits read from the end.
func obfuscate(font []byte, guid string) []byte {
	hex := strings.NewReplacer("{", "", "}", "", "-", "").Replace(guid)
	var key [16]byte
	for i := range key {
		fmt.Sscanf(hex[30-2*i:32-2*i], "%02X", &key[i])
	}
	out := append([]byte(nil), font...)
	for i := 0; i < min(32, len(out)); i++ {
		out[i] ^= key[i%16]
	}
	return out
}

// embedded writes the w:embedRegular of face, if a font was embedded for
// it. Relationship ids rIdF1… are those of fontTableRels.
func (w *writer) embedded(face string) {
	for i, e := range w.embeds {
		if e.face == face {
			w.s(`<w:embedRegular r:id="rIdF`)
			w.s(fmt.Sprint(i + 1))
			w.s(`" w:fontKey="`)
			w.s(e.key)
			w.s(`"/>`)
		}
	}
}

func (w *writer) fontTableRels() error {
	w.s(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := range w.embeds {
		n := fmt.Sprint(i + 1)
		w.s(`<Relationship Id="rIdF` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="fonts/font` + n + `.odttf"/>`)
	}
	w.s(`</Relationships>`)
	return nil
}
