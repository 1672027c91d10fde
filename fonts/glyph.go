package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/go-text/typesetting/font/cff"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
)

// glyphRecord is one glyph ready for a subset's glyf table: TrueType
// outlines without hinting instructions, with the source's advance.
type glyphRecord struct {
	data       []byte   // glyf entry; empty for a glyph without outline (space)
	advance    uint16   // font units, copied from the source hmtx
	lsb        int16    // left side bearing (xMin, or the source's for empty glyphs)
	xMin, xMax int16    // bounding box, for head and hhea
	yMin, yMax int16    //
	points     int      // simple glyph: number of points
	contours   int      // simple glyph: number of contours
	components []uint16 // composite glyph: source glyph ids referenced
	compAt     []int    // offsets in data of each component's glyph id
}

// glyphCache holds a face's glyphs converted for subset fonts. Conversion
// happens once per glyph per process; documents after the first only copy.
type glyphCache struct {
	mu      sync.RWMutex
	m       map[uint16]*glyphRecord
	srcOnce sync.Once
	srcErr  error
	convMu  sync.Mutex // serializes conversions (the CFF interpreter state)
	cff     *cff.CFF   // parsed CFF table (kept in memory once the face is subset)
	loca    []uint32   // TrueType: glyph offsets within glyf
	glyf    tableRecord

	disk     diskGlyphs // the face's file in the glyph cache directory
	diskUsed bool       // the file was read: save what it lacks

	converted atomic.Int64 // CFF glyphs converted (not found in memory or on disk)
}

// glyph returns the subset-ready form of source glyph gid.
func (f *Face) glyph(gid uint16) (*glyphRecord, error) {
	c := &f.glyphs
	c.mu.RLock()
	g := c.m[gid]
	c.mu.RUnlock()
	if g != nil {
		return g, nil
	}
	if g := f.cachedGlyph(gid); g != nil {
		return g, nil // decoded from the cache file, see diskcache.go
	}
	if err := f.load(); err != nil {
		return nil, err
	}
	if int(gid) >= f.m.numGlyphs {
		return nil, fmt.Errorf("glyph %d out of range", gid)
	}
	c.srcOnce.Do(func() { c.srcErr = f.openOutlines() })
	if c.srcErr != nil {
		return nil, c.srcErr
	}
	g, err := f.convert(gid)
	if err != nil {
		return nil, fmt.Errorf("%s glyph %d: %w", f.fullName, gid, err)
	}
	if f.cff {
		c.converted.Add(1)
	}
	g.advance = uint16(f.m.advance(gid))
	c.mu.Lock()
	g, _ = c.insert(gid, g, true)
	c.mu.Unlock()
	return g, nil
}

// insert keeps g as glyph gid unless another goroutine got there first
// (that one is returned, added false); a glyph new to the cache file marks
// it dirty. c.mu must be held for writing.
func (c *glyphCache) insert(gid uint16, g *glyphRecord, newToFile bool) (kept *glyphRecord, added bool) {
	if c.m == nil {
		c.m = map[uint16]*glyphRecord{}
	}
	if prev := c.m[gid]; prev != nil {
		return prev, false
	}
	c.m[gid] = g
	if newToFile {
		c.disk.dirty = true
	}
	return g, true
}

// convert turns one source glyph into its subset form. The CFF interpreter
// is third-party code reading files from disk: a panic on a damaged font
// becomes an error naming the font instead of taking the server down.
func (f *Face) convert(gid uint16) (g *glyphRecord, err error) {
	c := &f.glyphs
	c.convMu.Lock()
	defer c.convMu.Unlock()
	if f.cff {
		return f.convertCFFSafely(c.cff, gid)
	}
	defer func() {
		if p := recover(); p != nil {
			g, err = nil, fmt.Errorf("damaged glyph: %v", p)
		}
	}()
	return f.copyTrueType(gid)
}

func (f *Face) openOutlines() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("damaged font %s: %v", f.file.path, p)
		}
	}()
	r, err := f.file.open()
	if err != nil {
		return err
	}
	c := &f.glyphs
	if f.cff {
		// x/image's sfnt lacks the flex operators Fandol uses; go-text's
		// CFF interpreter has them all.
		c.cff, err = f.parseCFF()
		return err
	}
	loca, err := readTable(r, f.dir, "loca")
	if err != nil {
		return err
	}
	long := u16(f.m.head, 50) == 1
	n := f.m.numGlyphs + 1
	c.loca = make([]uint32, n)
	for i := range n {
		switch {
		case long && 4*i+4 <= len(loca):
			c.loca[i] = binary.BigEndian.Uint32(loca[4*i:])
		case !long && 2*i+2 <= len(loca):
			c.loca[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		default:
			return errors.New("loca table shorter than maxp says")
		}
	}
	var ok bool
	if c.glyf, ok = f.dir.tables["glyf"]; !ok {
		return errors.New("no glyf table")
	}
	return nil
}

// Composite glyph flags (OpenType glyf table).
const (
	argsAreWords     = 0x0001
	weHaveScale      = 0x0008
	moreComponents   = 0x0020
	weHaveXYScale    = 0x0040
	weHaveTwoByTwo   = 0x0080
	weHaveInstrucion = 0x0100
)

// copyTrueType copies a glyf entry, dropping its hinting instructions: the
// subset carries no fpgm/prep/cvt for them to call.
func (f *Face) copyTrueType(gid uint16) (*glyphRecord, error) {
	c := &f.glyphs
	start, end := c.loca[gid], c.loca[gid+1]
	g := &glyphRecord{lsb: int16(f.m.lsb(gid))}
	if end <= start {
		return g, nil // empty glyph
	}
	if end > c.glyf.length || end-start > 1<<20 {
		return nil, errors.New("glyph outside the glyf table")
	}
	data := make([]byte, end-start)
	r, err := f.file.open()
	if err != nil {
		return nil, err
	}
	if _, err := r.ReadAt(data, int64(c.glyf.offset+start)); err != nil {
		return nil, err
	}
	if len(data) < 10 {
		return nil, errors.New("glyph header truncated")
	}
	n := int(int16(binary.BigEndian.Uint16(data)))
	g.xMin, g.yMin, g.xMax, g.yMax = i16(data, 2), i16(data, 4), i16(data, 6), i16(data, 8)
	g.lsb = g.xMin
	if n >= 0 {
		p := 10 + 2*n
		if p+2 > len(data) {
			return nil, errors.New("simple glyph truncated")
		}
		if n > 0 {
			g.points = int(u16(data, p-2)) + 1
		}
		g.contours = n
		ilen := int(u16(data, p))
		if p+2+ilen > len(data) {
			return nil, errors.New("glyph instructions truncated")
		}
		out := make([]byte, 0, len(data)-ilen)
		out = append(out, data[:p]...)
		out = append(out, 0, 0)
		out = append(out, data[p+2+ilen:]...)
		g.data = out
		return g, nil
	}
	p := 10
	for {
		if p+4 > len(data) {
			return nil, errors.New("composite glyph truncated")
		}
		flags := u16(data, p)
		g.components = append(g.components, u16(data, p+2))
		g.compAt = append(g.compAt, p+2)
		last := p
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&weHaveScale != 0:
			p += 2
		case flags&weHaveXYScale != 0:
			p += 4
		case flags&weHaveTwoByTwo != 0:
			p += 8
		}
		if p > len(data) {
			return nil, errors.New("composite glyph truncated")
		}
		if flags&moreComponents == 0 {
			binary.BigEndian.PutUint16(data[last:], flags&^weHaveInstrucion)
			g.data = data[:p]
			return g, nil
		}
	}
}

// cubicTolerance bounds, in font units, how far a quadratic approximation
// may stray from the cubic before its points are rounded to integers.
// Rounding moves each point at most √½ unit, so the glyph stays within
// 1.2 + 0.71 < 2 units of the original (see doc.go for why 2 units).
const cubicTolerance = 1.2

// convertCFF loads a CFF glyph with the interpreter cf (one goroutine at
// a time per interpreter: it keeps state) and rewrites it as a TrueType
// glyph.
func (f *Face) convertCFF(cf *cff.CFF, gid uint16) (*glyphRecord, error) {
	segs, _, err := cf.LoadGlyph(tables.GlyphID(gid))
	if err != nil {
		return nil, err
	}
	g := encodeSimpleGlyph(quadContours(segs, cubicTolerance))
	if g.data == nil {
		g.lsb = int16(f.m.lsb(gid))
	}
	return g, nil
}

// qpoint is a point of a TrueType contour.
type qpoint struct {
	x, y    float64
	on      bool
	implied bool // on-curve point left out of the glyph: the midpoint of its off-curve neighbours
}

// quadContours converts outline segments (font units, y up) into closed
// contours of on- and off-curve points (not yet rounded), in TrueType
// orientation (outer contours clockwise). Each contour starts on an
// explicit on-curve point.
func quadContours(segs []ot.Segment, tol float64) [][]qpoint {
	conv := convertOutline(segs, tol)
	out := make([][]qpoint, len(conv))
	// CFF draws outer contours counter-clockwise, TrueType clockwise:
	// reverse every contour, keeping its first point first.
	for k, cc := range conv {
		c := cc.pts
		for i, j := 1, len(c)-1; i < j; i, j = i+1, j-1 {
			c[i], c[j] = c[j], c[i]
		}
		out[k] = c
	}
	return out
}

// quadContour is a converted contour in CFF orientation, with the piece
// of an original cubic each off-curve point controls.
type quadContour struct {
	pts    []qpoint
	refs   []pieceRef // one per point
	cubics [][4][2]float64
	cubicN []int // the number of pieces each cubic was first split into
}

// convertOutline converts outline segments to quadContours: each cubic
// by appendCubicTT, then the joins between pieces left implied where the
// bound allows (implyJoins), each contour starting on an explicit point,
// then neighbouring pieces merged into one where the bound allows
// (mergePieces).
func convertOutline(segs []ot.Segment, tol float64) []quadContour {
	var out []quadContour
	var cur []qpoint
	var refs []pieceRef
	var cubics [][4][2]float64
	var cubicN []int
	pt := func(p ot.SegmentPoint) (float64, float64) { return float64(p.X), float64(p.Y) }
	flush := func() {
		if len(cur) > 1 {
			// CFF closes contours implicitly; the interpreter may repeat the start.
			if l := cur[len(cur)-1]; l.on && l.x == cur[0].x && l.y == cur[0].y {
				cur, refs = cur[:len(cur)-1], refs[:len(refs)-1]
			}
		}
		if len(cur) >= 2 {
			implyJoins(cur, refs, cubics)
			cur, refs = startOnExplicit(cur, refs)
			c := quadContour{cur, refs, cubics, cubicN}
			c.mergePieces()
			out = append(out, c)
		}
		cur, refs, cubics, cubicN = nil, nil, nil, nil
	}
	noPiece := pieceRef{cubic: -1}
	for _, s := range segs {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			flush()
			x, y := pt(s.Args[0])
			cur = append(cur, qpoint{x: x, y: y, on: true})
			refs = append(refs, noPiece)
		case ot.SegmentOpLineTo:
			x, y := pt(s.Args[0])
			cur = append(cur, qpoint{x: x, y: y, on: true})
			refs = append(refs, noPiece)
		case ot.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x, y := pt(s.Args[1])
			cur = append(cur, qpoint{x: x1, y: y1}, qpoint{x: x, y: y, on: true})
			refs = append(refs, noPiece, noPiece)
		case ot.SegmentOpCubeTo:
			if len(cur) == 0 {
				continue
			}
			p0 := cur[len(cur)-1]
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			p := [4][2]float64{{p0.x, p0.y}, {x1, y1}, {x2, y2}, {x3, y3}}
			before := len(cur)
			cur = appendCubicTT(cur, p, tol)
			n := (len(cur) - before) / 2
			for k := range n {
				refs = append(refs, pieceRef{cubic: len(cubics), n: n, k: k, count: 1}, noPiece)
			}
			cubics = append(cubics, p)
			cubicN = append(cubicN, n)
		}
	}
	flush()
	return out
}

// pieceRef names what an off-curve point controls: piece k of the n
// equal-parameter pieces of the contour's cubic number cubic (-1: a
// segment that was no cubic) and, after mergePieces, the count-1 pieces
// that follow it along the contour.
type pieceRef struct {
	cubic int
	n, k  int
	count int
}

// span is one original piece: piece k of the n of cubic p.
type span struct {
	p    *[4][2]float64
	n, k int
}

// spans appends the original pieces r covers to out.
func (c *quadContour) spans(r pieceRef, out []span) []span {
	ci, k := r.cubic, r.k
	for range r.count {
		out = append(out, span{&c.cubics[ci], c.cubicN[ci], k})
		if k++; k == c.cubicN[ci] {
			ci, k = (ci+1)%len(c.cubics), 0
		}
	}
	return out
}

// mergePieces replaces two neighbouring quadratic pieces (an off-curve
// point, a join, an off-curve point) by one wherever that one stays within
// maxCurveError of all the original pieces they covered: its control point
// is where the tangents at the outer ends meet, so the outline stays
// smooth there; an outer end that is itself implied slides along its
// tangent with the control point, and the piece beyond it is checked too.
// Traced outlines such as Fandol's are chains of short cubics that one
// quadratic often follows within the bound. The contour starts on an
// explicit point, which no merge moves or removes.
func (c *quadContour) mergePieces() {
	var sa, sb, sc []span
	for j := 1; j < len(c.pts); {
		pts, m := c.pts, len(c.pts)
		at := func(i int) int { return ((i % m) + m) % m }
		ia, ib := j-1, j+1
		if !pts[j].on || ib >= m || m < 6 || pts[ia].on || pts[ib].on || c.refs[ia].cubic < 0 || c.refs[ib].cubic < 0 {
			j++
			continue
		}
		is, ie := at(j-2), at(j+2)
		a, b, st, en := pts[ia], pts[ib], pts[is], pts[ie]
		// Tangent lines: at the start through st along a−st, at the end
		// through en along en−b.
		d1x, d1y := a.x-st.x, a.y-st.y
		d2x, d2y := en.x-b.x, en.y-b.y
		den := d1x*d2y - d1y*d2x
		if den == 0 || is == ie {
			j++
			continue
		}
		u := ((en.x-st.x)*d2y - (en.y-st.y)*d2x) / den
		chord := math.Hypot(en.x-st.x, en.y-st.y)
		cx, cy := st.x+u*d1x, st.y+u*d1y
		if u <= 0 || math.Hypot(cx-st.x, cy-st.y) > 2*chord || math.Hypot(cx-en.x, cy-en.y) > 2*chord {
			j++
			continue
		}
		q := qpoint{x: math.Round(cx), y: math.Round(cy)}
		// The outer ends as they would be: an implied one between its
		// other neighbour and the new control point.
		if st.implied {
			o := pts[at(is-1)]
			st.x, st.y = (o.x+q.x)/2, (o.y+q.y)/2
		}
		if en.implied {
			o := pts[at(ie+1)]
			en.x, en.y = (o.x+q.x)/2, (o.y+q.y)/2
		}
		merged := pieceRef{cubic: c.refs[ia].cubic, n: c.refs[ia].n, k: c.refs[ia].k, count: c.refs[ia].count + c.refs[ib].count}
		sa = c.spans(merged, sa[:0])
		ok := spansWithin(sa, st, q, en)
		if ok && st.implied {
			ip := at(is - 1)
			sb = c.spans(c.refs[ip], sb[:0])
			ok = spansWithin(sb, pts[at(is-2)], pts[ip], st)
		}
		if ok && en.implied {
			in := at(ie + 1)
			sc = c.spans(c.refs[in], sc[:0])
			ok = spansWithin(sc, en, pts[in], pts[at(ie+2)])
		}
		if !ok {
			j++
			continue
		}
		pts[ia], c.refs[ia] = q, merged
		pts[is], pts[ie] = st, en
		c.pts = append(pts[:j], pts[j+2:]...)
		c.refs = append(c.refs[:j], c.refs[j+2:]...)
		// j is now the merged piece's end: try merging on from there.
	}
}

// spansWithin reports whether the quadratic from a over q to b stays
// within maxCurveError of the original pieces sp, in order.
func spansWithin(sp []span, a, q, b qpoint) bool {
	if len(sp) == 1 && quadPieceError(*sp[0].p, sp[0].n, sp[0].k, a, q, b) <= maxCurveError {
		return true
	}
	return spansDistance(sp, a, q, b) <= maxCurveError
}

// implyJoins leaves implied the on-curve points of a contour that sit
// between two off-curve points (the ends of converted cubics, and joins
// inside a cubic appendCubicTT kept) wherever both quadratic pieces
// around the join then stay within maxCurveError of their original cubics.
// A join that is not at the midpoint of its neighbours is tried with them
// re-placed: one mirrored through the join (the join stays exact and the
// tangent through it is kept), or both at their mean distance along the
// line between them. Every change is checked on each piece whose points it
// moves, including a neighbouring implied join that moves with an
// off-curve point, so every piece stays within the bound after each step.
// One on-curve point always stays explicit for the contour to start on.
// pts and refs are the contour's points and their pieces; the contour is
// closed, its last point followed by its first.
func implyJoins(pts []qpoint, refs []pieceRef, cubics [][4][2]float64) {
	m := len(pts)
	if m < 4 {
		return
	}
	at := func(i int) int { return ((i % m) + m) % m }
	explicit := 0
	for _, p := range pts {
		if p.on && !p.implied {
			explicit++
		}
	}
	// pieceOK checks the piece that off-curve point i controls.
	pieceOK := func(i int) bool {
		r := refs[i]
		c, a, q, b := cubics[r.cubic], pts[at(i-1)], pts[i], pts[at(i+1)]
		return quadPieceError(c, r.n, r.k, a, q, b) <= maxCurveError || quadPieceDistance(c, r.n, r.k, a, q, b) <= maxCurveError
	}
	// replace puts the on-curve point at i, if implied, back between its
	// neighbours (one of which has just moved).
	replace := func(i int) {
		if pts[i].implied {
			a, b := pts[at(i-1)], pts[at(i+1)]
			pts[i].x, pts[i].y = (a.x+b.x)/2, (a.y+b.y)/2
		}
	}
	var saved [5]qpoint
	for j := range m {
		q := pts[j]
		if !q.on || q.implied || explicit <= 1 {
			continue
		}
		ia, ib := at(j-1), at(j+1)
		if pts[ia].on || pts[ib].on || refs[ia].cubic < 0 || refs[ib].cubic < 0 {
			continue
		}
		a, b := pts[ia], pts[ib]
		for d := range saved {
			saved[d] = pts[at(j-2+d)]
		}
		restore := func() {
			for d := len(saved) - 1; d >= 0; d-- {
				pts[at(j-2+d)] = saved[d]
			}
		}
		// Candidate positions of the two off-curve neighbours: as they are,
		// b mirrored, a mirrored, both at their mean distance from q.
		ux, uy := b.x-a.x, b.y-a.y
		l := math.Hypot(ux, uy)
		if l == 0 {
			continue
		}
		ux, uy = ux/l, uy/l
		if math.Abs((q.x-a.x)*uy-(q.y-a.y)*ux) > 6 {
			// A corner, 6 units or more off the line between its
			// neighbours: on the example's glyphs no candidate below ever
			// passed for one, and trying them cost an eighth of the time.
			continue
		}
		da, db := math.Hypot(q.x-a.x, q.y-a.y), math.Hypot(b.x-q.x, b.y-q.y)
		cands := [][2]qpoint{
			{a, b},
			{a, {x: 2*q.x - a.x, y: 2*q.y - a.y}},
			{{x: 2*q.x - b.x, y: 2*q.y - b.y}, b},
		}
		for _, f := range []float64{0.5, 0.25, 0.75} {
			m := da + f*(db-da)
			cands = append(cands, [2]qpoint{{x: math.Round(q.x - m*ux), y: math.Round(q.y - m*uy)}, {x: math.Round(q.x + m*ux), y: math.Round(q.y + m*uy)}})
		}
		done := false
		for ci, c := range cands {
			if ci > 0 && c[0] == a && c[1] == b {
				continue
			}
			pts[ia].x, pts[ia].y = c[0].x, c[0].y
			pts[ib].x, pts[ib].y = c[1].x, c[1].y
			pts[j].implied = true
			pts[j].x, pts[j].y = (c[0].x+c[1].x)/2, (c[0].y+c[1].y)/2
			replace(at(j - 2))
			replace(at(j + 2))
			if pieceOK(ia) && pieceOK(ib) &&
				(!pts[at(j-2)].implied || pieceOK(at(j-3))) &&
				(!pts[at(j+2)].implied || pieceOK(at(j+3))) {
				done = true
				break
			}
			restore()
		}
		if done {
			explicit--
		}
	}
}

// startOnExplicit rotates a closed contour to start on an explicit
// on-curve point (a TrueType contour may start off-curve, but not every
// rasterizer of PDF viewers handles that alike).
func startOnExplicit(c []qpoint, refs []pieceRef) ([]qpoint, []pieceRef) {
	for i, p := range c {
		if p.on && !p.implied {
			if i == 0 {
				return c, refs
			}
			return append(append(make([]qpoint, 0, len(c)), c[i:]...), c[:i]...),
				append(append(make([]pieceRef, 0, len(refs)), refs[i:]...), refs[:i]...)
		}
	}
	return c, refs
}

// appendCubicAsQuads splits the cubic p into n equal-parameter pieces and
// replaces each by the quadratic whose control point is (3(p1+p2)−p0−p3)/4.
// That quadratic differs from its cubic piece by at most √3/36·|p3−3p2+3p1−p0|
// of the piece, and that third difference shrinks as 1/n³, so n follows
// from the tolerance directly. The split points are kept as explicit
// on-curve points, which keeps the bound exact after rounding.
func appendCubicAsQuads(cur []qpoint, p [4][2]float64, tol float64) []qpoint {
	dx := p[3][0] - 3*p[2][0] + 3*p[1][0] - p[0][0]
	dy := p[3][1] - 3*p[2][1] + 3*p[1][1] - p[0][1]
	errOne := math.Sqrt(3) / 36 * math.Hypot(dx, dy)
	n := 1
	if errOne > tol {
		n = int(math.Ceil(math.Cbrt(errOne / tol)))
	}
	return appendCubicPieces(cur, p, min(n, 64))
}

// maxCurveError is the largest distance, in font units, allowed between a
// cubic and its final (rounded) quadratic form when on-curve points are
// left implied; it is checked by sampling, with margin under 2 units.
const maxCurveError = 1.9

// appendCubicTT converts the cubic p to TrueType points, rounded to
// integers. The explicit form (appendCubicAsQuads, every join on-curve) is
// within tol + √½ < 2 units by construction; TrueType can instead leave a
// join implied as the midpoint of its two off-curve neighbours, which saves
// a point per join. Joins are made implied, for n, n+1 and n+2 pieces,
// wherever the resulting curve stays within maxCurveError of the cubic at
// every sample; the variant with the fewest points wins.
func appendCubicTT(cur []qpoint, p [4][2]float64, tol float64) []qpoint {
	explicit := appendCubicAsQuads(nil, p, tol)
	n0 := len(explicit) / 2
	roundAll := func(pts []qpoint) {
		for i := range pts {
			pts[i].x, pts[i].y = math.Round(pts[i].x), math.Round(pts[i].y)
		}
	}
	roundAll(explicit)
	best, bestLen := explicit, len(explicit)
	start := qpoint{x: math.Round(p[0][0]), y: math.Round(p[0][1]), on: true}
	for n := n0; n <= n0+2 && n <= 64; n++ {
		if n > n0 && bestLen <= n+1 {
			break // n pieces need at least n+1 points
		}
		var pts []qpoint
		if n == n0 {
			pts = append([]qpoint(nil), explicit...)
		} else {
			pts = appendCubicPieces(nil, p, n)
			roundAll(pts)
		}
		// pts: off q1, on s1, off q2, on s2, ..., off qn, on sn.
		kept := len(pts)
		for i := 1; i < n; i++ {
			join := &pts[2*i-1]
			join.implied = true
			join.x, join.y = (pts[2*i-2].x+pts[2*i].x)/2, (pts[2*i-2].y+pts[2*i].y)/2
			// Piece i (ending at this join) and piece i+1 (starting there).
			if pieceError(p, n, i-1, start, pts) > maxCurveError || pieceError(p, n, i, start, pts) > maxCurveError {
				join.implied = false
				sx, sy := cubicPoint(p, float64(i)/float64(n))
				join.x, join.y = math.Round(sx), math.Round(sy)
				continue
			}
			kept--
		}
		if kept < bestLen {
			best, bestLen = pts, kept
		}
	}
	return append(cur, best...)
}

// appendCubicPieces splits the cubic p into n equal-parameter pieces (each
// piece's control points from the derivative at its ends) and appends each
// as its midpoint quadratic: off-curve control, then on-curve end.
func appendCubicPieces(cur []qpoint, p [4][2]float64, n int) []qpoint {
	h := 1 / float64(n)
	for i := 0; i < n; i++ {
		t0, t1 := float64(i)*h, float64(i+1)*h
		x0, y0 := cubicPoint(p, t0)
		x3, y3 := cubicPoint(p, t1)
		if i == n-1 {
			x3, y3 = p[3][0], p[3][1]
		}
		d0x, d0y := cubicDeriv(p, t0)
		d1x, d1y := cubicDeriv(p, t1)
		x1, y1 := x0+d0x*h/3, y0+d0y*h/3
		x2, y2 := x3-d1x*h/3, y3-d1y*h/3
		cur = append(cur, qpoint{x: (3*(x1+x2) - x0 - x3) / 4, y: (3*(y1+y2) - y0 - y3) / 4}, qpoint{x: x3, y: y3, on: true})
	}
	return cur
}

// pieceError bounds the distance (exactly up to maxCurveError, beyond it
// only that it is larger), over 17 samples, between piece k (of n
// equal-parameter pieces) of the cubic and the quadratic pts describes for
// it (start is the point before pts). An implied end point halfway between
// integers may be rounded by a rasterizer (x/image drops the half, FreeType
// keeps it); moving an end point by δ moves the quadratic at s by at most
// (1−s)²δ or s²δ, which is added to each sample's distance.
func pieceError(p [4][2]float64, n, k int, start qpoint, pts []qpoint) float64 {
	a := start
	if k > 0 {
		a = pts[2*k-1]
	}
	return quadPieceError(p, n, k, a, pts[2*k], pts[2*k+1])
}

// quadPieceError is pieceError for the quadratic from a over control q to b.
func quadPieceError(p [4][2]float64, n, k int, a, q, b qpoint) float64 {
	da, db := roundingSlack(a), roundingSlack(b)
	worst := 0.0
	for _, j := range sampleOrder {
		s := float64(j) / 16
		cx, cy := cubicPoint(p, (float64(k)+s)/float64(n))
		qx := (1-s)*(1-s)*a.x + 2*(1-s)*s*q.x + s*s*b.x
		qy := (1-s)*(1-s)*a.y + 2*(1-s)*s*q.y + s*s*b.y
		d := math.Sqrt((cx-qx)*(cx-qx)+(cy-qy)*(cy-qy)) + (1-s)*(1-s)*da + s*s*db
		worst = max(worst, d)
		if worst > maxCurveError {
			break // the caller only needs to know it is too far
		}
	}
	return worst
}

// quadPieceDistance bounds, like quadPieceError, the distance between
// piece k of n of the cubic p and the quadratic from a over q to b, but
// without pairing the curves parameter for parameter: a quadratic whose
// control point slid along its tangent traces nearly the same curve at
// another pace. Each of 17 samples of either curve is measured to the
// nearest point found on the other (Newton steps from the sample's own
// parameter; any point found is a witness, so the bound holds whether or
// not the nearest one is found), with the rounding slack of the
// quadratic's ends at that point.
func quadPieceDistance(p [4][2]float64, n, k int, a, q, b qpoint) float64 {
	return spansDistance([]span{{&p, n, k}}, a, q, b)
}

// spansDistance is quadPieceDistance for a quadratic that replaces the
// original pieces sp, in order: each piece's samples are measured to the
// quadratic, and the quadratic's samples to the piece they pace with (or,
// failing that, to the pieces either side of it).
func spansDistance(sp []span, a, q, b qpoint) float64 {
	qd := quadratic{a: a, q: q, b: b, da: roundingSlack(a), db: roundingSlack(b)}
	worst := 0.0
	count := float64(len(sp))
	for i, piece := range sp {
		for _, j := range sampleOrder {
			u := float64(j) / 16
			s := (float64(i) + u) / count
			t := (float64(piece.k) + u) / float64(piece.n)
			qx, qy := qd.point(s)
			sl := qd.slack(s)
			d := nearestOnCubic(qx, qy, piece.p, t, worst-sl) + sl
			if d > worst && i > 0 && sp[i-1].p != piece.p {
				d = min(d, nearestOnCubic(qx, qy, sp[i-1].p, 1, worst-sl)+sl)
			}
			if d > worst && i+1 < len(sp) && sp[i+1].p != piece.p {
				d = min(d, nearestOnCubic(qx, qy, sp[i+1].p, 0, worst-sl)+sl)
			}
			worst = max(worst, d)
			cx, cy := cubicPoint(*piece.p, t)
			worst = max(worst, qd.nearest(cx, cy, s, worst))
			if worst > maxCurveError {
				return worst
			}
		}
	}
	return worst
}

// quadratic is a quadratic piece whose ends a rasterizer may move by da
// and db (roundingSlack).
type quadratic struct {
	a, q, b qpoint
	da, db  float64
}

func (c *quadratic) point(s float64) (x, y float64) {
	return (1-s)*(1-s)*c.a.x + 2*(1-s)*s*c.q.x + s*s*c.b.x, (1-s)*(1-s)*c.a.y + 2*(1-s)*s*c.q.y + s*s*c.b.y
}

// slack bounds how far the point at s moves when the ends do.
func (c *quadratic) slack(s float64) float64 { return (1-s)*(1-s)*c.da + s*s*c.db }

// nearest returns the smallest distance from (px, py), plus the slack
// there, found on the quadratic by Newton steps from parameter s (see
// nearestOnCubic).
func (c *quadratic) nearest(px, py, s, enough float64) float64 {
	best := math.Inf(1)
	ddx, ddy := 2*(c.b.x-2*c.q.x+c.a.x), 2*(c.b.y-2*c.q.y+c.a.y)
	for range 4 {
		x, y := c.point(s)
		ex, ey := x-px, y-py
		best = min(best, math.Sqrt(ex*ex+ey*ey)+c.slack(s))
		if best <= enough {
			break
		}
		dx, dy := 2*(1-s)*(c.q.x-c.a.x)+2*s*(c.b.x-c.q.x), 2*(1-s)*(c.q.y-c.a.y)+2*s*(c.b.y-c.q.y)
		g := ex*dx + ey*dy
		h := dx*dx + dy*dy + ex*ddx + ey*ddy
		if h <= 0 {
			break
		}
		s = min(1, max(0, s-g/h))
	}
	return best
}

// nearestOnCubic returns the smallest distance from (px, py) found on the
// cubic p by Newton steps from parameter t, within [0, 1]. Any point found
// is a witness, so the distance is an upper bound whether or not the
// nearest point is found. It stops once a witness is within enough, which
// cannot raise the largest distance the caller has found so far.
func nearestOnCubic(px, py float64, p *[4][2]float64, t, enough float64) float64 {
	best := math.Inf(1)
	for range 4 {
		mt := 1 - t
		a, b, c, d := mt*mt*mt, 3*mt*mt*t, 3*mt*t*t, t*t*t
		x := a*p[0][0] + b*p[1][0] + c*p[2][0] + d*p[3][0]
		y := a*p[0][1] + b*p[1][1] + c*p[2][1] + d*p[3][1]
		ex, ey := x-px, y-py
		best = min(best, math.Sqrt(ex*ex+ey*ey))
		if best <= enough {
			break
		}
		a, b, c = 3*mt*mt, 6*mt*t, 3*t*t
		dx := a*(p[1][0]-p[0][0]) + b*(p[2][0]-p[1][0]) + c*(p[3][0]-p[2][0])
		dy := a*(p[1][1]-p[0][1]) + b*(p[2][1]-p[1][1]) + c*(p[3][1]-p[2][1])
		ddx := 6*mt*(p[2][0]-2*p[1][0]+p[0][0]) + 6*t*(p[3][0]-2*p[2][0]+p[1][0])
		ddy := 6*mt*(p[2][1]-2*p[1][1]+p[0][1]) + 6*t*(p[3][1]-2*p[2][1]+p[1][1])
		g := ex*dx + ey*dy
		h := dx*dx + dy*dy + ex*ddx + ey*ddy
		if h <= 0 {
			break
		}
		t = min(1, max(0, t-g/h))
	}
	return best
}

// sampleOrder visits the 17 samples of a piece middle first, where a
// quadratic strays furthest, so that a piece too far is found early.
var sampleOrder = [17]int{8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 16}

// roundingSlack is how far a rasterizer may put point p from where it is:
// up to half a unit per coordinate of an implied point at a half unit.
func roundingSlack(p qpoint) float64 {
	if !p.implied {
		return 0
	}
	dx, dy := math.Abs(p.x-math.Trunc(p.x)), math.Abs(p.y-math.Trunc(p.y))
	return math.Hypot(dx, dy)
}

func cubicPoint(p [4][2]float64, t float64) (float64, float64) {
	mt := 1 - t
	a, b, c, d := mt*mt*mt, 3*mt*mt*t, 3*mt*t*t, t*t*t
	return a*p[0][0] + b*p[1][0] + c*p[2][0] + d*p[3][0], a*p[0][1] + b*p[1][1] + c*p[2][1] + d*p[3][1]
}

func cubicDeriv(p [4][2]float64, t float64) (float64, float64) {
	mt := 1 - t
	a, b, c := 3*mt*mt, 6*mt*t, 3*t*t
	return a*(p[1][0]-p[0][0]) + b*(p[2][0]-p[1][0]) + c*(p[3][0]-p[2][0]),
		a*(p[1][1]-p[0][1]) + b*(p[2][1]-p[1][1]) + c*(p[3][1]-p[2][1])
}

// encodeSimpleGlyph rounds contours to integers and writes a TrueType
// simple glyph. An on-curve point exactly halfway between two off-curve
// neighbours is left implicit, as TrueType allows.
func encodeSimpleGlyph(contours [][]qpoint) *glyphRecord {
	type ipt struct {
		x, y int
		on   bool
	}
	var all [][]ipt
	for _, c := range contours {
		pts := make([]ipt, 0, len(c))
		for _, p := range c {
			if p.implied {
				continue // the rasterizer puts it back between its neighbours
			}
			q := ipt{int(math.Round(p.x)), int(math.Round(p.y)), p.on}
			if n := len(pts); n > 0 && q.on && pts[n-1] == q {
				continue // rounding made two on-curve points one
			}
			pts = append(pts, q)
		}
		for len(pts) > 1 && pts[len(pts)-1].on && pts[len(pts)-1] == pts[0] {
			pts = pts[:len(pts)-1]
		}
		// Drop implied on-curve points (never the first point of a contour).
		kept := pts[:0:0]
		for i, q := range pts {
			if q.on && i > 0 && i+1 < len(pts) {
				a, b := pts[i-1], pts[i+1]
				if !a.on && !b.on && a.x+b.x == 2*q.x && a.y+b.y == 2*q.y {
					continue
				}
			}
			kept = append(kept, q)
		}
		if len(kept) < 2 {
			continue
		}
		all = append(all, kept)
	}
	g := &glyphRecord{}
	if len(all) == 0 {
		return g
	}
	var flags, xs, ys []byte
	var ends []int
	x0, y0 := 0, 0
	first := true
	for _, c := range all {
		for _, q := range c {
			if first {
				g.xMin, g.xMax, g.yMin, g.yMax = int16(q.x), int16(q.x), int16(q.y), int16(q.y)
				first = false
			}
			g.xMin, g.xMax = min(g.xMin, int16(q.x)), max(g.xMax, int16(q.x))
			g.yMin, g.yMax = min(g.yMin, int16(q.y)), max(g.yMax, int16(q.y))
			var fl byte
			if q.on {
				fl |= 0x01
			}
			dx, dy := q.x-x0, q.y-y0
			x0, y0 = q.x, q.y
			switch {
			case dx == 0:
				fl |= 0x10
			case dx > -256 && dx < 256:
				fl |= 0x02
				if dx > 0 {
					fl |= 0x10
					xs = append(xs, byte(dx))
				} else {
					xs = append(xs, byte(-dx))
				}
			default:
				xs = binary.BigEndian.AppendUint16(xs, uint16(int16(dx)))
			}
			switch {
			case dy == 0:
				fl |= 0x20
			case dy > -256 && dy < 256:
				fl |= 0x04
				if dy > 0 {
					fl |= 0x20
					ys = append(ys, byte(dy))
				} else {
					ys = append(ys, byte(-dy))
				}
			default:
				ys = binary.BigEndian.AppendUint16(ys, uint16(int16(dy)))
			}
			flags = append(flags, fl)
			g.points++
		}
		ends = append(ends, g.points-1)
	}
	g.contours = len(ends)
	// Run-length encode repeated flags.
	var packed []byte
	for i := 0; i < len(flags); {
		j := i + 1
		for j < len(flags) && flags[j] == flags[i] && j-i < 256 {
			j++
		}
		if n := j - i - 1; n >= 1 {
			packed = append(packed, flags[i]|0x08, byte(n))
		} else {
			packed = append(packed, flags[i])
		}
		i = j
	}
	data := make([]byte, 0, 12+2*len(ends)+len(packed)+len(xs)+len(ys))
	data = binary.BigEndian.AppendUint16(data, uint16(len(ends)))
	for _, v := range []int16{g.xMin, g.yMin, g.xMax, g.yMax} {
		data = binary.BigEndian.AppendUint16(data, uint16(v))
	}
	for _, e := range ends {
		data = binary.BigEndian.AppendUint16(data, uint16(e))
	}
	data = append(data, 0, 0) // no instructions
	data = append(data, packed...)
	data = append(data, xs...)
	data = append(data, ys...)
	g.data = data
	g.lsb = g.xMin
	return g
}
