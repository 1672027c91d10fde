package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Book is the set of fonts found on this machine, indexed by name, with the
// role chains of a configuration resolved. It is safe for concurrent use.
// Opening a book reads only table directories and name tables; a face's
// cmap, metrics and outlines are read on its first use.
type Book struct {
	cfg    Config
	faces  []*Face            // every face found, in discovery order
	byName map[string][]*Face // normalized name -> faces
	chains map[string][]*Face // role -> configured faces found (not yet loaded)
	files  []*fontFile

	mu     sync.Mutex
	loaded map[string][]*Face // role -> faces that loaded, cached by Chain
	broken map[*Face]error    // faces whose tables could not be read

	subsets  subsetCache // recent documents' subsets, see subsetcache.go
	glyphDir string      // converted glyphs kept on disk, see diskcache.go
}

// Open indexes the fonts of cfg.Dirs and (unless cfg.NoSystemDirs) the
// system directories and resolves the role chains. A role whose families are
// all absent is not an error here; Chain reports it.
func Open(cfg Config) (*Book, error) {
	b := &Book{cfg: cfg, byName: map[string][]*Face{}, chains: map[string][]*Face{}, loaded: map[string][]*Face{}, broken: map[*Face]error{}}
	dirs := append([]string(nil), cfg.Dirs...)
	if !cfg.NoSystemDirs {
		dirs = append(dirs, SystemDirs()...)
	}
	seenFile := map[string]bool{}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable or missing directories are simply empty
			}
			if d.IsDir() || !isFontFile(path) {
				return nil
			}
			id, ok := fileID(path)
			if !ok || seenFile[id] {
				return nil // unreadable, or a file already indexed by another name
			}
			seenFile[id] = true
			b.indexFile(path)
			return nil
		})
	}
	for role := range cfg.Roles {
		names, _ := cfg.chainNames(role)
		var chain []*Face
		seen := map[*Face]bool{}
		for _, n := range names {
			if f := b.Lookup(n); f != nil && !seen[f] {
				seen[f] = true
				chain = append(chain, f)
			}
		}
		b.chains[role] = chain
	}
	return b, nil
}

var (
	defaultMu   sync.Mutex
	defaultBook *Book
	defaultErr  error
)

// Default returns the process-wide book built from DefaultConfig, opening it
// on first call.
func Default() (*Book, error) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultBook == nil && defaultErr == nil {
		cfg, err := DefaultConfig()
		if err != nil {
			defaultErr = err
		} else {
			defaultBook, defaultErr = Open(cfg)
		}
	}
	return defaultBook, defaultErr
}

// SetDefault makes b the book Default returns, e.g. one opened from a
// configuration named by a command-line flag. Call it before any Default.
func SetDefault(b *Book) {
	defaultMu.Lock()
	defaultBook, defaultErr = b, nil
	defaultMu.Unlock()
}

// fileIDByPath names the file path leads to by its path with symbolic
// links resolved.
func fileIDByPath(path string) (string, bool) {
	real, err := filepath.EvalSymlinks(path)
	return "path:" + real, err == nil
}

func isFontFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ttf", ".otf", ".ttc", ".otc":
		return true
	}
	return false
}

// indexFile adds every face of one file; unreadable files are skipped.
func (b *Book) indexFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	offs, err := faceOffsets(f)
	if err != nil {
		return
	}
	ff := &fontFile{path: path}
	for i, off := range offs {
		dir, err := readDirectory(f, off)
		if err != nil || !dir.has("cmap") || !dir.has("head") || !dir.has("hmtx") {
			continue
		}
		if !dir.has("glyf") && !dir.has("CFF ") {
			continue // bitmap-only or CFF2 faces cannot be embedded by us
		}
		nameTab, err := readTable(f, dir, "name")
		if err != nil {
			continue
		}
		face := &Face{file: ff, index: i, dir: dir, cff: dir.version == tagOTTO || !dir.has("glyf"), weight: 400, allowPUA: b.cfg.AllowPrivateUse}
		if os2, ok := dir.tables["OS/2"]; ok && os2.length >= 10 {
			var buf [64]byte
			n := min(int(os2.length), len(buf))
			if _, err := f.ReadAt(buf[:n], int64(os2.offset)); err == nil {
				face.restricted = fsTypeRestricted(binary.BigEndian.Uint16(buf[8:]))
				if n == len(buf) {
					face.weight = int(binary.BigEndian.Uint16(buf[4:]))
					face.italic = binary.BigEndian.Uint16(buf[62:])&1 != 0
				}
			}
		}
		face.setNames(parseNames(nameTab, faceNameIDs...))
		if face.family == "" {
			continue
		}
		b.faces = append(b.faces, face)
		for _, k := range face.keys {
			b.byName[k] = append(b.byName[k], face)
		}
	}
	b.files = append(b.files, ff)
}

// Lookup finds the face a configured name means: an exact full name,
// PostScript name or "family style" wins; a bare family name picks its most
// regular face (weight nearest 400, upright). Nil if nothing matches.
func (b *Book) Lookup(name string) *Face {
	k := normalizeName(name)
	cands := b.byName[k]
	if len(cands) == 0 {
		return nil
	}
	var best *Face
	bestScore := 1 << 30
	for _, f := range cands {
		score := 0
		if !f.exact[k] {
			score = 10000 + abs(f.weight-400)
			if f.italic {
				score += 1000
			}
		}
		if score < bestScore {
			best, bestScore = f, score
		}
	}
	return best
}

// Faces returns every face found, in discovery order.
func (b *Book) Faces() []*Face { return append([]*Face(nil), b.faces...) }

// Config returns the configuration the book was opened with.
func (b *Book) Config() Config { return b.cfg }

// OfficialName is the official face of a role (e.g. "仿宋_GB2312" for body),
// the name a DOCX file should ask for; "" for an unknown role.
func (b *Book) OfficialName(role string) string { return b.cfg.Official[role] }

// ErrUnknownRole is returned (wrapped) for a role the configuration lacks.
var ErrUnknownRole = errors.New("unknown font role")

// Chain returns the faces of a role that are installed and whose licence
// allows embedding, in order of preference, the first of them read. It
// errors for an unknown role or when no configured face of the role can be
// read. The faces after the first are read on first use (Segment asks them
// only for characters the faces before lack; most documents never need a
// fallback face, and reading one's cmap and metrics is 0.3–4 ms); one that
// then cannot be read covers nothing.
func (b *Book) Chain(role string) ([]*Face, error) {
	b.mu.Lock()
	if c, ok := b.loaded[role]; ok {
		b.mu.Unlock()
		return c, nil
	}
	b.mu.Unlock()
	cands, ok := b.chains[role]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownRole, role)
	}
	var chain []*Face
	var errs []error
	for _, f := range cands {
		if f.restricted {
			// Its licence forbids embedding (or subsetting) it in a PDF;
			// the DOCX backend still names it through OfficialName.
			errs = append(errs, fmt.Errorf("%s: the font's licence (OS/2 fsType) forbids embedding it", f))
			continue
		}
		if len(chain) == 0 {
			if err := f.load(); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		chain = append(chain, f)
	}
	if len(chain) == 0 {
		names, _ := b.cfg.chainNames(role)
		return nil, fmt.Errorf("no font for role %q is installed (looked for %s; run scripts/setup-fonts.sh or set %s): %w",
			role, strings.Join(names, ", "), EnvDirs, errors.Join(errs...))
	}
	b.mu.Lock()
	b.loaded[role] = chain
	b.mu.Unlock()
	return chain, nil
}

// Warm reads the cmap and metrics of every face of every role now (and
// their glyph cache files, with UseGlyphCache), so the first request does
// not pay for it (a server calls it at start, perhaps in a goroutine). The error lists every role without a usable face.
func (b *Book) Warm() error { return b.warm(false) }

// WarmFirst is Warm for the first face of each role only: what a one-shot
// command needs unless a character sends it to a fallback face.
func (b *Book) WarmFirst() error { return b.warm(true) }

func (b *Book) warm(firstOnly bool) error {
	var errs []error
	roles := make([]string, 0, len(b.chains))
	for role := range b.chains {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	dir := b.glyphCacheDir()
	for _, role := range roles {
		chain, err := b.Chain(role)
		if err != nil {
			errs = append(errs, err)
		}
		if firstOnly && len(chain) > 1 {
			chain = chain[:1]
		}
		for _, f := range chain {
			_ = f.load() // one that cannot be read covers nothing
			if dir != "" {
				f.loadGlyphs(dir) // converted glyphs from disk, see diskcache.go
			}
		}
	}
	return errors.Join(errs...)
}

// Close releases the open font files. The book must not be used afterwards.
func (b *Book) Close() error {
	var errs []error
	for _, ff := range b.files {
		ff.mu.Lock()
		if ff.f != nil {
			errs = append(errs, ff.f.Close())
			ff.f = nil
		}
		if ff.mapped != nil {
			errs = append(errs, unmapFile(ff.mapped))
			ff.mapped = nil
		}
		ff.mu.Unlock()
	}
	errs = append(errs, b.closeGlyphCache())
	return errors.Join(errs...)
}

// fontFile is a font file opened on first use and kept open: its faces read
// glyphs from it with ReadAt, which is safe for concurrent use.
type fontFile struct {
	path   string
	mu     sync.Mutex
	f      *os.File
	mapped []byte // whole file mapped read-only, once a CFF face needs outlines
	mapErr error
}

// table returns the bytes of a table, from the file mapping when the
// platform has one (no copy), else read into memory.
func (ff *fontFile) table(d *faceDirectory, tag string) ([]byte, error) {
	r, err := ff.open()
	if err != nil {
		return nil, err
	}
	ff.mu.Lock()
	if ff.mapped == nil && ff.mapErr == nil {
		ff.mapped, ff.mapErr = mapFile(r)
	}
	data := ff.mapped
	ff.mu.Unlock()
	rec, ok := d.tables[tag]
	if data != nil && ok && uint64(rec.offset)+uint64(rec.length) <= uint64(len(data)) {
		return data[rec.offset : rec.offset+rec.length : rec.offset+rec.length], nil
	}
	return readTable(r, d, tag)
}

func (ff *fontFile) open() (*os.File, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	if ff.f == nil {
		f, err := os.Open(ff.path)
		if err != nil {
			return nil, err
		}
		ff.f = f
	}
	return ff.f, nil
}

// setNames picks display names and builds the lookup keys of a face.
// faceNameIDs are the name table entries setNames reads: family (1),
// subfamily (2), full name (4), PostScript name (6), typographic family
// (16) and subfamily (17).
var faceNameIDs = []uint16{1, 2, 4, 6, 16, 17}

func (f *Face) setNames(recs []nameRecord) {
	pick := func(id uint16) (en, zh string, all []string) {
		for _, r := range recs {
			if r.id != id {
				continue
			}
			all = append(all, r.text)
			switch {
			case r.lang == 0x409 && en == "":
				en = r.text
			case (r.lang == 0x804 || r.lang == 0x404 || r.lang == 0x1004 || r.lang == 0xC04) && zh == "":
				zh = r.text
			}
		}
		if en == "" && len(all) > 0 {
			en = all[0]
		}
		return
	}
	fam, famZh, fams := pick(1)
	sub, _, subs := pick(2)
	full, _, fulls := pick(4)
	ps, _, pss := pick(6)
	tfam, tfamZh, tfams := pick(16)
	tsub, _, tsubs := pick(17)
	// The same name recurs on every platform and in many languages; the
	// keys below combine every family with every style, so each distinct
	// one once (the keys are a set: order does not matter).
	fams, subs, tfams, tsubs = distinct(fams), distinct(subs), distinct(tfams), distinct(tsubs)
	f.family = fam
	if tfam != "" {
		f.family = tfam
	}
	f.familyZh = famZh
	if tfamZh != "" {
		f.familyZh = tfamZh
	}
	f.style = sub
	if tsub != "" {
		f.style = tsub
	}
	f.fullName = full
	if f.fullName == "" {
		f.fullName = strings.TrimSpace(f.family + " " + f.style)
	}
	f.psName = ps

	f.exact = map[string]bool{}
	keys := map[string]bool{}
	add := func(s string, exact bool) {
		k := normalizeName(s)
		if k == "" {
			return
		}
		keys[k] = true
		if exact {
			f.exact[k] = true
		}
	}
	for _, s := range fulls {
		add(s, true)
	}
	for _, s := range pss {
		add(s, true)
	}
	for _, fm := range fams {
		add(fm, false)
		for _, s := range subs {
			add(fm+" "+s, true)
		}
	}
	for _, fm := range tfams {
		add(fm, false)
		for _, s := range tsubs {
			add(fm+" "+s, true)
		}
	}
	// A face named only "Family" with style "Regular" is the exact answer
	// to the bare family name too.
	if strings.EqualFold(f.style, "Regular") || f.style == "" {
		for _, fm := range append(fams, tfams...) {
			f.exact[normalizeName(fm)] = true
		}
	}
	for k := range keys {
		f.keys = append(f.keys, k)
	}
	sort.Strings(f.keys)
}

// distinct is ss without repeats, sorted.
func distinct(ss []string) []string {
	ss = slices.Clone(ss)
	slices.Sort(ss)
	return slices.Compact(ss)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
