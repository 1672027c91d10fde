package engine

import "gongwen/render"

// GB/T 9704-2012 defaults: a template that leaves page setup or a standard
// style out gets the national layout, so a new official-document template
// only states what differs.

func defaultPage() PageSpec {
	return PageSpec{
		WidthMM: 210, HeightMM: 297,
		MarginTopMM: 37, MarginBottomMM: 35, MarginLeftMM: 28, MarginRightMM: 26,
		LinePitchPt: 28.95, LinesPerPage: 22, CharsPerLine: 28,
		PageNumber: PageNumberSpec{Style: "pageNumber", Format: "— {n} —", BelowMM: 7, InsetChars: 1, OddAlign: "right", EvenAlign: "left"},
	}
}

func defaultStyles() map[string]StyleSpec {
	const pitch = 28.95
	return map[string]StyleSpec{
		render.StyleTitle:       {Role: render.RoleTitle, SizePt: 22, Align: "center", LineSpacingPt: pitch, SpaceAfterPt: pitch, KeepWithNext: true, SnapToGrid: true},
		render.StyleBody:        {Role: render.RoleBody, SizePt: 16, Align: "justify", FirstLineIndentChars: 2, LineSpacingPt: pitch, SnapToGrid: true},
		render.StyleHeading1:    {Role: render.RoleHeading1, SizePt: 16, Align: "justify", FirstLineIndentChars: 2, LineSpacingPt: pitch, KeepWithNext: true, SnapToGrid: true},
		render.StyleHeading2:    {Role: render.RoleHeading2, SizePt: 16},
		render.StyleTableText:   {Role: render.RoleTable, SizePt: 10.5, Align: "center", LineSpacingPt: 13.5},
		render.StyleTableHeader: {Role: render.RoleTableHeader, SizePt: 10.5, Align: "center", LineSpacingPt: 13.5},
		render.StyleSignature:   {Role: render.RoleBody, SizePt: 16, Align: "right", RightIndentChars: 4, LineSpacingPt: pitch, SpaceBeforePt: pitch, SnapToGrid: true},
		render.StyleDate:        {Role: render.RoleBody, SizePt: 16, Align: "right", RightIndentChars: 4, LineSpacingPt: pitch, SnapToGrid: true},
		render.StylePageNumber:  {Role: render.RolePageNumber, SizePt: 14, Align: "right"},
	}
}

// withDefaults fills what the manifest leaves out. A style the manifest
// names replaces the default of that name whole: half-merged styles would
// be hard to reason about.
func (m *Manifest) withDefaults() {
	d := defaultPage()
	p := &m.Page
	fill := func(dst *float64, v float64) {
		if *dst == 0 {
			*dst = v
		}
	}
	fill(&p.WidthMM, d.WidthMM)
	fill(&p.HeightMM, d.HeightMM)
	fill(&p.MarginTopMM, d.MarginTopMM)
	fill(&p.MarginBottomMM, d.MarginBottomMM)
	fill(&p.MarginLeftMM, d.MarginLeftMM)
	fill(&p.MarginRightMM, d.MarginRightMM)
	fill(&p.LinePitchPt, d.LinePitchPt)
	if p.LinesPerPage == 0 {
		p.LinesPerPage = d.LinesPerPage
	}
	if p.CharsPerLine == 0 {
		p.CharsPerLine = d.CharsPerLine
	}
	if p.PageNumber == (PageNumberSpec{}) {
		p.PageNumber = d.PageNumber
	}
	if m.Styles == nil {
		m.Styles = map[string]StyleSpec{}
	}
	for name, s := range defaultStyles() {
		if _, ok := m.Styles[name]; !ok {
			m.Styles[name] = s
		}
	}
	if m.Meta.Language == "" {
		m.Meta.Language = "zh-CN"
	}
}
