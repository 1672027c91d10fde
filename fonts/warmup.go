package fonts

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
	"unicode"

	"github.com/go-text/typesetting/font/cff"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Converting a CFF glyph to TrueType costs about 0.13 ms of CPU (see
// doc.go), once per machine thanks to the glyph cache (diskcache.go). A
// process that meets glyphs the cache lacks pays for them before its first
// byte: every render on a fresh machine or container, ~100 ms for the
// example. WarmGlyphs does that work ahead, once per machine (`gongwen
// fonts warm`, run by setup and the image build), for the characters
// documents use (WarmupChars plus the templates' text), so a one-shot
// render reads every glyph it needs from the cache.

// WarmupChars is the character set converted ahead: all of GB 2312 (the
// 6,763 hanzi and the 682 symbols of rows 1–9: punctuation, digits in
// circles and brackets, Roman numerals, Greek, Cyrillic, kana, pinyin,
// box drawing), printable ASCII, General Punctuation (dashes, quotes,
// ellipsis, ‰), CJK Symbols and Punctuation, and the fullwidth forms.
// Callers add the templates' text.
var WarmupChars = sync.OnceValue(func() string {
	var out []rune
	for r := rune(0x20); r <= 0x7E; r++ {
		out = append(out, r)
	}
	out = append(out, gb2312Symbols()...)
	out = append(out, gb2312Hanzi()...)
	for _, rg := range [][2]rune{{0x2010, 0x205E}, {0x3000, 0x303F}, {0xFF01, 0xFF60}, {0xFFE0, 0xFFE6}} {
		for r := rg[0]; r <= rg[1]; r++ {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return string(slices.Compact(out))
})

// gb2312Symbols lists the 682 non-hanzi characters of GB 2312 (rows 1–9),
// decoded from their EUC-CN bytes. GBK, whose decoder this is, adds a few
// characters in these rows (vertical forms of row 6, pinyin of row 8) and
// maps the unassigned cells to private use; the additions are kept (they
// cost a glyph each), private use is not.
func gb2312Symbols() []rune {
	dec := simplifiedchinese.GBK.NewDecoder()
	var out []rune
	for hi := 0xA1; hi <= 0xA9; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			r := []rune(string(s))
			if len(r) != 1 || r[0] == 0xFFFD || unicode.Is(unicode.Co, r[0]) {
				continue
			}
			out = append(out, r[0])
		}
	}
	return out
}

// WarmFace is what WarmGlyphs did for one face.
type WarmFace struct {
	Face      *Face
	Glyphs    int // distinct glyphs the text needs in this face
	Cached    int // of them, already converted (in memory or the cache file)
	Converted int // converted now
}

// WarmReport sums up a WarmGlyphs call.
type WarmReport struct {
	Faces   []WarmFace // CFF faces some role sets a character of the text in
	Workers int
	Elapsed time.Duration // conversion and saving, after the book was read
}

// Converted is the number of glyphs converted by the call.
func (r *WarmReport) Converted() int {
	n := 0
	for _, f := range r.Faces {
		n += f.Converted
	}
	return n
}

// WarmGlyphs converts now every glyph some role of the book would set a
// character of text in (the first face of the role's chain having it, as
// Segment picks) that neither memory nor the glyph cache holds, on
// `workers` goroutines (≤ 0: GOMAXPROCS), and writes the cache files
// (SaveGlyphCache). Only CFF faces are converted: TrueType glyphs are
// copied at subset time for no more than reading them back. Each worker
// parses its own copy of a face's CFF table (the interpreter keeps state),
// so one face's glyphs are converted in parallel; a glyph's conversion
// does not depend on which copy did it, so the output is the same.
func (b *Book) WarmGlyphs(text string, workers int) (*WarmReport, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	roles := make([]string, 0, len(b.chains))
	for role := range b.chains {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	runes := []rune(text)
	slices.Sort(runes)
	runes = slices.Compact(runes)

	want := map[*Face]map[uint16]bool{}
	var order []*Face
	var errs []error
	for _, role := range roles {
		chain, err := b.Chain(role)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, r := range runes {
			f := pick(chain, r)
			if f == nil || !f.cff {
				continue
			}
			if want[f] == nil {
				want[f] = map[uint16]bool{0: true} // every subset has .notdef
				order = append(order, f)
			}
			want[f][f.glyphIndex(r)] = true
		}
	}

	t0 := time.Now()
	dir := b.glyphCacheDir()
	rep := &WarmReport{Workers: workers}
	type job struct {
		face *Face
		gids []uint16
	}
	var jobs []job
	for _, f := range order {
		if dir != "" {
			f.loadGlyphs(dir)
		}
		wf := WarmFace{Face: f, Glyphs: len(want[f])}
		var missing []uint16
		c := &f.glyphs
		c.mu.RLock()
		for gid := range want[f] {
			if c.m[gid] != nil {
				wf.Cached++
			} else if rec := findGlyphRecord(c.disk.file, c.disk.n, gid); rec != nil && recordIntact(rec) {
				wf.Cached++
			} else {
				missing = append(missing, gid)
			}
		}
		c.mu.RUnlock()
		slices.Sort(missing)
		// Chunks small enough that both workers finish together, large
		// enough that handing them out costs nothing.
		for len(missing) > 0 {
			n := min(len(missing), 64)
			jobs = append(jobs, job{f, missing[:n]})
			missing = missing[n:]
		}
		rep.Faces = append(rep.Faces, wf)
	}

	var (
		mu   sync.Mutex
		next int
		done = map[*Face]int{}
		wg   sync.WaitGroup
	)
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			parsed := map[*Face]*cff.CFF{} // this worker's interpreters
			for {
				mu.Lock()
				if next == len(jobs) {
					mu.Unlock()
					return
				}
				j := jobs[next]
				next++
				mu.Unlock()
				n, err := j.face.warmGlyphs(parsed, j.gids)
				mu.Lock()
				done[j.face] += n
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i := range rep.Faces {
		rep.Faces[i].Converted = done[rep.Faces[i].Face]
	}
	if err := b.SaveGlyphCache(); err != nil {
		errs = append(errs, err)
	}
	rep.Elapsed = time.Since(t0)
	return rep, errors.Join(errs...)
}

// warmGlyphs converts gids with this worker's own interpreter of f's CFF
// table and adds them to f's glyphs; it returns how many it added.
func (f *Face) warmGlyphs(parsed map[*Face]*cff.CFF, gids []uint16) (n int, err error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	cf := parsed[f]
	if cf == nil {
		if cf, err = f.parseCFF(); err != nil {
			return 0, err
		}
		parsed[f] = cf
	}
	recs := make([]*glyphRecord, len(gids))
	for i, gid := range gids {
		if int(gid) >= f.m.numGlyphs {
			return 0, fmt.Errorf("%s glyph %d out of range", f.fullName, gid)
		}
		g, err := f.convertCFFSafely(cf, gid)
		if err != nil {
			return 0, fmt.Errorf("%s glyph %d: %w", f.fullName, gid, err)
		}
		g.advance = uint16(f.m.advance(gid))
		recs[i] = g
	}
	c := &f.glyphs
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, gid := range gids {
		if _, added := c.insert(gid, recs[i], true); added {
			n++
		}
	}
	c.converted.Add(int64(n))
	return n, nil
}

// parseCFF parses f's CFF table into an interpreter of its own. The
// interpreter is third-party code reading files from disk: a panic on a
// damaged font becomes an error naming the font.
func (f *Face) parseCFF() (cf *cff.CFF, err error) {
	defer func() {
		if p := recover(); p != nil {
			cf, err = nil, fmt.Errorf("damaged font %s: %v", f.file.path, p)
		}
	}()
	if _, err := f.file.open(); err != nil {
		return nil, err
	}
	data, err := f.file.table(f.dir, "CFF ")
	if err != nil {
		return nil, err
	}
	if cf, err = cff.Parse(data); err != nil {
		return nil, fmt.Errorf("parsing CFF of %s: %w", f.file.path, err)
	}
	return cf, nil
}

func (f *Face) convertCFFSafely(cf *cff.CFF, gid uint16) (g *glyphRecord, err error) {
	defer func() {
		if p := recover(); p != nil {
			g, err = nil, fmt.Errorf("damaged glyph: %v", p)
		}
	}()
	return f.convertCFF(cf, gid)
}

// GlyphsConverted is the number of glyphs this book converted from CFF
// outlines so far (not read from memory or the glyph cache): zero for a
// render whose glyphs were all warmed ahead.
func (b *Book) GlyphsConverted() int64 {
	var n int64
	for _, f := range b.faces {
		n += f.glyphs.converted.Load()
	}
	return n
}
