package layout

import (
	"fmt"
	"math"

	"gongwen/render"
)

// Layout features of the GB/T 9704 forms, general to any template: rules
// in the flow, text flush right on a paragraph's last line, lines centred
// on the next paragraph, and blocks anchored to the foot of the last page.

// rule draws r below the last line (or rule) and moves the cursor past it.
func (f *flow) rule(r *render.Rule) {
	y := f.emBottom + r.GapMM*ptPerMM
	if r.TopMM != nil {
		y = *r.TopMM * ptPerMM
	}
	length := r.LengthMM * ptPerMM
	if length <= 0 {
		length = f.right - f.left
	}
	cx := (f.left + f.right) / 2
	pg := f.page()
	pg.Rules = append(pg.Rules, Rule{X1: cx - length/2, Y1: y, X2: cx + length/2, Y2: y, Width: r.WeightMM * ptPerMM, Color: r.Color})
	if r.TopMM != nil {
		return // outside the flow
	}
	f.emBottom = y
	f.y = math.Max(f.y, y+r.WeightMM*ptPerMM/2)
	f.fresh = false
}

// rightPart sets p.Right flush right at the right indent on the baseline
// of the paragraph's last line.
func (f *flow) rightPart(p *render.Paragraph, st render.Style, baseline, rightIndent float64) error {
	f.runs = f.runs[:0]
	for _, r := range p.Right {
		rs := st
		if r.Style != "" {
			var err error
			if rs, err = f.style(r.Style); err != nil {
				return err
			}
		}
		f.runs = append(f.runs, textRun{text: r.Text, role: rs.Role, size: rs.SizePt, color: rs.Color})
	}
	if err := f.set.shape(f.runs); err != nil {
		return err
	}
	tracking := f.tracking(st)
	f.set.breakLines(math.Inf(1), math.Inf(1), tracking)
	if len(f.set.lines) == 0 {
		return nil
	}
	l := f.set.lines[0]
	pg := f.page()
	pg.Texts = f.set.emit(pg.Texts, l, f.right-rightIndent-l.natural, baseline, tracking, spacing{})
	return nil
}

// firstLineCentre is the horizontal centre of p's first line as it will
// be set (CenterOnNext). It uses the setter's buffers: call it before
// shaping the paragraph being set.
func (f *flow) firstLineCentre(p *render.Paragraph) (float64, bool) {
	st, err := f.style(p.Style)
	if err != nil || f.collectRuns(p, st) != nil || f.set.shape(f.runs) != nil {
		return 0, false
	}
	tracking := f.tracking(st)
	charW := st.SizePt + tracking
	rightIndent := st.RightIndentChars * charW
	firstIndent := st.FirstLineIndentChars * charW
	avail := f.right - f.left - rightIndent
	f.set.breakLines(avail-firstIndent, avail, tracking)
	if len(f.set.lines) == 0 {
		return 0, false
	}
	w := f.set.lines[0].natural
	x := f.left + firstIndent
	switch st.Align {
	case render.AlignCenter:
		x = f.left + (avail-w)/2
	case render.AlignRight:
		x = f.right - rightIndent - w
	}
	return x + w/2, true
}

// anchored sets a's blocks at the foot of a page at or after the current
// one, the last block's bottom on the text block's lower edge: on the
// current page when they fit below the flow (and the page is even, with
// EvenPage), else on new pages. Pages it adds before are blank; a page
// holding only the anchored blocks carries no page number.
func (f *flow) anchored(a *render.Anchored) error {
	// Set the blocks on a scratch page from y = 0, then move them down.
	scratch := &flow{doc: f.doc, set: f.set, top: 0, bot: math.Inf(1), left: f.left, right: f.right, pitch: f.pitch,
		res: &Result{WidthPt: f.res.WidthPt, HeightPt: f.res.HeightPt, Pages: []Page{{}}}, fresh: true}
	for i, b := range a.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			if err := scratch.paragraph(b, nextBlock(a.Blocks, i)); err != nil {
				return err
			}
		case *render.Rule:
			scratch.rule(b)
		default:
			return fmt.Errorf("anchored: %T cannot be anchored", b)
		}
	}
	f.set = scratch.set
	// The block's extent: from the top of its first line to its last rule
	// (or the bottom of its last line).
	height := scratch.y
	if _, ok := a.Blocks[len(a.Blocks)-1].(*render.Rule); ok {
		height = scratch.emBottom
	}
	if height > f.bot-f.top+eps {
		return fmt.Errorf("anchored: %.0f mm does not fit in the text block", height/ptPerMM)
	}
	fits := func() bool {
		return f.fresh || f.y+height <= f.bot+eps
	}
	if f.unnumbered == nil {
		f.unnumbered = map[int]bool{}
	}
	sharing := !f.fresh // the page holds flow content too
	for !fits() || a.EvenPage && len(f.res.Pages)%2 == 1 {
		if !sharing {
			f.unnumbered[len(f.res.Pages)-1] = true // left blank
		}
		f.newPage()
		sharing = false
	}
	dy := f.bot - height
	pg := f.page()
	for _, t := range scratch.res.Pages[0].Texts {
		t.Y += dy
		pg.Texts = append(pg.Texts, t)
	}
	for _, r := range scratch.res.Pages[0].Rules {
		r.Y1 += dy
		r.Y2 += dy
		pg.Rules = append(pg.Rules, r)
	}
	if !sharing {
		f.unnumbered[len(f.res.Pages)-1] = true
	}
	f.y = f.bot
	f.fresh = false
	return nil
}
