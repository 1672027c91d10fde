package fonts

import (
	"encoding/binary"
	"fmt"
	"sync"
)

// Face is one face of a font file (a collection holds several). Its names
// come from the index; its cmap and metrics are read on first use. Methods
// are safe for concurrent use.
type Face struct {
	file     *fontFile
	index    int
	dir      *faceDirectory
	cff      bool
	allowPUA bool // Config.AllowPrivateUse of the book
	weight   int
	italic   bool
	// restricted: the licence bits (OS/2 fsType) forbid embedding, read
	// when the book is indexed so that Chain need not load the face.
	restricted bool

	family, familyZh, style, fullName, psName string
	keys                                      []string        // normalized lookup names
	exact                                     map[string]bool // keys naming exactly this face

	once    sync.Once
	loadErr error
	m       *faceMetrics

	glyphs glyphCache // converted glyphs, shared by every document
}

// faceMetrics holds what measuring and subsetting need, read in one go.
type faceMetrics struct {
	unitsPerEm       int
	ascent, descent  int // hhea, descent negative
	lineGap          int
	numGlyphs        int
	numHMetrics      int
	hmtx             []byte // raw hmtx (advance, lsb pairs then lsbs)
	cov              *coverage
	head, hhea, os2  []byte
	post, nameTab    []byte
	fsTypeRestricted bool
	notices          map[uint16]string // copyright (0), licence URL (14)
}

func (f *Face) load() error {
	f.once.Do(func() {
		f.m, f.loadErr = f.readMetrics()
		if f.loadErr != nil {
			f.loadErr = fmt.Errorf("font %s (face %d): %w", f.file.path, f.index, f.loadErr)
		}
	})
	return f.loadErr
}

// fsTypeRestricted reads OS/2 fsType: a restricted licence, or no
// subsetting allowed, forbids embedding.
func fsTypeRestricted(fsType uint16) bool { return fsType&0x000F == 0x0002 || fsType&0x0300 != 0 }

func (f *Face) readMetrics() (*faceMetrics, error) {
	r, err := f.file.open()
	if err != nil {
		return nil, err
	}
	m := &faceMetrics{}
	tabs := map[string]*[]byte{"head": &m.head, "hhea": &m.hhea, "maxp": nil, "hmtx": &m.hmtx, "cmap": nil, "OS/2": &m.os2, "post": &m.post, "name": &m.nameTab}
	var maxp, cmap []byte
	for tag, dst := range tabs {
		if tag == "OS/2" && !f.dir.has(tag) {
			continue
		}
		data, err := readTable(r, f.dir, tag)
		if err != nil {
			if tag == "post" || tag == "name" {
				continue
			}
			return nil, err
		}
		switch tag {
		case "maxp":
			maxp = data
		case "cmap":
			cmap = data
		default:
			*dst = data
		}
	}
	if len(m.head) < 54 || len(m.hhea) < 36 || len(maxp) < 6 {
		return nil, fmt.Errorf("truncated head, hhea or maxp table")
	}
	m.unitsPerEm = int(binary.BigEndian.Uint16(m.head[18:]))
	if m.unitsPerEm < 16 || m.unitsPerEm > 16384 {
		return nil, fmt.Errorf("unitsPerEm %d", m.unitsPerEm)
	}
	m.ascent = int(i16(m.hhea, 4))
	m.descent = int(i16(m.hhea, 6))
	if m.descent > 0 { // some fonts (FandolSong) store it positive
		m.descent = -m.descent
	}
	m.lineGap = int(i16(m.hhea, 8))
	m.numHMetrics = int(u16(m.hhea, 34))
	m.numGlyphs = int(u16(maxp, 4))
	if m.numHMetrics == 0 || m.numHMetrics > m.numGlyphs || len(m.hmtx) < 4*m.numHMetrics {
		return nil, fmt.Errorf("bad hmtx (%d metrics, %d glyphs, %d bytes)", m.numHMetrics, m.numGlyphs, len(m.hmtx))
	}
	if len(m.os2) >= 10 {
		m.fsTypeRestricted = fsTypeRestricted(u16(m.os2, 8))
	}
	m.notices = map[uint16]string{}
	// Copyright (0) and licence URL (14): subsets keep them.
	for _, r := range parseNames(m.nameTab, 0, 14) {
		if r.lang == 0x409 || m.notices[r.id] == "" {
			m.notices[r.id] = r.text
		}
	}
	m.cov, err = parseCmap(cmap, m.numGlyphs)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Family is the face's family name (typographic family when the font has
// one), in English when the name table has English.
func (f *Face) Family() string { return f.family }

// FamilyZh is the Chinese family name, "" if the font has none.
func (f *Face) FamilyZh() string { return f.familyZh }

// Style is the subfamily, e.g. "Regular", "Bold", "Black".
func (f *Face) Style() string { return f.style }

// FullName is the full face name, e.g. "Noto Serif CJK SC Bold".
func (f *Face) FullName() string { return f.fullName }

// PostScriptName is the face's PostScript name ("" if absent).
func (f *Face) PostScriptName() string { return f.psName }

// File is the path of the font file holding the face.
func (f *Face) File() string { return f.file.path }

// Index is the face's index in its file (0 for a single font).
func (f *Face) Index() int { return f.index }

// IsCFF reports whether the face has PostScript (CFF) outlines, which the
// subset builder converts to TrueType.
func (f *Face) IsCFF() bool { return f.cff }

// Weight is the OS/2 weight class (400 regular, 700 bold).
func (f *Face) Weight() int { return f.weight }

// DisplayName is family and style, e.g. "FandolFang Regular" (some fonts'
// full names are abbreviated, like FandolFang's "FandolFang R").
func (f *Face) DisplayName() string {
	if f.style == "" {
		return f.family
	}
	return f.family + " " + f.style
}

func (f *Face) String() string {
	return fmt.Sprintf("%s (%s#%d)", f.DisplayName(), f.file.path, f.index)
}

// Load reads the face's cmap and metrics now instead of on first use and
// reports why a face is unusable.
func (f *Face) Load() error { return f.load() }

// Embeddable reports whether the font's licence bits (OS/2 fsType) allow
// embedding a subset of it in a PDF. Chains leave out faces that do not.
func (f *Face) Embeddable() bool {
	return f.load() == nil && !f.m.fsTypeRestricted
}

// UnitsPerEm is the size of the em square in font units (0 if the face
// cannot be read).
func (f *Face) UnitsPerEm() int {
	if f.load() != nil {
		return 0
	}
	return f.m.unitsPerEm
}

// Metrics returns the hhea ascender and descender in font units, as the
// font stores them: ascent above the baseline is positive, descent below the
// baseline is NEGATIVE (e.g. 880, -120 for a 1000-unit em); a font that
// stores a positive descender is normalized to negative.
func (f *Face) Metrics() (ascent, descent int) {
	if f.load() != nil {
		return 0, 0
	}
	return f.m.ascent, f.m.descent
}

// LineGap is the hhea line gap in font units.
func (f *Face) LineGap() int {
	if f.load() != nil {
		return 0
	}
	return f.m.lineGap
}

// HasRune reports whether the face maps r to a glyph.
func (f *Face) HasRune(r rune) bool { return f.glyphIndex(r) != 0 }

// Coverage is the number of code points the face maps.
func (f *Face) Coverage() int {
	if f.load() != nil {
		return 0
	}
	return f.m.cov.count
}

func (f *Face) glyphIndex(r rune) uint16 {
	if f.load() != nil || (!f.allowPUA && isPrivateUse(r)) {
		return 0
	}
	return f.m.cov.glyph(r)
}

// Advance is the horizontal advance of r in font units, 0 if the face lacks
// r. The subset fonts carry exactly these advances.
func (f *Face) Advance(r rune) int {
	g := f.glyphIndex(r)
	if g == 0 {
		return 0
	}
	return f.m.advance(g)
}

func (m *faceMetrics) advance(g uint16) int {
	i := int(g)
	if i >= m.numHMetrics {
		i = m.numHMetrics - 1
	}
	return int(binary.BigEndian.Uint16(m.hmtx[4*i:]))
}

func (m *faceMetrics) lsb(g uint16) int {
	i := int(g)
	if i < m.numHMetrics {
		return int(int16(binary.BigEndian.Uint16(m.hmtx[4*i+2:])))
	}
	p := 4*m.numHMetrics + 2*(i-m.numHMetrics)
	return int(i16(m.hmtx, p))
}

func isPrivateUse(r rune) bool {
	return (r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000
}
