package cjkpunct

import (
	"strings"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		changes  int
	}{
		{"(一)主动公开情况。", "（一）主动公开情况。", 2},
		{"渠道,加大力度", "渠道，加大力度", 1},
		{"镇管各办、中心(队)加大", "镇管各办、中心（队）加大", 2},
		{"通知:如下;完毕", "通知：如下；完毕", 2},
		{"会议于10:30开始", "会议于10:30开始", 0},
		{"Hello, world (test)", "Hello, world (test)", 0},
		{"数值3.5,共计", "数值3.5，共计", 1},
		{"是否公开?是!", "是否公开？是！", 2},
		{"COVID-19 (2020)疫情", "COVID-19 (2020)疫情", 0},
		{"((嵌套)括号)", "（（嵌套）括号）", 4},
		{"未闭合(括号", "未闭合（括号", 1},
		{"", "", 0},
		{"𥔲嘉镇,人民政府", "𥔲嘉镇，人民政府", 1},
	}
	for _, tt := range tests {
		got, ch := Normalize(tt.in)
		if got != tt.want || len(ch) != tt.changes {
			t.Errorf("Normalize(%q) = %q (%d changes), want %q (%d)", tt.in, got, len(ch), tt.want, tt.changes)
		}
		for i := 1; i < len(ch); i++ {
			if ch[i].Index < ch[i-1].Index {
				t.Errorf("changes of %q out of order", tt.in)
			}
		}
		if len([]rune(got)) != len([]rune(tt.in)) {
			t.Errorf("Normalize(%q) changed the number of characters", tt.in)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("(一)主动公开情况,如下:")
	f.Fuzz(func(t *testing.T, s string) {
		got, ch := Normalize(s)
		if len([]rune(got)) != len([]rune(s)) {
			t.Fatalf("rune count changed: %q -> %q", s, got)
		}
		rs, orig := []rune(got), []rune(s)
		for _, c := range ch {
			if orig[c.Index] != c.From || rs[c.Index] != c.To {
				t.Fatalf("change %+v does not match text", c)
			}
		}
	})
}

// Report text is untrusted: nested or unmatched brackets and long runs of
// spaces must not make normalisation quadratic (an 800 KB report once
// took 38 s).
func TestNormalizeIsLinear(t *testing.T) {
	for name, s := range map[string]string{
		"unmatched": strings.Repeat("中(", 200000),
		"nested":    strings.Repeat("(", 100000) + "中" + strings.Repeat(")", 100000),
		"spaces":    strings.Repeat(" ", 200000) + strings.Repeat(", ", 100000) + "中",
	} {
		start := time.Now()
		Normalize(s)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
