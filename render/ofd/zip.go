package ofd

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"sync"

	"gongwen/fonts"
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
		size += len(f.data)
	}
	var buf bytes.Buffer
	buf.Grow(size/3 + 64<<10)
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, newPooledDeflater)
	for _, f := range files {
		if f.font != nil {
			c := compressedFonts.get(f.font)
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate1980,
				CRC32: c.crc, CompressedSize64: uint64(len(c.data)), UncompressedSize64: uint64(len(f.font.TTF)),
			})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(c.data); err != nil {
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

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression)
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

// compressedFont is a font program deflated once.
type compressedFont struct {
	crc  uint32
	data []byte
}

type fontCache struct {
	mu    sync.Mutex
	m     map[*fonts.Subset]*compressedFont
	bytes int
}

// maxFontCacheBytes bounds the compressed fonts kept; past it the cache
// starts over, like the font book's subset cache it follows.
const maxFontCacheBytes = 16 << 20

var compressedFonts fontCache

func (c *fontCache) get(s *fonts.Subset) *compressedFont {
	c.mu.Lock()
	cf := c.m[s]
	c.mu.Unlock()
	if cf != nil {
		return cf
	}
	var buf bytes.Buffer
	buf.Grow(len(s.TTF) / 2)
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(s.TTF)
	fw.Close()
	cf = &compressedFont{crc: crc32.ChecksumIEEE(s.TTF), data: buf.Bytes()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+len(cf.data) > maxFontCacheBytes {
		c.m, c.bytes = map[*fonts.Subset]*compressedFont{}, 0
	}
	if prev := c.m[s]; prev != nil {
		return prev
	}
	c.m[s] = cf
	c.bytes += len(cf.data)
	return cf
}
