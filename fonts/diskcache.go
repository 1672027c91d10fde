package fonts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
)

// A one-shot `gongwen render` spent a third of its CPU converting the CFF
// glyphs of its first subsets to TrueType (37 ms of ~137 ms for the
// example, plus 8 ms parsing the CFF tables), work that gives the same
// result in every process. With a glyph cache directory (UseGlyphCache;
// the command line uses the user cache directory) each CFF face's
// converted glyphs are kept in one file there, read at the face's first
// subset and rewritten (SaveGlyphCache) when a process converted glyphs
// the file lacked.
//
// A file is named by a hash of the face's file path, size, modification
// time and index and of glyphCacheVersion, so a changed font or converter
// never reads old glyphs. It ends in a CRC-32C of everything before it:
// a torn or damaged file is ignored (and replaced at the next save). It is
// written to a temporary file and renamed into place, so concurrent
// processes each see a whole file, some process's.

// glyphCacheVersion changes whenever converted glyphs would differ.
const glyphCacheVersion = 3

var glyphCacheMagic = [8]byte{'g', 'w', 'g', 'l', 'y', 'p', 'h', glyphCacheVersion}

// UseGlyphCache keeps converted glyphs in dir (created if missing) from
// now on; "" turns the cache off. Call it before the first subset.
func (b *Book) UseGlyphCache(dir string) {
	b.mu.Lock()
	b.glyphDir = dir
	b.mu.Unlock()
}

// EnvGlyphCache names the glyph cache directory; "off" turns it off.
const EnvGlyphCache = "GONGWEN_GLYPH_CACHE"

// DefaultGlyphCacheDir is $GONGWEN_GLYPH_CACHE ("" for "off"), else the
// user cache directory's gongwen/glyphs (~/.cache/gongwen/glyphs), or ""
// when the system has none.
func DefaultGlyphCacheDir() string {
	if v := os.Getenv(EnvGlyphCache); v != "" {
		if v == "off" {
			return ""
		}
		return v
	}
	d, err := os.UserCacheDir()
	if err != nil || d == "" {
		return ""
	}
	return filepath.Join(d, "gongwen", "glyphs")
}

func (b *Book) glyphCacheDir() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.glyphDir
}

// SaveGlyphCache writes the file of every face that converted glyphs its
// file did not have. Errors are returned for the log; the cache is an
// optimisation and a failed save changes no output.
func (b *Book) SaveGlyphCache() error {
	dir := b.glyphCacheDir()
	if dir == "" {
		return nil
	}
	var errs []error
	for _, f := range b.faces {
		if err := f.saveGlyphs(dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// glyphCachePath names the cache file of f, "" if its font file cannot be
// read.
func (f *Face) glyphCachePath(dir string) string {
	st, err := os.Stat(f.file.path)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%d\x00%d\x00%d", glyphCacheVersion, f.file.path, st.Size(), st.ModTime().UnixNano(), f.index)
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil)[:16])+".glyphs")
}

// diskGlyphs is the disk cache state of one face.
type diskGlyphs struct {
	once   sync.Once
	path   string
	loaded int // glyphs the file had
	dirty  bool
}

// loadGlyphs fills the face's glyph map from its cache file, once.
func (f *Face) loadGlyphs(dir string) {
	d := &f.glyphs.disk
	d.once.Do(func() {
		c := &f.glyphs
		defer func() {
			c.mu.Lock()
			c.diskUsed = d.path != ""
			c.mu.Unlock()
		}()
		if !f.cff || f.load() != nil {
			return
		}
		d.path = f.glyphCachePath(dir)
		if d.path == "" {
			return
		}
		data, err := os.ReadFile(d.path)
		if err != nil {
			return
		}
		recs, err := decodeGlyphs(data)
		if err != nil {
			return // damaged or foreign: ignored, replaced at the next save
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[uint16]*glyphRecord{}
		}
		for gid, g := range recs {
			if int(gid) < f.m.numGlyphs && c.m[gid] == nil {
				g.advance = uint16(f.m.advance(gid))
				c.m[gid] = g
			}
		}
		d.loaded = len(recs)
		c.mu.Unlock()
	})
}

func (f *Face) saveGlyphs(dir string) error {
	c := &f.glyphs
	c.mu.RLock()
	d := &c.disk
	if !c.diskUsed || !d.dirty || d.path == "" || len(c.m) <= d.loaded {
		c.mu.RUnlock()
		return nil
	}
	data := encodeGlyphs(c.m)
	n := len(c.m)
	c.mu.RUnlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), d.path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	c.mu.Lock()
	d.loaded, d.dirty = n, false
	c.mu.Unlock()
	return nil
}

// The file: magic (8 bytes), glyph count (4), then per glyph in id order:
// id, lsb, xMin, yMin, xMax, yMax, points, contours, data length (2 bytes
// each) and the data; then the CRC-32C of all that (4). Only CFF faces'
// glyphs are cached: they are simple glyphs (no components), and copying
// a TrueType glyph costs no more than reading it back.
const glyphHeader = 18

func encodeGlyphs(m map[uint16]*glyphRecord) []byte {
	ids := make([]uint16, 0, len(m))
	size := 12 + 4
	for id, g := range m {
		ids = append(ids, id)
		size += glyphHeader + len(g.data)
	}
	slices.Sort(ids)
	out := make([]byte, 0, size)
	out = append(out, glyphCacheMagic[:]...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(ids)))
	for _, id := range ids {
		g := m[id]
		for _, v := range []uint16{id, uint16(g.lsb), uint16(g.xMin), uint16(g.yMin), uint16(g.xMax), uint16(g.yMax),
			uint16(g.points), uint16(g.contours), uint16(len(g.data))} {
			out = binary.BigEndian.AppendUint16(out, v)
		}
		out = append(out, g.data...)
	}
	return binary.BigEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func decodeGlyphs(data []byte) (map[uint16]*glyphRecord, error) {
	if len(data) < 16 || [8]byte(data[:8]) != glyphCacheMagic {
		return nil, errors.New("not a glyph cache file of this version")
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(data[len(data)-4:]) {
		return nil, errors.New("checksum mismatch")
	}
	n := int(binary.BigEndian.Uint32(body[8:]))
	p := 12
	m := make(map[uint16]*glyphRecord, n)
	for range n {
		if p+glyphHeader > len(body) {
			return nil, errors.New("truncated")
		}
		v := func(i int) uint16 { return binary.BigEndian.Uint16(body[p+2*i:]) }
		l := int(v(8))
		if p+glyphHeader+l > len(body) {
			return nil, errors.New("truncated")
		}
		g := &glyphRecord{lsb: int16(v(1)), xMin: int16(v(2)), yMin: int16(v(3)), xMax: int16(v(4)), yMax: int16(v(5)),
			points: int(v(6)), contours: int(v(7))}
		if l > 0 {
			g.data = body[p+glyphHeader : p+glyphHeader+l : p+glyphHeader+l]
		}
		m[v(0)] = g
		p += glyphHeader + l
	}
	if p != len(body) {
		return nil, errors.New("trailing bytes: " + strconv.Itoa(len(body)-p))
	}
	return m, nil
}
