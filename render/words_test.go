package render

import "testing"

func TestTitleBreak(t *testing.T) {
	words := []string{"人民政府", "政府信息公开", "政府信息", "年度报告"}
	text := []rune("某镇人民政府2024年度政府信息公开工作年度报告")
	at := func(k int) rune { return text[k] }
	for _, tc := range []struct {
		before           string // the break comes before the first occurrence of this
		inside, boundary bool
	}{
		{"人民政府", false, true},
		{"政府2024", true, false}, // 人民|政府
		{"2024", false, true},
		{"政府信息公开", false, true},
		{"信息公开", true, false}, // inside 政府信息公开 although 政府 could end a word
		{"公开工作", true, false},
		{"工作", false, true},
		{"度报告", true, false},
		{"镇人民", false, false},
	} {
		i := indexRunes(text, []rune(tc.before))
		if i < 0 {
			t.Fatalf("%q not in the text", tc.before)
		}
		inside, boundary := TitleBreak(words, len(text), at, i)
		if inside != tc.inside || boundary != tc.boundary {
			t.Errorf("before %q: inside %v boundary %v, want %v %v", tc.before, inside, boundary, tc.inside, tc.boundary)
		}
	}
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if string(s[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}
