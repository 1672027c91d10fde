package fonts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"gongwen/internal/testkit"
)

var fixedTime = time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)

func buildOne(t testing.TB, f *Face, text string) *Subset {
	t.Helper()
	sb := (&Book{}).NewSubsetBuilder()
	sb.Add(f, text)
	subs, err := sb.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 {
		t.Fatalf("Build made %d subsets", len(subs))
	}
	return subs[0]
}

// TestSubsetTables reads subset fonts back with an independent parser
// (golang.org/x/image/font/sfnt) and checks cmap, advances, names and the
// sfnt checksums.
func TestSubsetTables(t *testing.T) {
	b := requireFonts(t)
	tests := []struct {
		face string
		text string
	}{
		{"FandolFang", "嘉镇政府信息公开 ABC xyz 0123456789，。（）"}, // CFF .otf
		{"Noto Serif CJK SC", "𥔲啰瞭中文"},                    // CFF in a collection, non-BMP
		{"LXGW WenKai", "主动公开情况。瞭望 Ǻé"},                   // TrueType (composites for accents)
		{"DejaVu Sans", "Ǻǻ Åå é ñ fi"},                   // TrueType with composite glyphs
		{"BabelStone Han", "𠀀𪚥𥔲 文字"},                      // TrueType, non-BMP
	}
	for _, tt := range tests {
		t.Run(tt.face, func(t *testing.T) {
			f := b.Lookup(tt.face)
			if f == nil {
				t.Skipf("%s not installed", tt.face)
			}
			sub := buildOne(t, f, tt.text)
			if sub.Face != f || !strings.HasPrefix(sub.Name, "GW") {
				t.Errorf("Subset Face/Name = %v %q", sub.Face, sub.Name)
			}
			if got := binary.BigEndian.Uint32(sub.TTF); got != sfntV1 {
				t.Fatalf("sfnt version %#x, want TrueType 0x00010000", got)
			}
			if sum := checksum(sub.TTF); sum != 0xB1B0AFBA {
				t.Errorf("whole-font checksum %#x, want 0xB1B0AFBA", sum)
			}
			dir, err := readDirectory(bytes.NewReader(sub.TTF), 0)
			if err != nil {
				t.Fatal(err)
			}
			for tag, rec := range dir.tables {
				if got := checksum(sub.TTF[rec.offset : rec.offset+rec.length]); tag != "head" && got != binary.BigEndian.Uint32(sub.TTF[12+16*indexOfTag(t, sub.TTF, tag)+4:]) {
					t.Errorf("table %s checksum mismatch", tag)
				}
			}
			for _, tag := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"} {
				if !dir.has(tag) {
					t.Errorf("missing table %s", tag)
				}
			}
			if dir.has("CFF ") || dir.has("fpgm") || dir.has("prep") {
				t.Error("subset carries CFF or hinting tables")
			}
			sf, err := sfnt.Parse(sub.TTF)
			if err != nil {
				t.Fatal(err)
			}
			var buf sfnt.Buffer
			name, _ := sf.Name(&buf, sfnt.NameIDFamily)
			if name != sub.Name {
				t.Errorf("family name %q, want %q", name, sub.Name)
			}
			distinct := map[rune]bool{}
			for _, r := range tt.text {
				distinct[r] = true
				gi, err := sf.GlyphIndex(&buf, r)
				if err != nil || gi == 0 {
					t.Fatalf("subset cmap lacks %U: %v", r, err)
				}
				if int(gi) >= sub.NumGlyphs() || int(sub.Advances[gi]) != f.Advance(r) {
					t.Errorf("Advances[%d] of %U differs from the source advance %d", gi, r, f.Advance(r))
				}
				if g, ok := sub.GlyphID(r); !ok || sfnt.GlyphIndex(g) != gi {
					t.Errorf("GlyphID(%U) = %d, %v; cmap says %d", r, g, ok, gi)
				}
				upem := fixed.Int26_6(f.UnitsPerEm()) << 6
				adv, err := sf.GlyphAdvance(&buf, gi, upem, font.HintingNone)
				if err != nil {
					t.Fatal(err)
				}
				if got := int(adv >> 6); got != f.Advance(r) {
					t.Errorf("advance of %U = %d, source %d", r, got, f.Advance(r))
				}
				if _, err := sf.LoadGlyph(&buf, gi, upem, nil); err != nil {
					t.Errorf("glyph of %U: %v", r, err)
				}
			}
			// Our own cmap reader agrees: exactly the text's characters.
			cmapTab, _ := readTable(bytes.NewReader(sub.TTF), dir, "cmap")
			cov, err := parseCmap(cmapTab, sf.NumGlyphs())
			if err != nil {
				t.Fatal(err)
			}
			if cov.count != len(distinct) {
				t.Errorf("subset maps %d code points, text has %d characters", cov.count, len(distinct))
			}
			if again := buildOne(t, f, tt.text); !bytes.Equal(again.TTF, sub.TTF) {
				t.Error("same text gave different subset bytes")
			}
		})
	}
}

func indexOfTag(t *testing.T, ttf []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n; i++ {
		if string(ttf[12+16*i:16+16*i]) == tag {
			return i
		}
	}
	t.Fatalf("no table %s", tag)
	return 0
}

func TestSubsetMetricsAndCIDSet(t *testing.T) {
	b := requireFonts(t)
	noto := b.Lookup("Noto Serif CJK SC")
	sub := buildOne(t, noto, "𥔲嘉\U0002000B镇")
	if sub.Covers('x') || !sub.Covers(0x25532) {
		t.Error("Covers wrong")
	}
	n := sub.NumGlyphs()
	if n < 5 || len(sub.Loca) != n+1 || sub.Loca[n] == 0 {
		t.Fatalf("%d glyphs, %d loca entries", n, len(sub.Loca))
	}
	// The glyf table sits where GlyfOffset says: its glyphs are the
	// source's glyph data.
	glyf := sub.TTF[sub.GlyfOffset : sub.GlyfOffset+int(sub.Loca[n])]
	g, _ := sub.GlyphID('嘉')
	src, err := noto.glyph(noto.glyphIndex('嘉'))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(glyf[sub.Loca[g]:int(sub.Loca[g])+len(src.data)], src.data) {
		t.Error("GlyfOffset/Loca do not locate the glyph of 嘉")
	}
	if sub.UnitsPerEm != noto.UnitsPerEm() || sub.Ascent <= 0 || sub.Descent >= 0 || sub.BBox[2] <= sub.BBox[0] {
		t.Errorf("metrics: upem %d ascent %d descent %d bbox %v serif %v", sub.UnitsPerEm, sub.Ascent, sub.Descent, sub.BBox, sub.Serif)
	}
	set := sub.CIDSet()
	if len(set) != (n+7)/8 {
		t.Errorf("CIDSet %x for %d glyphs", set, n)
	}
	for cid := range 8 * len(set) {
		if on := set[cid/8]&(0x80>>(cid%8)) != 0; on != (cid < n) {
			t.Errorf("CIDSet bit %d = %v with %d glyphs", cid, on, n)
		}
	}
}

func TestSubsetRejectsUncoveredText(t *testing.T) {
	b := requireFonts(t)
	sb := b.NewSubsetBuilder()
	sb.Add(b.Lookup("FandolFang"), "嘉啰")
	_, err := sb.Build()
	var mg *MissingGlyphError
	if !errors.As(err, &mg) || len(mg.Runes) != 1 || mg.Runes[0] != '啰' {
		t.Fatalf("Build error = %v, want MissingGlyphError for 啰", err)
	}
}

// TestCubicToQuadBound checks the approximation on random cubics against
// the stated tolerance, parameter for parameter.
func TestCubicToQuadBound(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		var p [4][2]float64
		for j := range p {
			p[j] = [2]float64{rng.Float64() * 1000, rng.Float64() * 1000}
		}
		pts := appendCubicAsQuads([]qpoint{{x: p[0][0], y: p[0][1], on: true}}, p, cubicTolerance)
		n := (len(pts) - 1) / 2
		for k := 0; k < n; k++ {
			a, q, c := pts[2*k], pts[2*k+1], pts[2*k+2]
			for s := 0.0; s <= 1; s += 1.0 / 16 {
				tt := (float64(k) + s) / float64(n)
				cx, cy := cubicAt(p, tt)
				qx := (1-s)*(1-s)*a.x + 2*(1-s)*s*q.x + s*s*c.x
				qy := (1-s)*(1-s)*a.y + 2*(1-s)*s*q.y + s*s*c.y
				if d := math.Hypot(cx-qx, cy-qy); d > cubicTolerance+1e-9 {
					t.Fatalf("cubic %v piece %d/%d at s=%.3f: error %.3f > %.2f", p, k, n, s, d, cubicTolerance)
				}
			}
		}
	}
}

func cubicAt(p [4][2]float64, t float64) (float64, float64) {
	mt := 1 - t
	a, b, c, d := mt*mt*mt, 3*mt*mt*t, 3*mt*t*t, t*t*t
	return a*p[0][0] + b*p[1][0] + c*p[2][0] + d*p[3][0], a*p[0][1] + b*p[1][1] + c*p[2][1] + d*p[3][1]
}

// exampleFaceTexts is, for every face the example report sets text in,
// the characters it sets there.
func exampleFaceTexts(t *testing.T, b *Book) map[*Face][]rune {
	texts := coveredTexts(b, exampleTexts(t))
	out := map[*Face][]rune{}
	for _, role := range Roles {
		spans, err := b.Segment(role, texts[role])
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range spans {
			for _, r := range sp.Text {
				if !slices.Contains(out[sp.Face], r) {
					out[sp.Face] = append(out[sp.Face], r)
				}
			}
		}
	}
	return out
}

// TestConvertedGlyphsStayWithinTwoUnits samples the original CFF outlines
// of glyphs of every CFF face the example uses (its first 60 characters
// there; TestConvertedCubicsStayWithinTwoUnits checks every glyph, before
// encoding), and the converted TrueType outlines read back from the subset
// font, and checks every sample of each lies within 2 font units (the
// stated bound) of the other.
func TestConvertedGlyphsStayWithinTwoUnits(t *testing.T) {
	b := requireFonts(t)
	faces := 0
	for f, use := range exampleFaceTexts(t, b) {
		if !f.cff {
			continue
		}
		faces++
		face := f.fullName
		use = use[:min(len(use), 60)]
		sub := buildOne(t, f, string(use))
		conv, err := sfnt.Parse(sub.TTF)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.glyphs.srcErr; err != nil {
			t.Fatal(err)
		}
		orig := f.glyphs.cff
		upem := fixed.Int26_6(f.UnitsPerEm()) << 6
		var buf sfnt.Buffer
		worst := 0.0
		for _, r := range use {
			sa, _, err := orig.LoadGlyph(tables.GlyphID(f.glyphIndex(r)))
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := conv.GlyphIndex(&buf, r)
			sb, err := conv.LoadGlyph(&buf, gb, upem, nil)
			if err != nil {
				t.Fatal(err)
			}
			oa, ob := fromGoText(sa), fromSFNT(sb)
			pa, pb := sampleOutline(oa, 16), sampleOutline(ob, 16)
			if len(pa) == 0 {
				continue // space
			}
			if len(pb) == 0 {
				t.Fatalf("%s %c: empty converted outline", face, r)
			}
			da, db := maxDistance(pa, polyline(ob)), maxDistance(pb, polyline(oa))
			worst = max(worst, da, db)
			if da > 2 {
				t.Errorf("%s %c: original sample %.2f units from the converted outline", face, r, da)
			}
			if db > 2 {
				t.Errorf("%s %c: converted sample %.2f units from the original outline", face, r, db)
			}
		}
		t.Logf("%s: %d glyphs, largest distance %.3f units", face, len(use), worst)
	}
	if faces < 3 {
		t.Errorf("the example uses %d CFF faces, expected at least 3", faces)
	}
}

// TestConvertedCubicsStayWithinTwoUnits checks the stated bound piece by
// piece on every glyph of every CFF face the example uses: each final
// quadratic against the arcs of the original cubics it replaces (one
// piece of one cubic, or several after mergePieces), sampled densely, both
// ways, with an implied point where the rasterizer may put it (exact, or
// each coordinate floored or raised to an integer). The quadratics must
// cover every piece of every cubic exactly once. It also checks that joins
// are in fact left implied and pieces merged, so the bound is not met by
// doing nothing.
func TestConvertedCubicsStayWithinTwoUnits(t *testing.T) {
	b := requireFonts(t)
	for f, use := range exampleFaceTexts(t, b) {
		if !f.cff {
			continue
		}
		buildOne(t, f, string(use)) // opens the outlines
		worst, cubics, pieces, quads, joins, implied := 0.0, 0, 0, 0, 0, 0
		for _, r := range use {
			segs, _, err := f.glyphs.cff.LoadGlyph(tables.GlyphID(f.glyphIndex(r)))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range convertOutline(segs, cubicTolerance) {
				m := len(c.pts)
				if c.pts[0].implied || !c.pts[0].on {
					t.Fatalf("%s %c: contour starts on %+v", f.fullName, r, c.pts[0])
				}
				halves := false // an implied point a rasterizer may round
				for i, p := range c.pts {
					halves = halves || p.x != math.Trunc(p.x) || p.y != math.Trunc(p.y)
					if p.on && !c.pts[(i+m-1)%m].on && !c.pts[(i+1)%m].on {
						joins++
						if p.implied {
							implied++
						}
					}
				}
				roundings := []func(float64) float64{nil}
				if halves {
					roundings = append(roundings, math.Floor, math.Ceil)
				}
				covered := map[[2]int]int{}
				for i, ref := range c.refs {
					if ref.cubic < 0 {
						continue
					}
					quads++
					arcs := c.spans(ref, nil)
					for _, a := range arcs {
						covered[[2]int{indexOf(c.cubics, a.p), a.k}]++
					}
					for _, round := range roundings {
						at := func(j int) pt {
							q := c.pts[(j+m)%m]
							if q.implied && round != nil {
								return pt{round(q.x), round(q.y)}
							}
							return pt{q.x, q.y}
						}
						quad := [3]pt{at(i - 1), at(i), at(i + 1)}
						d := arcsToQuadDistance(arcs, quad)
						worst = max(worst, d)
						if d > 2 {
							t.Errorf("%s %c: quadratic %v is %.3f units from the arcs it replaces (%d)", f.fullName, r, quad, d, len(arcs))
						}
					}
				}
				for ci, n := range c.cubicN {
					cubics++
					for k := range n {
						pieces++
						if covered[[2]int{ci, k}] != 1 {
							t.Fatalf("%s %c: piece %d/%d of cubic %v covered %d times", f.fullName, r, k, n, c.cubics[ci], covered[[2]int{ci, k}])
						}
					}
				}
			}
		}
		// A merge takes a join away: count it as left implied.
		merged := pieces - quads
		t.Logf("%s: %d glyphs, %d cubics in %d pieces, %d quadratics, largest distance %.3f units; %d of %d joins implied or merged away",
			f.fullName, len(use), cubics, pieces, quads, worst, implied+merged, joins+merged)
		if implied+merged < (joins+merged)/3 {
			t.Errorf("%s: only %d of %d joins implied or merged away", f.fullName, implied+merged, joins+merged)
		}
		if merged < pieces/20 {
			t.Errorf("%s: %d quadratics for %d pieces: few merged", f.fullName, quads, pieces)
		}
	}
}

func indexOf(cubics [][4][2]float64, p *[4][2]float64) int {
	for i := range cubics {
		if &cubics[i] == p {
			return i
		}
	}
	return -1
}

// arcsToQuadDistance is the larger of the distance from samples of the
// arcs (each the stretch of its cubic one piece covers) to the quadratic
// (flattened finely) and from samples of the quadratic to the arcs. Both
// get 32 samples per arc. Both run the same way, so a sample is measured
// against the other curve's segments within 8 of the one nearest the
// previous sample (the curves may run at different paces), and against
// all of them when that finds none within 1.5 units: a window only ever
// overstates a distance. The flattening's chord error is a few
// hundredths of a unit.
func arcsToQuadDistance(arcs []span, q [3]pt) float64 {
	const n, window = 32, 8
	steps := n * len(arcs)
	arcPts := make([]pt, 0, steps+1)
	quadPts := make([]pt, 0, steps+1)
	for i, a := range arcs {
		for j := 0; j <= n; j++ {
			if j == 0 && i > 0 {
				continue // the previous arc's end
			}
			x, y := cubicAt(*a.p, (float64(a.k)+float64(j)/n)/float64(a.n))
			arcPts = append(arcPts, pt{x, y})
		}
	}
	for i := 0; i <= steps; i++ {
		s := float64(i) / float64(steps)
		quadPts = append(quadPts, pt{(1-s)*(1-s)*q[0].x + 2*(1-s)*s*q[1].x + s*s*q[2].x, (1-s)*(1-s)*q[0].y + 2*(1-s)*s*q[1].y + s*s*q[2].y})
	}
	oneWay := func(samples, other []pt) float64 {
		worst, near := 0.0, 1
		for _, p := range samples {
			best, at := math.Inf(1), near
			for j := max(1, near-window); j <= min(len(other)-1, near+window); j++ {
				if d := segDist(p, [2]pt{other[j-1], other[j]}); d < best {
					best, at = d, j
				}
			}
			if best > 1.5 { // look everywhere before believing it
				for j := 1; j < len(other); j++ {
					if d := segDist(p, [2]pt{other[j-1], other[j]}); d < best {
						best, at = d, j
					}
				}
			}
			worst, near = max(worst, best), at
		}
		return worst
	}
	return max(oneWay(arcPts, quadPts), oneWay(quadPts, arcPts))
}

// tseg is an outline segment in font units, y up: op 0 move, 1 line,
// 2 quad, 3 cubic.
type tseg struct {
	op int
	p  [3]pt
}

func fromGoText(segs []ot.Segment) []tseg {
	out := make([]tseg, len(segs))
	for i, s := range segs {
		out[i].op = int(s.Op)
		for j, a := range s.Args {
			out[i].p[j] = pt{float64(a.X), float64(a.Y)}
		}
	}
	return out
}

func fromSFNT(segs []sfnt.Segment) []tseg {
	out := make([]tseg, len(segs))
	for i, s := range segs {
		out[i].op = int(s.Op)
		for j, a := range s.Args {
			out[i].p[j] = pt{float64(a.X) / 64, -float64(a.Y) / 64}
		}
	}
	return out
}

type pt struct{ x, y float64 }

// sampleOutline evaluates each segment at n parameters.
func sampleOutline(segs []tseg, n int) []pt {
	var out []pt
	var cur pt
	for _, s := range segs {
		switch s.op {
		case 0:
			cur = s.p[0]
			out = append(out, cur)
		case 1:
			e := s.p[0]
			for i := 1; i <= n; i++ {
				u := float64(i) / float64(n)
				out = append(out, pt{cur.x + (e.x-cur.x)*u, cur.y + (e.y-cur.y)*u})
			}
			cur = e
		case 2:
			c, e := s.p[0], s.p[1]
			for i := 1; i <= n; i++ {
				u := float64(i) / float64(n)
				out = append(out, pt{(1-u)*(1-u)*cur.x + 2*(1-u)*u*c.x + u*u*e.x, (1-u)*(1-u)*cur.y + 2*(1-u)*u*c.y + u*u*e.y})
			}
			cur = e
		case 3:
			c1, c2, e := s.p[0], s.p[1], s.p[2]
			for i := 1; i <= n; i++ {
				x, y := cubicAt([4][2]float64{{cur.x, cur.y}, {c1.x, c1.y}, {c2.x, c2.y}, {e.x, e.y}}, float64(i)/float64(n))
				out = append(out, pt{x, y})
			}
			cur = e
		}
	}
	return out
}

// polyline flattens an outline finely (chord error a few hundredths of a unit for
// glyph-sized curves) into line segments, closing each contour.
func polyline(segs []tseg) [][2]pt {
	pts := sampleOutline(segs, 64)
	var lines [][2]pt
	// Rebuild contour boundaries: sampleOutline starts each contour with its MoveTo point.
	starts := map[int]bool{}
	i := 0
	for _, s := range segs {
		if s.op == 0 {
			starts[i] = true
			i++
		} else {
			i += 64
		}
	}
	first := 0
	for k := 1; k <= len(pts); k++ {
		if k == len(pts) || starts[k] {
			lines = append(lines, [2]pt{pts[k-1], pts[first]}) // closing edge
			first = k
			continue
		}
		lines = append(lines, [2]pt{pts[k-1], pts[k]})
	}
	return lines
}

// maxDistance is the largest distance from a sample to its nearest line,
// using a grid so glyphs with thousands of samples stay fast.
func maxDistance(samples []pt, lines [][2]pt) float64 {
	const cell = 16.0
	grid := map[[2]int][]int{}
	for i, l := range lines {
		x0, x1 := math.Min(l[0].x, l[1].x), math.Max(l[0].x, l[1].x)
		y0, y1 := math.Min(l[0].y, l[1].y), math.Max(l[0].y, l[1].y)
		for gx := int(math.Floor(x0 / cell)); gx <= int(math.Floor(x1/cell)); gx++ {
			for gy := int(math.Floor(y0 / cell)); gy <= int(math.Floor(y1/cell)); gy++ {
				grid[[2]int{gx, gy}] = append(grid[[2]int{gx, gy}], i)
			}
		}
	}
	worst := 0.0
	for _, p := range samples {
		best := math.Inf(1)
		gx, gy := int(math.Floor(p.x/cell)), int(math.Floor(p.y/cell))
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, i := range grid[[2]int{gx + dx, gy + dy}] {
					best = math.Min(best, segDist(p, lines[i]))
				}
			}
		}
		worst = math.Max(worst, best) // Inf if nothing within a cell: a failure
	}
	return worst
}

func segDist(p pt, l [2]pt) float64 {
	dx, dy := l[1].x-l[0].x, l[1].y-l[0].y
	u := 0.0
	if d := dx*dx + dy*dy; d > 0 {
		u = math.Max(0, math.Min(1, ((p.x-l[0].x)*dx+(p.y-l[0].y)*dy)/d))
	}
	return math.Hypot(p.x-l[0].x-u*dx, p.y-l[0].y-u*dy)
}

func TestParseCmapFormat4RangeOffsets(t *testing.T) {
	// One segment 'A'..'C' through glyphIdArray (glyphs 7, 0, 9), one
	// delta segment 'a'..'b' -> 3..4, and the final 0xFFFF segment.
	sub := []uint16{4, 0, 0, 6, 4, 1, 2,
		'C', 'b', 0xFFFF, // ends
		0,                // pad
		'A', 'a', 0xFFFF, // starts
		0, 0x10000 + 3 - 'a', 1, // deltas
		6, 0, 0, // idRangeOffset: from entry 0 to glyphIdArray = 3 entries * 2
		7, 0, 9, // glyphIdArray
	}
	var tab []byte
	tab = binary.BigEndian.AppendUint16(tab, 0)
	tab = binary.BigEndian.AppendUint16(tab, 1)
	tab = binary.BigEndian.AppendUint16(tab, 3)
	tab = binary.BigEndian.AppendUint16(tab, 1)
	tab = binary.BigEndian.AppendUint32(tab, 12)
	for _, v := range sub {
		tab = binary.BigEndian.AppendUint16(tab, v)
	}
	cov, err := parseCmap(tab, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := map[rune]uint16{'A': 7, 'B': 0, 'C': 9, 'a': 3, 'b': 4, 'c': 0, 0xFFFF: 0, 0x20000: 0}
	for r, g := range want {
		if got := cov.glyph(r); got != g {
			t.Errorf("glyph(%U) = %d, want %d", r, got, g)
		}
	}
	if cov.count != 4 {
		t.Errorf("count = %d, want 4", cov.count)
	}
}

func TestParseCmapFormat12(t *testing.T) {
	var sub []byte
	sub = binary.BigEndian.AppendUint16(sub, 12)
	sub = binary.BigEndian.AppendUint16(sub, 0)
	sub = binary.BigEndian.AppendUint32(sub, 16+12*3)
	sub = binary.BigEndian.AppendUint32(sub, 0)
	sub = binary.BigEndian.AppendUint32(sub, 3)
	for _, g := range [][3]uint32{{0x4E00, 0x4E02, 10}, {0x20000, 0x20001, 20}, {0x25532, 0x25532, 99}} {
		for _, v := range g {
			sub = binary.BigEndian.AppendUint32(sub, v)
		}
	}
	var tab []byte
	tab = binary.BigEndian.AppendUint16(tab, 0)
	tab = binary.BigEndian.AppendUint16(tab, 1)
	tab = binary.BigEndian.AppendUint16(tab, 3)
	tab = binary.BigEndian.AppendUint16(tab, 10)
	tab = binary.BigEndian.AppendUint32(tab, 12)
	tab = append(tab, sub...)
	cov, err := parseCmap(tab, 50) // glyph 99 is beyond numGlyphs: dropped
	if err != nil {
		t.Fatal(err)
	}
	want := map[rune]uint16{0x4E00: 10, 0x4E02: 12, 0x4E03: 0, 0x20000: 20, 0x20001: 21, 0x20002: 0, 0x25532: 0}
	for r, g := range want {
		if got := cov.glyph(r); got != g {
			t.Errorf("glyph(%U) = %d, want %d", r, got, g)
		}
	}
	if cov.count != 5 {
		t.Errorf("count = %d, want 5", cov.count)
	}
}

// exampleTexts is the example report's text by role, with the fixed table
// labels of the format spec standing in for the template's text.
func exampleTexts(t testing.TB) map[string]string {
	data, err := os.ReadFile(testkit.Shared(t, "examples/ejia-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var body, heads strings.Builder
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case string:
			if key == "heading" {
				heads.WriteString(v)
			} else {
				body.WriteString(v)
			}
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		}
	}
	walk("", doc)
	labels, err := os.ReadFile(testkit.Shared(t, "spec/annual-report-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		RoleTitle:       "𥔲嘉镇人民政府2024年政府信息公开工作年度报告",
		RoleBody:        body.String(),
		RoleHeading1:    "一、总体情况二、主动公开政府信息情况三、收到和处理政府信息公开申请情况四、政府信息公开行政复议、行政诉讼情况五、存在的主要问题及改进情况六、其他需要报告的事项",
		RoleHeading2:    heads.String(),
		RoleTable:       string(labels) + "0123456789",
		RoleTableHeader: string(labels),
		RolePageNumber:  "— 0123456789 —",
	}
}

// exampleBuilder segments the example by role and adds every span.
func exampleBuilder(tb testing.TB, b *Book, texts map[string]string) *SubsetBuilder {
	sb := b.NewSubsetBuilder()
	for _, role := range Roles {
		spans, err := b.Segment(role, texts[role])
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range spans {
			sb.Add(s.Face, s.Text)
		}
	}
	return sb
}

// coveredTexts drops what no font has from the texts (the spec's markdown
// holds line feeds and the like), so that the benchmarks measure fonts.
func coveredTexts(b *Book, texts map[string]string) map[string]string {
	out := map[string]string{}
	for role, text := range texts {
		miss := b.Missing(role, text)
		out[role] = strings.Map(func(r rune) rune {
			if slices.Contains(miss, r) {
				return -1
			}
			return r
		}, text)
	}
	return out
}

// medianLoop runs f for each benchmark iteration and reports the median
// iteration time, the figure the target is stated in.
// It also reports the process CPU time per iteration, which a shared,
// overloaded machine inflates far less than wall time.
func medianLoop(bm *testing.B, f func()) {
	var times []time.Duration
	cpu0 := cpuTime()
	for bm.Loop() {
		t0 := time.Now()
		f()
		times = append(times, time.Since(t0))
	}
	cpu := cpuTime() - cpu0
	slices.Sort(times)
	bm.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns/op")
	bm.ReportMetric(float64(cpu.Nanoseconds())/float64(len(times)), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestExampleSubsets(t *testing.T) {
	b := requireFonts(t)
	texts := coveredTexts(b, exampleTexts(t))
	subs, err := exampleBuilder(t, b, texts).Build()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range subs {
		t.Logf("%-40s %6d bytes  (%s)", s.Name, len(s.TTF), s.Face)
		total += len(s.TTF)
	}
	t.Logf("%d subset fonts, %d bytes", len(subs), total)
}

// BenchmarkSubsetExample segments the example report's text by role and
// builds its subset fonts, with every glyph already converted (the steady
// state of a server).
func BenchmarkSubsetExample(bm *testing.B) {
	b := requireFonts(bm)
	texts := coveredTexts(b, exampleTexts(bm))
	if _, err := exampleBuilder(bm, b, texts).Build(); err != nil { // warm the glyph caches
		bm.Fatal(err)
	}
	bm.ReportAllocs()
	medianLoop(bm, func() {
		b.subsets.clear() // measure building, not the cache of whole subsets
		if _, err := exampleBuilder(bm, b, texts).Build(); err != nil {
			bm.Fatal(err)
		}
	})
}

// BenchmarkSubsetBuildOnly is BenchmarkSubsetExample without segmentation.
func BenchmarkSubsetBuildOnly(bm *testing.B) {
	b := requireFonts(bm)
	sb := exampleBuilder(bm, b, coveredTexts(b, exampleTexts(bm)))
	if _, err := sb.Build(); err != nil {
		bm.Fatal(err)
	}
	bm.ReportAllocs()
	medianLoop(bm, func() {
		b.subsets.clear()
		if _, err := sb.Build(); err != nil {
			bm.Fatal(err)
		}
	})
}

// BenchmarkSubsetCached is a document whose subsets a recent document
// already had (the same report rendered again, or the fixed table labels).
func BenchmarkSubsetCached(bm *testing.B) {
	b := requireFonts(bm)
	sb := exampleBuilder(bm, b, coveredTexts(b, exampleTexts(bm)))
	if _, err := sb.Build(); err != nil {
		bm.Fatal(err)
	}
	bm.ReportAllocs()
	for bm.Loop() {
		if _, err := sb.Build(); err != nil {
			bm.Fatal(err)
		}
	}
}

// A cached subset is the very subset a fresh build makes.
func TestSubsetCacheGivesTheSameFont(t *testing.T) {
	b := requireFonts(t)
	texts := coveredTexts(b, exampleTexts(t))
	first, err := exampleBuilder(t, b, texts).Build()
	if err != nil {
		t.Fatal(err)
	}
	again, err := exampleBuilder(t, b, texts).Build()
	if err != nil {
		t.Fatal(err)
	}
	b.subsets.clear()
	fresh, err := exampleBuilder(t, b, texts).Build()
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if again[i] != first[i] {
			t.Errorf("subset %s was built again, not taken from the cache", first[i].Name)
		}
		if fresh[i] == first[i] || !bytes.Equal(fresh[i].TTF, first[i].TTF) || fresh[i].Name != first[i].Name {
			t.Errorf("subset %s: cached and fresh fonts differ", first[i].Name)
		}
	}
	// A different text is a different subset.
	other := map[string]string{}
	for role, s := range texts {
		other[role] = s + "啊"
	}
	diff, err := exampleBuilder(t, b, coveredTexts(b, other)).Build()
	if err != nil {
		t.Fatal(err)
	}
	if diff[0] == first[0] {
		t.Error("a subset with another character came from the cache")
	}
}

// BenchmarkSubsetCold builds the example's subsets in a fresh book: every
// glyph converted from CFF (the first document of a process).
func BenchmarkSubsetCold(bm *testing.B) {
	// Run with -benchtime 3x: every iteration converts every glyph again.
	requireFonts(bm)
	cfg, _ := LoadConfig("")
	var texts map[string]string
	if bm.N > 5 {
		bm.Fatal("BenchmarkSubsetCold converts every glyph each time: run it with -benchtime 3x")
	}
	for bm.Loop() {
		bm.StopTimer()
		b, err := Open(cfg)
		if err != nil {
			bm.Fatal(err)
		}
		if texts == nil {
			texts = coveredTexts(b, exampleTexts(bm))
		}
		bm.StartTimer()
		if _, err := exampleBuilder(bm, b, texts).Build(); err != nil {
			bm.Fatal(err)
		}
		bm.StopTimer()
		b.Close()
		bm.StartTimer()
	}
}

func BenchmarkSegmentBody(bm *testing.B) {
	b := requireFonts(bm)
	text := coveredTexts(b, exampleTexts(bm))[RoleBody]
	bm.SetBytes(int64(len(text)))
	for bm.Loop() {
		if _, err := b.Segment(RoleBody, text); err != nil {
			bm.Fatal(err)
		}
	}
}

// BenchmarkOpenBook measures process-start cost: indexing every font of the
// system directories (name tables only).
func BenchmarkOpenBook(bm *testing.B) {
	requireFonts(bm)
	cfg, _ := LoadConfig("")
	for bm.Loop() {
		b, err := Open(cfg)
		if err != nil {
			bm.Fatal(err)
		}
		b.Close()
	}
}

// TestConcurrentUse shares one fresh book between goroutines that segment
// and build subsets at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	requireFonts(t)
	cfg, _ := LoadConfig("")
	b, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	texts := []string{"𥔲嘉镇人民政府啰瞭 2024", "主动公开情况。ABC", "政府信息公开工作年度报告"}
	var wg sync.WaitGroup
	results := make([][]byte, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sb := b.NewSubsetBuilder()
			for _, role := range []string{RoleBody, RoleHeading2, RoleTitle} {
				spans, err := b.Segment(role, texts[i%3])
				if err != nil {
					t.Error(err)
					return
				}
				for _, s := range spans {
					sb.Add(s.Face, s.Text)
				}
			}
			subs, err := sb.Build()
			if err != nil {
				t.Error(err)
				return
			}
			for _, s := range subs {
				results[i] = append(results[i], s.TTF...)
			}
		}()
	}
	wg.Wait()
	for i := 3; i < 6; i++ {
		if !bytes.Equal(results[i], results[i-3]) {
			t.Errorf("goroutines %d and %d built different fonts from the same text", i-3, i)
		}
	}
}

func TestPrivateUse(t *testing.T) {
	b := requireFonts(t)
	babel := b.Lookup("BabelStone Han")
	if babel == nil {
		t.Skip("BabelStone Han not installed")
	}
	// BabelStone Han maps U+E000, but what a private-use code means depends
	// on the font that made it: by default no face covers it.
	if babel.HasRune(0xE000) {
		t.Error("private-use character covered by default")
	}
	var mg *MissingGlyphError
	if _, err := b.Segment(RoleBody, "造\uE000字"); !errors.As(err, &mg) || mg.Runes[0] != 0xE000 {
		t.Errorf("Segment(private use) error = %v", err)
	}

	pb, err := Open(Config{
		Roles:           map[string][]string{"x": {"BabelStone Han"}},
		AllowPrivateUse: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()
	f := pb.Lookup("BabelStone Han")
	if !f.HasRune(0xE000) {
		t.Fatal("AllowPrivateUse: U+E000 not covered")
	}
	sub := buildOne(t, f, "\uE000\U00020000")
	g1, _ := sub.GlyphID(0xE000)
	g2, _ := sub.GlyphID(0x20000)
	if g1 == g2 || g1 == 0 || g2 == 0 {
		t.Errorf("glyphs %d and %d", g1, g2)
	}
}

// TestCubicToTrueTypeBound checks the final, rounded TrueType form of random
// cubics (implied joins included, at every rounding a rasterizer may use)
// stays within 2 units, and that joins are in fact left implied.
func TestCubicToTrueTypeBound(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	implied, joins := 0, 0
	for i := 0; i < 2000; i++ {
		var p [4][2]float64
		scale := []float64{30, 300, 1000}[i%3]
		for j := range p {
			p[j] = [2]float64{math.Round(rng.Float64() * scale), math.Round(rng.Float64() * scale)}
		}
		pts := appendCubicTT(nil, p, cubicTolerance)
		n := len(pts) / 2
		start := qpoint{x: p[0][0], y: p[0][1], on: true}
		for k := 0; k < n; k++ {
			if e := pieceError(p, n, k, start, pts); e > 2 {
				t.Fatalf("cubic %v: piece %d/%d off by %.3f", p, k, n, e)
			}
			if pts[2*k].on || !pts[2*k+1].on {
				t.Fatalf("cubic %v: points not off/on pairs: %v", p, pts)
			}
			if k < n-1 {
				joins++
				if pts[2*k+1].implied {
					implied++
				}
			}
		}
		if pts[len(pts)-1].implied || pts[len(pts)-1].x != p[3][0] || pts[len(pts)-1].y != p[3][1] {
			t.Fatalf("cubic %v: must end on its end point, got %+v", p, pts[len(pts)-1])
		}
	}
	t.Logf("%d of %d joins implied", implied, joins)
	if implied < joins/4 {
		t.Errorf("only %d of %d joins implied", implied, joins)
	}
}

// BenchmarkConvertGlyphs converts the CFF outlines of the glyphs the
// example sets, in every CFF face it uses, to TrueType glyphs: the work a
// process does once per glyph (the glyph caches keep the result), less
// the CFF interpreter's. ns/op is per glyph.
func BenchmarkConvertGlyphs(bm *testing.B) {
	b := requireFonts(bm)
	texts := coveredTexts(b, exampleTexts(bm))
	var outlines [][]ot.Segment
	type glyphKey struct {
		f *Face
		r rune
	}
	seen := map[glyphKey]bool{}
	for _, role := range Roles {
		spans, err := b.Segment(role, texts[role])
		if err != nil {
			bm.Fatal(err)
		}
		for _, sp := range spans {
			if !sp.Face.cff {
				continue
			}
			buildOne(bm, sp.Face, sp.Text) // opens the outlines
			for _, r := range sp.Text {
				if seen[glyphKey{sp.Face, r}] {
					continue
				}
				seen[glyphKey{sp.Face, r}] = true
				segs, _, err := sp.Face.glyphs.cff.LoadGlyph(tables.GlyphID(sp.Face.glyphIndex(r)))
				if err != nil {
					bm.Fatal(err)
				}
				outlines = append(outlines, slices.Clone(segs))
			}
		}
	}
	bm.ResetTimer()
	for i := 0; bm.Loop(); i++ {
		encodeSimpleGlyph(quadContours(outlines[i%len(outlines)], cubicTolerance))
	}
}
