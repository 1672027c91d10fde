package fonts

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A one-shot `gongwen render` spent a third of its CPU converting the CFF
// glyphs of its first subsets to TrueType (37 ms of ~137 ms for the
// example, plus 8 ms parsing the CFF tables), work that gives the same
// result in every process. With a glyph cache directory (UseGlyphCache;
// the command line uses the user cache directory) each CFF face's
// converted glyphs are kept in one file there, opened at the face's first
// subset and rewritten (SaveGlyphCache) when a process converted glyphs
// the file lacked. `gongwen fonts warm` fills the files ahead (warmup.go).
//
// A file is named by a hash of the face's file path, size, modification
// time and index and of glyphCacheVersion, so a changed font or converter
// never reads old glyphs. It is written to a temporary file and renamed
// into place, so concurrent processes each see a whole file, some
// process's.
//
// A warmed file holds ~7,600 glyphs (1.7–4 MB) of which a document uses a
// few hundred. Reading and decoding a whole file cost 2–7 ms per face
// (0.25–0.9 ms per 1,000 glyphs), 23 ms of CPU per cold render for the
// five faces of the default roles, more than the conversions it saved.
// So a file is mapped (read where mapping is unsupported), only its index
// is checked when it is opened, and a glyph is decoded on its first use:
// the index has its own CRC-32C and so does each record, so a damaged
// index makes the file ignored and a damaged record makes that glyph
// converted again (both are replaced at the next save).

// glyphCacheVersion changes whenever converted glyphs, or the file, would
// differ. 4: indexed records, each with its own checksum.
const glyphCacheVersion = 4

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

// diskGlyphs is the disk cache state of one face. file and index are set
// once, under the glyph cache's lock.
type diskGlyphs struct {
	once   sync.Once
	path   string
	file   []byte // the whole cache file, mapped or read; nil if absent or damaged
	mapped bool   // file is a mapping, unmapped by Book.Close
	n      int    // records in file
	dirty  bool   // glyphs were converted that the file lacks
}

// loadGlyphs opens the face's cache file and checks its index, once.
func (f *Face) loadGlyphs(dir string) {
	d := &f.glyphs.disk
	d.once.Do(func() {
		c := &f.glyphs
		if !f.cff || f.load() != nil {
			return
		}
		path := f.glyphCachePath(dir)
		var data []byte
		mapped := false
		if path != "" {
			data, mapped = readCacheFile(path)
		}
		n, err := checkGlyphIndex(data)
		if err != nil && mapped {
			_ = unmapFile(data)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		d.path = path
		c.diskUsed = path != ""
		if err == nil {
			d.file, d.mapped, d.n = data, mapped, n
		}
	})
}

// readCacheFile maps the file, or reads it where mapping is unsupported;
// nil if it cannot be read.
func readCacheFile(path string) (data []byte, mapped bool) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	if data, err := mapFile(fh); err == nil {
		return data, true
	}
	data, err = io.ReadAll(fh)
	if err != nil {
		return nil, false
	}
	return data, false
}

// cachedGlyph decodes glyph gid from the face's cache file, nil if the
// file lacks it or its record is damaged; a decoded glyph joins the map.
func (f *Face) cachedGlyph(gid uint16) *glyphRecord {
	c := &f.glyphs
	// The read lock is held while the mapping is read: Book.Close unmaps
	// it under the write lock, and reading an unmapped file is a fault no
	// recover catches. Decoding copies the record out (about a µs).
	c.mu.RLock()
	data, n := c.disk.file, c.disk.n
	if data == nil || int(gid) >= f.m.numGlyphs {
		c.mu.RUnlock()
		return nil
	}
	rec := findGlyphRecord(data, n, gid)
	var g *glyphRecord
	var err error
	if rec != nil {
		g, err = decodeGlyphRecord(rec)
	}
	c.mu.RUnlock()
	if rec == nil || err != nil {
		return nil // a damaged record is converted again, and replaced at the next save
	}
	g.advance = uint16(f.m.advance(gid))
	c.mu.Lock()
	defer c.mu.Unlock()
	g, _ = c.insert(gid, g, false) // already in the file
	return g
}

// closeGlyphCache unmaps the faces' cache files (Book.Close).
func (b *Book) closeGlyphCache() error {
	var errs []error
	for _, f := range b.faces {
		c := &f.glyphs
		c.mu.Lock()
		if c.disk.mapped {
			errs = append(errs, unmapFile(c.disk.file))
		}
		c.disk.file, c.disk.mapped, c.disk.n = nil, false, 0
		c.mu.Unlock()
	}
	return errors.Join(errs...)
}

func (f *Face) saveGlyphs(dir string) error {
	c := &f.glyphs
	// Encoded and marked clean in one critical section: a glyph converted
	// while the file is written marks it dirty again for the next save.
	c.mu.Lock()
	d := &c.disk
	if !c.diskUsed || !d.dirty || d.path == "" {
		c.mu.Unlock()
		return nil
	}
	data := encodeGlyphs(c.m, d.file, d.n)
	d.dirty = false
	c.mu.Unlock()
	failed := func(err error) error {
		c.mu.Lock()
		d.dirty = true
		c.mu.Unlock()
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return failed(err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return failed(err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return failed(err)
	}
	if err := os.Rename(tmp.Name(), d.path); err != nil {
		os.Remove(tmp.Name())
		return failed(err)
	}
	return nil
}

// The file:
//
//	magic (8 bytes), record count n (4)
//	index: per record in glyph id order, id (2) and offset in the file (4)
//	file length (4), CRC-32C of all the above (4)
//	records: lsb, xMin, yMin, xMax, yMax, points, contours, data length
//	  (2 bytes each), the data, CRC-32C of the record before it (4)
//
// A record ends where the next begins (the last at the file's end). Only
// CFF faces' glyphs are cached: they are simple glyphs (no components),
// and copying a TrueType glyph costs no more than reading it back.
const (
	glyphFileHeader = 12
	glyphIndexEntry = 6
	glyphHeader     = 16
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeGlyphs writes the glyphs of m and those of the old file (n
// records) that m lacks, copied as they are if their checksum holds.
func encodeGlyphs(m map[uint16]*glyphRecord, old []byte, n int) []byte {
	type entry struct {
		id  uint16
		g   *glyphRecord
		raw []byte
	}
	entries := make([]entry, 0, len(m)+n)
	for id, g := range m {
		entries = append(entries, entry{id: id, g: g})
	}
	for i := range n {
		id, rec := glyphRecordAt(old, n, i)
		if m[id] == nil && rec != nil && recordIntact(rec) {
			entries = append(entries, entry{id: id, raw: rec})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(a.id) - int(b.id) })
	size := glyphFileHeader + glyphIndexEntry*len(entries) + 8
	for _, e := range entries {
		if e.raw != nil {
			size += len(e.raw)
		} else {
			size += glyphHeader + len(e.g.data) + 4
		}
	}
	out := make([]byte, 0, size)
	out = append(out, glyphCacheMagic[:]...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(entries)))
	off := glyphFileHeader + glyphIndexEntry*len(entries) + 8
	for _, e := range entries {
		out = binary.BigEndian.AppendUint16(out, e.id)
		out = binary.BigEndian.AppendUint32(out, uint32(off))
		if e.raw != nil {
			off += len(e.raw)
		} else {
			off += glyphHeader + len(e.g.data) + 4
		}
	}
	out = binary.BigEndian.AppendUint32(out, uint32(size))
	out = binary.BigEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	for _, e := range entries {
		if e.raw != nil {
			out = append(out, e.raw...)
			continue
		}
		g := e.g
		start := len(out)
		for _, v := range []uint16{uint16(g.lsb), uint16(g.xMin), uint16(g.yMin), uint16(g.xMax), uint16(g.yMax),
			uint16(g.points), uint16(g.contours), uint16(len(g.data))} {
			out = binary.BigEndian.AppendUint16(out, v)
		}
		out = append(out, g.data...)
		out = binary.BigEndian.AppendUint32(out, crc32.Checksum(out[start:], castagnoli))
	}
	return out
}

// checkGlyphIndex checks a file's magic, length and index checksum and
// returns its record count. Records are checked when decoded.
func checkGlyphIndex(data []byte) (int, error) {
	if len(data) < glyphFileHeader+8 || [8]byte(data[:8]) != glyphCacheMagic {
		return 0, errors.New("not a glyph cache file of this version")
	}
	n := int(binary.BigEndian.Uint32(data[8:]))
	end := glyphFileHeader + glyphIndexEntry*n
	if n > 1<<16 || end+8 > len(data) {
		return 0, errors.New("index truncated")
	}
	if crc32.Checksum(data[:end+4], castagnoli) != binary.BigEndian.Uint32(data[end+4:]) {
		return 0, errors.New("index checksum mismatch")
	}
	if int(binary.BigEndian.Uint32(data[end:])) != len(data) {
		return 0, errors.New("file length differs from the index's: " + strconv.Itoa(len(data)))
	}
	return n, nil
}

// glyphRecordAt returns the id and the bytes of record i, nil bytes if
// its offsets do not make sense.
func glyphRecordAt(data []byte, n, i int) (uint16, []byte) {
	p := glyphFileHeader + glyphIndexEntry*i
	id := binary.BigEndian.Uint16(data[p:])
	start := int(binary.BigEndian.Uint32(data[p+2:]))
	end := len(data)
	if i+1 < n {
		end = int(binary.BigEndian.Uint32(data[p+glyphIndexEntry+2:]))
	}
	if start < glyphFileHeader+glyphIndexEntry*n+8 || end > len(data) || end-start < glyphHeader+4 {
		return id, nil
	}
	return id, data[start:end:end]
}

// findGlyphRecord finds gid's record by binary search of the index.
func findGlyphRecord(data []byte, n int, gid uint16) []byte {
	i, found := sort.Find(n, func(i int) int {
		return int(gid) - int(binary.BigEndian.Uint16(data[glyphFileHeader+glyphIndexEntry*i:]))
	})
	if !found {
		return nil
	}
	_, rec := glyphRecordAt(data, n, i)
	return rec
}

func recordIntact(rec []byte) bool {
	body := rec[:len(rec)-4]
	return int(binary.BigEndian.Uint16(body[14:]))+glyphHeader == len(body) &&
		crc32.Checksum(body, castagnoli) == binary.BigEndian.Uint32(rec[len(rec)-4:])
}

// decodeGlyphRecord checks a record and copies it out of the file (which
// may be a mapping, unmapped at Close).
func decodeGlyphRecord(rec []byte) (*glyphRecord, error) {
	if !recordIntact(rec) {
		return nil, errors.New("damaged glyph record")
	}
	v := func(i int) int16 { return int16(binary.BigEndian.Uint16(rec[2*i:])) }
	g := &glyphRecord{lsb: v(0), xMin: v(1), yMin: v(2), xMax: v(3), yMax: v(4),
		points: int(uint16(v(5))), contours: int(uint16(v(6)))}
	if l := int(uint16(v(7))); l > 0 {
		g.data = slices.Clone(rec[glyphHeader : glyphHeader+l])
	}
	return g, nil
}

// decodeGlyphs decodes every record of a file (tests and tools).
func decodeGlyphs(data []byte) (map[uint16]*glyphRecord, error) {
	n, err := checkGlyphIndex(data)
	if err != nil {
		return nil, err
	}
	m := make(map[uint16]*glyphRecord, n)
	for i := range n {
		id, rec := glyphRecordAt(data, n, i)
		if rec == nil {
			return nil, fmt.Errorf("record %d: bad offsets", i)
		}
		g, err := decodeGlyphRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("record %d (glyph %d): %w", i, id, err)
		}
		m[id] = g
	}
	return m, nil
}

// PruneGlyphCache removes from dir the cache files of other converter
// versions (this binary never reads them: a gongwen upgrade leaves a whole
// warmed set, ~15 MB, behind) and temporary files older than an hour (a
// process killed while saving). Files of this version stay, whatever font
// they belong to. It returns the files removed and their bytes.
func PruneGlyphCache(dir string) (files int, bytes int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, 0, nil
		}
		return 0, 0, err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		info, ierr := e.Info()
		if ierr != nil || !info.Mode().IsRegular() {
			continue
		}
		path := filepath.Join(dir, name)
		stale := false
		switch {
		case strings.HasPrefix(name, ".tmp-"):
			stale = time.Since(info.ModTime()) > time.Hour
		case strings.HasSuffix(name, ".glyphs"):
			var magic [8]byte
			if fh, oerr := os.Open(path); oerr == nil {
				_, rerr := io.ReadFull(fh, magic[:])
				fh.Close()
				stale = rerr == nil && string(magic[:7]) == string(glyphCacheMagic[:7]) && magic != glyphCacheMagic
			}
		}
		if !stale {
			continue
		}
		if rerr := os.Remove(path); rerr != nil {
			errs = append(errs, rerr)
			continue
		}
		files++
		bytes += info.Size()
	}
	return files, bytes, errors.Join(errs...)
}
