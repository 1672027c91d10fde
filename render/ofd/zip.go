package ofd

import (
	"archive/zip"
	"bytes"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// dosDate1980 is every entry's timestamp, 1980-01-01 00:00 in MS-DOS form
// (no extended timestamp field): a package is a function of its document,
// not of when it was written.
const dosDate1980 = 1<<5 | 1

// writeZip writes files in order, deflated. Font programs are compressed
// once per process (a Subset is immutable and the font book hands the same
// one to the next render of the same characters) and copied in raw.
func writeZip(files []file) ([]byte, error) {
	size := 0
	for _, f := range files {
		size += len(f.data) / 3
		if f.font != nil {
			size += len(f.font.TTF) * 3 / 4
		}
	}
	var buf bytes.Buffer
	buf.Grow(size + 16<<10)
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, newPooledDeflater)
	for _, f := range files {
		if f.font != nil {
			// Compressed once per subset, shared with the PDF and DOCX writers.
			block, tail, crc := f.font.RawDeflate(nil)
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate1980,
				CRC32: crc, CompressedSize64: uint64(len(block) + len(tail)), UncompressedSize64: uint64(len(f.font.TTF)),
			})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(block); err != nil {
				return nil, err
			}
			if _, err := w.Write(tail); err != nil {
				return nil, err
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate1980})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// deflaters compress the XML parts. Level 1 is the PDF's choice for its
// content streams too: the XML is repetitive enough that higher levels gain
// a few percent for several times the time.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// pooledDeflater returns its flate.Writer to the pool when closed.
type pooledDeflater struct{ *flate.Writer }

func newPooledDeflater(out io.Writer) (io.WriteCloser, error) {
	fw := deflaters.Get().(*flate.Writer)
	fw.Reset(out)
	return pooledDeflater{fw}, nil
}

func (p pooledDeflater) Close() error {
	err := p.Writer.Close()
	deflaters.Put(p.Writer)
	return err
}
