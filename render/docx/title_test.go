package docx

import (
	"strings"
	"testing"
)

// The annual report template's title words.
var annualWords = []string{"人民政府", "政府信息公开", "政府信息", "政务公开", "办公厅", "办公室", "委员会", "街道办事处", "年度报告", "工作", "关于", "规定", "规范"}

func TestBalancedBreaks(t *testing.T) {
	const width = 442.2 // 156 mm
	cases := []struct {
		text string
		size float64
		want string // "|" marks the breaks; "" for none
	}{
		// The PDF backend's choice for the example title.
		{"𥔲嘉镇人民政府2024年度政府信息公开工作年度报告", 22, "𥔲嘉镇人民政府2024年度|政府信息公开工作年度报告"},
		{"某某市人民政府办公室2024年度政府信息公开工作年度报告", 22, "某某市人民政府办公室2024年度|政府信息公开工作年度报告"},
		{"短标题", 22, ""},
		{"已经\n分好行的标题已经分好行的标题已经分好行的标题已经分好行的标题", 22, ""},
		{strings.Repeat("很长的标题", 20), 22, ""}, // more than three lines
		{"关于印发《某某县人民政府信息公开工作规定》和《某某县人民政府办公室政务公开工作规范》的通知", 22,
			// Three lines of 16, 14 and 13 em, each break at a word boundary.
			"关于印发《某某县人民政府信息公开|工作规定》和《某某县人民政府|办公室政务公开工作规范》的通知"},
	}
	for _, c := range cases {
		text := strings.ReplaceAll(c.text, "|", "")
		cuts := balancedBreaks(text, annualWords, c.size, width, 0)
		var b strings.Builder
		prev := 0
		for _, k := range cuts {
			b.WriteString(text[prev:k] + "|")
			prev = k
		}
		got := ""
		if cuts != nil {
			b.WriteString(text[prev:])
			got = b.String()
		}
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}
