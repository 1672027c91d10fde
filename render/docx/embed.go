package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"

	"gongwen/render"
)

// FontEmbedder returns the font program (TrueType or OpenType) to embed for
// the face named face, holding the glyphs of text (every character the
// document sets in that face), or nil to embed nothing for it. It is how a
// caller with a font book puts its substitutes for the official faces into
// the DOCX: the package itself knows no font files.
type FontEmbedder func(face, text string) ([]byte, error)

// embeddedFont is one font program stored obfuscated in word/fonts.
type embeddedFont struct {
	face string
	*packedFont
}

// packedFont is a font obfuscated and deflated, ready for the archive.
// Fonts are most of an embedding DOCX's bytes and its compression most of
// its time (24 ms for the example's 313 KB), and the same subsets come
// back with every render of similar reports, so they are packed once.
type packedFont struct {
	key        string // w:fontKey, a GUID derived from the font's bytes
	crc        uint32 // of the obfuscated font
	size       int    // obfuscated (= original) length
	compressed []byte // raw deflate of the obfuscated font
}

// packedFonts caches packed fonts by the SHA-256 of the font; it is
// emptied when it reaches packedFontsMax entries.
var packedFonts struct {
	sync.Mutex
	m map[[32]byte]*packedFont
}

const packedFontsMax = 256

func pack(font []byte) (*packedFont, error) {
	sum := sha256.Sum256(font)
	packedFonts.Lock()
	p := packedFonts.m[sum]
	packedFonts.Unlock()
	if p != nil {
		return p, nil
	}
	key := fmt.Sprintf("{%X-%X-%X-%X-%X}", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	data := obfuscate(font, key)
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	p = &packedFont{key: key, crc: crc32.ChecksumIEEE(data), size: len(data), compressed: buf.Bytes()}
	packedFonts.Lock()
	if packedFonts.m == nil || len(packedFonts.m) >= packedFontsMax {
		packedFonts.m = map[[32]byte]*packedFont{}
	}
	packedFonts.m[sum] = p
	packedFonts.Unlock()
	return p, nil
}

// storePacked writes a packed font into the archive as it is.
func storePacked(zw *zip.Writer, name string, p *packedFont) error {
	f, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, Modified: zipTime,
		CRC32: p.crc, CompressedSize64: uint64(len(p.compressed)), UncompressedSize64: uint64(p.size),
	})
	if err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	if _, err := f.Write(p.compressed); err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
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
		if len(font) < 32 {
			continue
		}
		p, err := pack(font)
		if err != nil {
			return fmt.Errorf("docx: embedding a font for %s: %w", face, err)
		}
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
	for i := 0; i < 32; i++ {
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
