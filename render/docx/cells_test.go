package docx

import (
	"testing"

	"gongwen/render"
)

func TestFitCell(t *testing.T) {
	w := &writer{cellPadding: mmToTwips(DefaultCellPaddingMM)}
	text := &styleInfo{Style: render.Style{SizePt: 10.5}}
	cases := []struct {
		mm      float64
		text    string
		header  bool
		want    string
		halfPts int // 0: the style's size; -1: smaller than the 8 pt floor
	}{
		{9.75, "0", false, "0", 0},
		{9.75, "1234", false, "1234", 0},
		{9.75, "12345", false, "12345", 18}, // 9 pt
		{13.5, "123456", false, "123456", 0},
		{9.75, "123456", false, "123456", -1},
		{9.75, "123456789", false, "123456789", -1},
		{9.75, "47.36%", false, "47.36%", -1},
		{13.5, "47.36%", false, "47.36%", 0},
		{13.5, "社会公益组织", true, "社会\n公益\n组织", 0},
		{13.5, "法律服务机构", true, "法律\n服务\n机构", 0},
		{13.5, "商业企业", true, "商业\n企业", 0},
		{13.5, "自然人", true, "自然人", 0},
		{13.5, "（七）总计", true, "（七）总计", 0},
		{44, "社会公益组织", true, "社会公益组织", 0},
		{13.5, "社会公益组织", false, "社会公益组织", 0}, // data is never rearranged
	}
	for _, c := range cases {
		got, half := w.fitCell(&render.Cell{Text: c.text, Header: c.header}, text, mmToTwips(c.mm))
		ok := got == c.want && (half == c.halfPts || c.halfPts == -1 && half > 0 && half < 16)
		if !ok {
			t.Errorf("%q in %v mm: %q at %d half-points, want %q at %d", c.text, c.mm, got, half, c.want, c.halfPts)
		}
	}
}
