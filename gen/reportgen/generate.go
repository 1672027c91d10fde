package reportgen

import (
	"fmt"
	"strconv"
	"strings"
)

// TemplateID is the template every generated report is written for.
const TemplateID = "gov-info-disclosure-annual/2021"

// Generate returns report number index of the series fixed by seed. It
// satisfies R1–R4 exactly.
func Generate(seed uint64, index int) *Report {
	r := newRNG(seed, index, 0)
	g := &generator{r: r}
	return g.report()
}

type generator struct {
	r *rng

	kind   OrganKind
	organ  string
	short  string
	year   int
	scale  int64
	ascii  bool // the clerk typed ASCII punctuation (the engine normalises it)
	zeroes cellStyle
	totals totalStyle

	// Figures quoted in the prose, taken from the tables so they agree.
	received, carriedOver, handled, disclosed, carriedForward int64
	reviews, lawsuits                                         int64
	published                                                 int64
}

// cellStyle is how a clerk writes a zero.
type cellStyle int

const (
	zeroAsZero  cellStyle = iota // 0
	zeroAsBlank                  // null: some provincial reports leave zero cells blank
	zeroAsSlash                  // "/"
	zeroMixed                    // a bit of everything
)

// totalStyle is whether the clerk fills in the 总计 cells.
type totalStyle int

const (
	totalsGiven totalStyle = iota
	totalsOmitted
	totalsMixed
)

func (g *generator) report() *Report {
	r := g.r
	g.kind, g.organ, g.short = organ(r)
	g.year = int(r.between(2021, 2025))
	g.scale = g.kind.scale(r)
	if g.kind == Township && r.chance(40) {
		g.scale = 0 // most townships receive no request at all
	}
	g.ascii = r.chance(12)
	g.zeroes = cellStyle(r.weighted([]int64{70, 12, 6, 12}))
	g.totals = totalStyle(r.weighted([]int64{70, 15, 15}))
	g.published = g.scale*r.between(3, 40) + r.between(5, 300)

	rep := &Report{Organ: g.organ, Year: g.year}
	if r.chance(80) {
		rep.Template = TemplateID
	}
	if r.chance(5) {
		rep.Title = fmt.Sprintf("%s关于%d年度政府信息公开工作情况的报告", g.organ, g.year)
	}
	rep.Proactive = g.proactive()
	rep.Requests = g.requests()
	rep.ReviewLitigation = g.reviewLitigation()
	// Prose last: it quotes the tables.
	if r.chance(60) {
		rep.Preface = []Paragraph{{Text: g.fill(prefaceText)}}
	}
	rep.Overview = g.overview()
	rep.Problems = g.problems()
	rep.OtherMatters = g.otherMatters()
	if r.chance(70) {
		sig := &Signature{Date: fmt.Sprintf("%d-%02d-%02d", g.year+1, r.between(1, 3), r.between(1, 28))}
		if r.chance(80) {
			sig.Organ = g.organ
		}
		rep.Signature = sig
	}
	return rep
}

// zero writes a zero the way this report's clerk does.
func (g *generator) zero() Cell {
	switch g.zeroes {
	case zeroAsBlank:
		return Cell{Kind: Blank}
	case zeroAsSlash:
		return Cell{Kind: NotApplicable}
	case zeroMixed:
		return [...]Cell{Num(0), Num(0), {Kind: Blank}, {Kind: NotApplicable}}[g.r.intn(4)]
	}
	return Num(0)
}

func (g *generator) count(n int64) Cell {
	if n == 0 {
		return g.zero()
	}
	return Num(n)
}

// total is a 总计 cell for the given sum, or Absent when the clerk leaves it
// to the engine.
func (g *generator) total(sum int64) Cell {
	switch g.totals {
	case totalsOmitted:
		return Cell{}
	case totalsMixed:
		if g.r.chance(50) {
			return Cell{}
		}
	}
	return g.count(sum)
}

func (g *generator) proactive() Proactive {
	r := g.r
	var p Proactive
	if g.kind.mayIssueRegulations() {
		issued := r.between(0, 12)
		p.Regulations = DocumentCounts{g.count(issued), g.count(r.between(0, 6)), g.count(issued + r.between(10, 400))}
	} else {
		// No rule-making power: most write "/", some 0, some leave it blank.
		c := [...]Cell{{Kind: NotApplicable}, {Kind: NotApplicable}, Num(0), {Kind: Blank}}[r.intn(4)]
		p.Regulations = DocumentCounts{c, c, c}
	}
	size := map[OrganKind]int64{Township: 4, CountyGovernment: 30, CountyDepartment: 12, Prefecture: 60, Province: 120, Ministry: 80}[g.kind]
	issued := r.between(0, size)
	p.NormativeDocuments = DocumentCounts{g.count(issued), g.count(r.between(0, size/2+1)), g.count(issued + r.between(0, size*8))}
	decisions := map[OrganKind]int64{Township: 40, CountyGovernment: 300, CountyDepartment: 6000, Prefecture: 20000, Province: 5000, Ministry: 90000}[g.kind]
	p.Licensing = g.count(r.intn(decisions + 1))
	p.Punishment = g.count(r.intn(decisions + 1))
	p.Coercion = g.count(r.intn(decisions/10 + 1))
	p.Fees = g.amount()
	return p
}

// amount is a 万元 figure as organs write it: 0, whole numbers, and decimals
// with up to six places, trailing zeros kept.
func (g *generator) amount() Amount {
	r := g.r
	quoted := r.chance(50)
	if g.kind == Township || r.chance(30) {
		return Amount{Text: pick(r, []string{"0", "0", "0.00", "0.0"}), Quoted: quoted}
	}
	whole := r.intn([]int64{10, 1000, 100000, 10000000}[r.intn(4)])
	places := r.intn(7)
	text := strconv.FormatInt(whole, 10)
	if places > 0 {
		var frac strings.Builder
		for range places {
			frac.WriteByte(byte('0' + r.intn(10)))
		}
		text += "." + frac.String()
	}
	return Amount{Text: text, Quoted: quoted}
}

var columnWeights = []int64{70, 12, 2, 2, 8, 6}

// Weights of the 21 result rows: most requests are disclosed or the organ
// does not hold the information.
var itemWeights = []int64{50, 8, 1, 1, 1, 2, 2, 3, 1, 2, 15, 3, 3, 3, 3, 1, 1, 1, 2, 1, 2}

// split divides n into len(weights) non-negative parts adding up to n,
// roughly in proportion to the weights, with jitter; a zero weight gets 0.
func (g *generator) split(n int64, weights []int64) []int64 {
	parts := make([]int64, len(weights))
	shares := make([]float64, len(weights))
	var total float64
	for i, w := range weights {
		shares[i] = float64(w) * (0.5 + g.r.unit())
		total += shares[i]
	}
	if n == 0 || total == 0 {
		return parts
	}
	left := n
	for i, s := range shares {
		parts[i] = int64(float64(n) * s / total)
		left -= parts[i]
	}
	// Hand out the few units lost to rounding by weight.
	for ; left > 0; left-- {
		parts[g.r.weighted(weights)]++
	}
	return parts
}

func (g *generator) requests() *Requests {
	r := g.r
	if g.scale == 0 {
		switch r.intn(3) {
		case 0:
			return nil // absent: every count 0
		case 1:
			return &Requests{} // every row {}: all keys absent, all zero
		}
	}
	// A random subset of result rows is never used by this organ.
	weights := make([]int64, len(itemWeights))
	for i, w := range itemWeights {
		if i == 0 || !r.chance(35) {
			weights[i] = w
		}
	}
	var items [21][NumColumns]int64
	var newly, over, fwd [NumColumns]int64
	perColumn := g.split(g.scale, columnWeights)
	for c := range NumColumns {
		n := perColumn[c]
		for i, v := range g.split(n, weights) {
			items[i][c] = v
		}
		fwd[c] = r.intn(n/8 + 1)
		over[c] = r.intn((n+fwd[c])/8 + 1)
		newly[c] = n + fwd[c] - over[c] // R1: 一 + 二 = （七） + 四
	}
	row := func(v [NumColumns]int64) Row {
		var x Row
		var sum int64
		for c := range NumColumns {
			x.Cells[c] = g.count(v[c])
			sum += v[c]
		}
		x.Total = g.total(sum) // R3
		return x
	}
	q := &Requests{NewlyReceived: row(newly), CarriedOver: row(over), CarriedForward: row(fwd)}
	var sums [NumColumns]int64
	for i, it := range q.Results.Items() {
		*it = row(items[i])
		for c := range NumColumns {
			sums[c] += items[i][c]
		}
	}
	if g.totals == totalsGiven || (g.totals == totalsMixed && r.chance(50)) {
		t := row(sums) // R2
		q.Results.Total = &t
	}
	for c := range NumColumns {
		g.received += newly[c]
		g.carriedOver += over[c]
		g.carriedForward += fwd[c]
		g.handled += sums[c]
		g.disclosed += items[0][c]
	}
	return q
}

func (g *generator) reviewLitigation() *ReviewLitigation {
	r := g.r
	group := func(n int64) Outcomes {
		p := g.split(n, []int64{6, 1, 1, 2})
		return Outcomes{g.count(p[0]), g.count(p[1]), g.count(p[2]), g.count(p[3]), g.total(n)} // R4
	}
	rev := r.intn(g.scale/40 + 2)
	direct := r.intn(g.scale/80 + 2)
	after := r.intn(rev/2 + 1)
	if g.scale == 0 && r.chance(70) {
		rev, direct, after = 0, 0, 0
	}
	g.reviews, g.lawsuits = rev, direct+after
	if rev+direct+after == 0 && r.chance(40) {
		return nil
	}
	return &ReviewLitigation{group(rev), group(direct), group(after)}
}
