package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Dump writes a readable, deterministic projection of the document: the
// golden files of template tests are dumps, so a change in structure shows
// up as a readable diff rather than as changed PDF bytes.
func Dump(w io.Writer, d *Document) error {
	b := &strings.Builder{}
	m := d.Meta
	fmt.Fprintf(b, "document template=%s lang=%s\n", m.TemplateID, m.Language)
	fmt.Fprintf(b, "meta title=%q author=%q subject=%q keywords=%q", m.Title, m.Author, m.Subject, m.Keywords)
	for _, c := range m.Custom {
		fmt.Fprintf(b, " %s=%q", c.Name, c.Value)
	}
	if !m.Created.IsZero() {
		fmt.Fprintf(b, " created=%s", m.Created.UTC().Format("2006-01-02T15:04:05Z"))
	}
	if len(m.Notes) > 0 {
		fmt.Fprintf(b, " notes=%q", m.Notes)
	}
	b.WriteByte('\n')
	p := d.Page
	fmt.Fprintf(b, "page %sx%smm margins top=%s bottom=%s left=%s right=%s pitch=%spt grid=%dx%d\n",
		num(p.WidthMM), num(p.HeightMM), num(p.MarginTopMM), num(p.MarginBottomMM), num(p.MarginLeftMM), num(p.MarginRightMM),
		num(p.LinePitchPt), p.LinesPerPage, p.CharsPerLine)
	pn := p.PageNumber
	fmt.Fprintf(b, "pagenumber style=%s format=%q below=%smm inset=%s odd=%s even=%s\n",
		pn.Style, pn.Format, num(pn.BelowMM), num(pn.InsetChars), pn.OddAlign, pn.EvenAlign)
	names := make([]string, 0, len(d.Styles))
	for n := range d.Styles {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		s := d.Styles[n]
		fmt.Fprintf(b, "style %s role=%s size=%s align=%s", n, s.Role, num(s.SizePt), s.Align)
		opt := func(name string, v float64) {
			if v != 0 {
				fmt.Fprintf(b, " %s=%s", name, num(v))
			}
		}
		opt("indent", s.FirstLineIndentChars)
		opt("rightIndent", s.RightIndentChars)
		opt("lineSpacing", s.LineSpacingPt)
		opt("before", s.SpaceBeforePt)
		opt("after", s.SpaceAfterPt)
		for _, f := range []struct {
			name string
			on   bool
		}{{"bold", s.Bold}, {"keepWithNext", s.KeepWithNext}, {"grid", s.SnapToGrid}, {"centerOnNext", s.CenterOnNext}} {
			if f.on {
				fmt.Fprintf(b, " %s", f.name)
			}
		}
		b.WriteByte('\n')
	}
	dumpBlocks(b, d.Blocks)
	_, err := io.WriteString(w, b.String())
	return err
}

func dumpBlocks(b *strings.Builder, blocks []Block) {
	for _, blk := range blocks {
		switch x := blk.(type) {
		case *Rule:
			fmt.Fprintf(b, "\n― rule gap=%smm length=%smm weight=%smm color=%02X%02X%02X\n", num(x.GapMM), num(x.LengthMM), num(x.WeightMM), x.Color.R, x.Color.G, x.Color.B)
		case *PageBreak:
			fmt.Fprintf(b, "\n⤓ page break\n")
		case *Anchored:
			fmt.Fprintf(b, "\n⚓ anchored evenPage=%v {\n", x.EvenPage)
			dumpBlocks(b, x.Blocks)
			fmt.Fprintf(b, "}\n")
		case *Paragraph:
			fmt.Fprintf(b, "\n¶ %s", x.Style)
			if x.TopMM != nil {
				fmt.Fprintf(b, " top=%smm", num(*x.TopMM))
			}
			if x.OutlineLevel > 0 {
				fmt.Fprintf(b, " outline=%d", x.OutlineLevel)
			}
			if x.Path != "" {
				fmt.Fprintf(b, " from=%s", x.Path)
			}
			b.WriteByte('\n')
			for _, r := range x.Runs {
				if r.Style != "" {
					fmt.Fprintf(b, "  [%s] %s\n", r.Style, r.Text)
				} else {
					fmt.Fprintf(b, "  %s\n", r.Text)
				}
			}
			for _, r := range x.Right {
				fmt.Fprintf(b, "  → [%s] %s\n", r.Style, r.Text)
			}
		case *Table:
			cols := make([]string, len(x.Columns))
			for i, c := range x.Columns {
				cols[i] = num(c)
			}
			fmt.Fprintf(b, "\n▦ table %s columns=[%s] headerRows=%d\n", x.Name, strings.Join(cols, " "), x.HeaderRows)
			for ri, row := range x.Rows {
				for _, c := range row.Cells {
					fmt.Fprintf(b, "  r%d c%d", ri+1, c.Col+1)
					if c.RowSpan > 1 || c.ColSpan > 1 {
						fmt.Fprintf(b, " span=%dx%d", c.RowSpan, c.ColSpan)
					}
					kind := "value"
					if c.Header {
						kind = "label"
					}
					fmt.Fprintf(b, " %s %s %s", kind, c.Style, c.Align)
					if c.Path != "" {
						fmt.Fprintf(b, " %s", c.Path)
					}
					fmt.Fprintf(b, " %q\n", c.Text)
				}
			}
		default:
			fmt.Fprintf(b, "\n? %T\n", blk)
		}
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
