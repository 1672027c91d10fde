package pdf

import (
	"bytes"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// Streams a render writes (page content, ToUnicode maps, CIDSets,
// attachments) are compressed at the fastest level: they are written once.
// Font programs are compressed by fonts.Subset.Packed, once per subset.

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	return w
}}

// deflate appends data to dst as a zlib stream.
func deflate(dst *bytes.Buffer, data []byte) { deflateParts(dst, data) }

// deflateParts appends the concatenation of parts to dst as one zlib
// stream.
func deflateParts(dst *bytes.Buffer, parts ...[]byte) {
	w := zlibPool.Get().(*zlib.Writer)
	w.Reset(dst)
	for _, p := range parts {
		w.Write(p)
	}
	w.Close()
	zlibPool.Put(w)
}
