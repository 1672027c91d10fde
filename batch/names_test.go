package batch

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"𥔲嘉镇人民政府", "𥔲嘉镇人民政府"},
		{"a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"},
		{"../../etc", "_.._etc"},
		{"..", "_"},
		{"  双柏县\t人民政府  ", "双柏县 人民政府"},
		{"名称\u200b带零宽", "名称_带零宽"},
		{"ctrl\x00\x1fname", "ctrl__name"},
		{"CON", "_CON"},
		{"nul.txt", "_nul.txt"},
		{"trailing dots...", "trailing dots"},
		{"", "_"},
		{"cafe\u0301", "caf\u00e9"}, // NFC, as macOS would otherwise store a different byte sequence
	}
	for _, c := range cases {
		if got := SafeName(c.in, 200); got != c.want {
			t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("𥔲", 100) // 400 bytes
	got := SafeName(long, 50)
	if len(got) > 50 || !utf8.ValidString(got) || got != strings.Repeat("𥔲", 12) {
		t.Errorf("truncation gave %q (%d bytes)", got, len(got))
	}
}

func TestSafeBase(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"2024", "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告"}, "2024/𥔲嘉镇人民政府2024年度政府信息公开工作年度报告"},
		{[]string{"..", "甲镇/人民政府", "b:c"}, "_/甲镇_人民政府/b_c"},
		{[]string{" "}, ""},
		{[]string{"CON"}, "_CON"},
	} {
		if got := safeBase(tc.in); got != tc.want {
			t.Errorf("safeBase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	name := safeBase([]string{"2024", strings.Repeat("很长的机关名称", 40)})
	file := name[strings.Index(name, "/")+1:] + "-0123abcd-99.docx"
	if len(file) > 255 {
		t.Fatalf("file name of %d bytes", len(file))
	}
}

func TestNamerResolvesCollisionsDeterministically(t *testing.T) {
	n := newNamer()
	sha := func(s string) string { h := sha256.Sum256([]byte(s)); return fmt.Sprintf("%x", h) }
	a := n.claim("2024/甲", sha("a"))
	b := n.claim("2024/甲", sha("b"))
	c := n.claim("2024/甲", sha("b")) // the very same content twice
	d := n.claim("2024/Abc", sha("d"))
	e := n.claim("2024/aBC", sha("e")) // differs only in case: collides on macOS and Windows
	f := n.claim("2023/甲", sha("f"))
	want := []string{"2024/甲", "2024/甲-" + sha("b")[:8], "2024/甲-" + sha("b")[:8] + "-2", "2024/Abc", "2024/aBC-" + sha("e")[:8], "2023/甲"}
	for i, got := range []string{a, b, c, d, e, f} {
		if got != want[i] {
			t.Errorf("claim %d = %q, want %q", i, got, want[i])
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, s := range []string{"0/1", "3/8", " 7 / 8 "} {
		if _, err := ParseShard(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"8/8", "-1/8", "1", "a/b", "0/0", "1/0", ""} {
		if _, err := ParseShard(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestShardsPartitionInputs(t *testing.T) {
	const n = 5
	counts := make([]int, n)
	for i := range 10000 {
		sum := sha256.Sum256([]byte(fmt.Sprint(i)))
		owners := 0
		for k := range n {
			if (Shard{k, n}).Contains(sum) {
				owners++
				counts[k]++
			}
		}
		if owners != 1 {
			t.Fatalf("input %d belongs to %d shards", i, owners)
		}
		if !All.Contains(sum) {
			t.Fatal("All does not contain an input")
		}
	}
	for k, c := range counts {
		if c < 1800 || c > 2200 {
			t.Errorf("shard %d/%d has %d of 10000 inputs", k, n, c)
		}
	}
}
