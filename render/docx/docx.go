package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"hash/crc32"
	"io"
	"slices"
	"sync"
	"time"

	"gongwen/render"
)

// Options configure the DOCX backend. The zero value is ready to use.
type Options struct {
	// Faces maps a font role (render.Role*) to the face name written to
	// w:rFonts w:eastAsia, i.e. the official face the recipient's Word
	// should use. Roles missing here take DefaultFaces. Font choice is
	// configuration: a deployment naming other faces sets them here.
	Faces map[string]string
	// LatinFace is written to w:ascii, w:hAnsi and w:cs; "" means
	// Times New Roman.
	LatinFace string
	// CellPaddingMM is the left and right padding inside table cells; 0
	// means DefaultCellPaddingMM. Word's own 1.9 mm would squeeze table C's
	// 10.4 mm columns to one character per line.
	CellPaddingMM float64
	// EmbedFonts, when set, supplies fonts embedded in the document for
	// the faces it names (subsets of the substitutes the PDF uses), so
	// LibreOffice on a machine without the official faces sets the text
	// in them rather than in a sans fallback. nil embeds nothing.
	EmbedFonts FontEmbedder
}

// DefaultCellPaddingMM (2 pt) and the 2.5 pt above and below a cell's text
// are the cell padding of the PDF backend (render/layout), so rows are as
// tall and cells wrap alike in both outputs.
const (
	DefaultCellPaddingMM = 2 * 25.4 / 72
	cellPaddingYPt       = 2.5
)

// DefaultLatinFace sets digits and Latin letters, as in Word's own
// 公文 templates.
const DefaultLatinFace = "Times New Roman"

// DefaultFaces returns the official face for each font role (a fresh map
// the caller may change).
func DefaultFaces() map[string]string {
	return map[string]string{
		render.RoleTitle:       "方正小标宋简体",
		render.RoleBody:        "仿宋_GB2312",
		render.RoleHeading1:    "黑体",
		render.RoleHeading2:    "楷体_GB2312",
		render.RoleTable:       "宋体",
		render.RoleTableHeader: "黑体",
		render.RolePageNumber:  "宋体",
	}
}

var defaultFaces = DefaultFaces()

// ErrDocument wraps every error caused by the document model handed to
// Render (unknown style, overlapping table cells, text XML cannot carry):
// a bug in the template or the validator, not in the output machinery.
var ErrDocument = errors.New("docx: document cannot be written")

// zipTime is the modification time of every archive entry: the content
// carries the document date (core properties), the archive must not carry
// the wall clock, or the same input would not give the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Render writes doc as a WordprocessingML package (.docx). The same
// document and options always give the same bytes. On error nothing is
// returned: there is never a partial or corrupt file. Errors wrap
// ErrDocument and name the block, table cell or style concerned; text XML
// cannot carry also yields an *InvalidCharError (errors.As) with its offset.
// Render is safe for concurrent use.
func Render(doc *render.Document, opts Options) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("%w: nil document", ErrDocument)
	}
	w, err := newWriter(doc, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if w.packing != nil { // an error before the fonts were stored
			_ = w.packing.Finish()
		}
	}()
	// The part buffer grows to the size of document.xml (~100 KB for the
	// annual report); reusing it saves most of a render's allocation.
	w.part = partBuffers.Get().(*bytes.Buffer)
	defer partBuffers.Put(w.part)
	// Sized for the parts and the fonts (compressed to about three
	// quarters at most), so that the archive is not grown and copied
	// several times on its way to 200 KB.
	size := 48 << 10
	for _, e := range w.embeds {
		size += e.size * 3 / 4
	}
	var out bytes.Buffer
	out.Grow(size)
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, newPooledDeflater)
	part := w.part
	for _, p := range parts {
		part.Reset()
		if err := p.write(w); err != nil {
			return nil, err
		}
		if w.err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrDocument, p.name, w.err)
		}
		// The font table names each embedded font's key, derived from a
		// subset of this document's characters: shared only without.
		if p.shared && (len(w.embeds) == 0 || p.name != "word/fontTable.xml") {
			if err := storeShared(zw, p.name, part.Bytes()); err != nil {
				return nil, err
			}
			continue
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return nil, fmt.Errorf("docx: %s: %w", p.name, err)
		}
		if _, err := f.Write(part.Bytes()); err != nil {
			return nil, fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	if w.packing != nil {
		if err := w.packing.Finish(); err != nil {
			return nil, fmt.Errorf("docx: embedding a font: %w", err)
		}
		w.packing = nil
	}
	if len(w.embeds) > 0 {
		part.Reset()
		_ = w.fontTableRels()
		if err := store(zw, "word/_rels/fontTable.xml.rels", part.Bytes()); err != nil {
			return nil, err
		}
		for i, e := range w.embeds {
			if err := storePacked(zw, fmt.Sprintf("word/fonts/font%d.odttf", i+1), e.packedFont); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return out.Bytes(), nil
}

func store(zw *zip.Writer, name string, data []byte) error {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	return nil
}

var partBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// parts lists the package parts in the order they are stored. The
// content-types part comes first, as Office writes it; the order is fixed so
// that output is byte-identical across runs.
//
// Shared parts are the same for every document of a template (with or
// without embedded fonts): stored from sharedParts, compressed once.
var parts = []struct {
	name   string
	write  func(*writer) error
	shared bool
}{
	{"[Content_Types].xml", (*writer).contentTypes, true},
	{"_rels/.rels", (*writer).packageRels, true},
	{"docProps/core.xml", (*writer).coreProps, false},
	{"docProps/app.xml", (*writer).appProps, false},
	{"word/document.xml", (*writer).document, false},
	{"word/styles.xml", (*writer).styles, true},
	{"word/settings.xml", (*writer).settings, true},
	{"word/fontTable.xml", (*writer).fontTable, true},
	{"word/footer1.xml", (*writer).footerOdd, true},
	{"word/footer2.xml", (*writer).footerEven, true},
	{"word/_rels/document.xml.rels", (*writer).documentRels, true},
}

// sharedParts holds the compressed form of shared parts by their text:
// each is compressed once per process, not once per document. Without
// embedded fonts, compressing them was about a fifth of a new report's
// DOCX (each part a deflate stream with its own Huffman tables). A part's
// text decides its bytes, so a hit stores exactly what compressing it
// again would. Bounded: past maxSharedParts (templates × font choices ×
// page-number formats), a new text is compressed as any other part.
var sharedParts = struct {
	sync.RWMutex
	m map[string]*compressedPart // indexed by string(part): no copy on a hit
}{m: map[string]*compressedPart{}}

const maxSharedParts = 512

type compressedPart struct {
	deflated []byte
	crc      uint32
	size     int
}

// storeShared writes a shared part, compressed as CreateHeader would
// compress it, into the archive with the same headers CreateHeader
// writes (rawHeader), so that the archive's bytes do not depend on
// whether the part was found.
func storeShared(zw *zip.Writer, name string, data []byte) error {
	sharedParts.RLock()
	c := sharedParts.m[string(data)]
	sharedParts.RUnlock()
	if c == nil {
		var buf bytes.Buffer
		d, err := newPooledDeflater(&buf)
		if err == nil {
			_, err = d.Write(data)
			if cerr := d.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("docx: %s: %w", name, err)
		}
		c = &compressedPart{deflated: buf.Bytes(), crc: crc32.ChecksumIEEE(data), size: len(data)}
		sharedParts.Lock()
		if len(sharedParts.m) < maxSharedParts {
			sharedParts.m[string(data)] = c
		}
		sharedParts.Unlock()
	}
	fh := rawHeader()
	fh.Name, fh.CRC32 = name, c.crc
	fh.CompressedSize64, fh.UncompressedSize64 = uint64(len(c.deflated)), uint64(c.size)
	fh.Extra = slices.Clone(fh.Extra)
	f, err := zw.CreateRaw(&fh)
	if err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	if _, err := f.Write(c.deflated); err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	return nil
}

// rawHeader is the header CreateHeader makes of a deflated part (flags
// with the data descriptor, versions, DOS time, the extended timestamp),
// taken from CreateHeader itself.
var rawHeader = sync.OnceValue(func() zip.FileHeader {
	fh := &zip.FileHeader{Name: "part.xml", Method: zip.Deflate, Modified: zipTime}
	zw := zip.NewWriter(io.Discard)
	if _, err := zw.CreateHeader(fh); err != nil {
		panic("docx: zip header: " + err.Error())
	}
	return *fh
})

// Deflate at BestSpeed: the parts are small and repetitive, so the archive
// is barely larger than at the default level while compression drops from
// most of the render time to a fraction of it. klauspost's deflate, as the
// font programs use: at level 1 it made the example's parts 0.6 KB smaller
// than the standard library's BestSpeed for 0.5–0.7 ms less CPU per
// document (of a new report's 4.5–5 ms). Compressors are pooled because
// each one allocates tables far larger than a document.
var deflaters sync.Pool

type pooledDeflater struct{ *flate.Writer }

func newPooledDeflater(w io.Writer) (io.WriteCloser, error) {
	if d, ok := deflaters.Get().(*pooledDeflater); ok {
		d.Reset(w)
		return d, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	return &pooledDeflater{fw}, nil
}

func (d *pooledDeflater) Close() error {
	err := d.Writer.Close()
	deflaters.Put(d)
	return err
}

// Length conversions. Word measures page geometry in twentieths of a point
// (twips), font sizes in half-points and character spacing in twips too.
const twipsPerMM = 1440 / 25.4

func mmToTwips(mm float64) int { return roundInt(mm * twipsPerMM) }
func ptToTwips(pt float64) int { return roundInt(pt * 20) }

func roundInt(f float64) int {
	if f < 0 {
		return -int(-f + 0.5)
	}
	return int(f + 0.5)
}
