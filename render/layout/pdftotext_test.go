package layout_test

// End-to-end checks of the layout rules on real reports: the example
// report, edited the way real ones differ (long URLs, phone numbers,
// percentages, five- and six-digit counts, more text before the tables),
// rendered to PDF with the real fonts and measured from pdftotext -bbox.

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/report"
)

const exampleTemplate = "gov-info-disclosure-annual/2021"

// word is one word of pdftotext -bbox: a run of characters without a
// visible gap.
type word struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// renderWords renders the example report edited by edit to PDF and
// returns its words.
func renderWords(t *testing.T, edit func(m map[string]any)) []word {
	t.Helper()
	pdftotext := testkit.Tool(t, "pdftotext")
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.FontsReady(); err != nil {
		testkit.Missing(t, "fonts (scripts/setup-fonts.sh): %v", err)
	}
	info, ok := p.Template(exampleTemplate)
	if !ok {
		t.Fatalf("no template %s", exampleTemplate)
	}
	var m map[string]any
	if err := json.Unmarshal(info.Example, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	opts := report.DefaultOptions()
	opts.AllowProblems = true // edited counts need not add up
	pdf, _, err := p.Render(context.Background(), raw, report.PDF, opts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-bbox", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []word
	for i, pg := range bboxPage.Split(string(out), -1)[1:] {
		for _, m := range bboxWord.FindAllStringSubmatch(pg, -1) {
			w := word{page: i + 1, text: html.UnescapeString(m[5])}
			for k, f := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
				*f, _ = strconv.ParseFloat(m[k+1], 64)
			}
			words = append(words, w)
		}
	}
	return words
}

func pageOfWord(words []word, prefix string) int {
	for _, w := range words {
		if strings.HasPrefix(w.text, prefix) {
			return w.page
		}
	}
	return 0
}

// setCounts sets every count under m[key] to v.
func setCounts(m map[string]any, key string, v float64) {
	var walk func(x map[string]any)
	walk = func(x map[string]any) {
		for k, c := range x {
			switch c := c.(type) {
			case map[string]any:
				walk(c)
			case float64:
				x[k] = v
			}
		}
	}
	walk(m[key].(map[string]any))
}

// A line of body text is never letter-spaced: pdftotext splits a line
// into words where a gap shows, so the gaps between the words of a body
// line (三号, 16 pt) are at most the 0.15 em cap (plus the space of a
// space character). Before the cap, moving "0878-7712345" or a URL to the
// next line spread the characters left behind up to 6.4 pt apart.
func TestPDFNoLetterSpacedLines(t *testing.T) {
	words := renderWords(t, func(m map[string]any) {
		overview := m["overview"].([]any)
		overview[1].(map[string]any)["text"] = "严格按照《中华人民共和国政府信息公开条例》规定发布信息。通过门户网站https://www.shuangbai.gov.cn/sbxrmzf/c102584/202401/4f3b2a1c9e8d4b7a8e6f5d4c3b2a1908.shtml发布乡镇快讯、机构职能等信息共100条，监督电话0878-7712345、13987654321，办结率达100%，满意率（47.36%）较上年提高。"
		overview[2].(map[string]any)["text"] = "政府信息公开申请可通过http://www.chuxiong.gov.cn/zfxxgk/ysqgk/index.html在线提交，或致电0878-3123456（工作日9:00-17:30）咨询，邮箱sbxzfxxgk@163.com，依申请公开办件12件，答复率（100.00%）。"
	})
	const em = 16.0
	lines := 0
	for i := 1; i < len(words); i++ {
		a, b := words[i-1], words[i]
		if a.page != b.page || a.yMin != b.yMin || b.yMax-b.yMin != em {
			continue
		}
		lines++
		if gap := b.xMin - a.xMax; gap > 0.15*em+0.3 {
			t.Errorf("page %d: %.1f pt between %q and %q", a.page, gap, a.text, b.text)
		}
	}
	if lines == 0 {
		t.Fatal("no gaps measured: pdftotext found no split lines (the test measures nothing)")
	}
}

// Counts never wrap in their cells: every five- and six-digit count is one
// word, whole, in tables 三 and 四 (9.75 mm and 10.4 mm columns).
func TestPDFCountsNeverWrap(t *testing.T) {
	words := renderWords(t, func(m map[string]any) {
		setCounts(m, "requests", 12345)
		setCounts(m, "reviewLitigation", 54321)
		m["requests"].(map[string]any)["newlyReceived"].(map[string]any)["natural"] = 123456.0
	})
	whole := map[string]int{}
	for _, w := range words {
		if strings.Trim(w.text, "0123456789") != "" {
			continue
		}
		if w.text == "12345" || w.text == "54321" || w.text == "123456" {
			whole[w.text]++
		} else if len(w.text) > 1 && strings.Contains("123456 54321", w.text) {
			t.Errorf("page %d: a count broken into %q", w.page, w.text)
		}
	}
	// Table 三: 25 rows × 7 columns less the one 123456; table 四: 15.
	if whole["12345"] != 25*7-1 || whole["123456"] != 1 || whole["54321"] != 15 {
		t.Errorf("whole counts: %v, want 174 × 12345, 1 × 123456, 15 × 54321", whole)
	}
}

// withOverview lengthens the report's first overview paragraph by k
// clauses, moving the tables down the pages.
func withOverview(k int) func(m map[string]any) {
	return func(m map[string]any) {
		p := m["overview"].([]any)[0].(map[string]any)
		p["text"] = p["text"].(string) + strings.Repeat("加强政府信息公开工作。", k)
	}
}

// Wherever the tables fall, a group heading of table 二 stays with its
// first row, table 三's header with its second row, the repeated label
// 三、本年度办理结果 does not stretch （七）总计's row, and the narrow heads
// read 社会/公益/组织.
func TestPDFTablesAtPageFeet(t *testing.T) {
	pairs := [][2]string{
		{"第二十条第（一）项", "规章"}, {"第二十条第（五）项", "行政许可"},
		{"第二十条第（六）项", "行政处罚"}, {"第二十条第（八）项", "行政事业性收费"},
		{"申请人情况", "二、上年结转政府信息公开申请数量"},
	}
	for k := 0; k <= 60; k += 2 {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			words := renderWords(t, withOverview(k))
			for _, p := range pairs {
				hp, rp := pageOfWord(words, p[0]), pageOfWord(words, p[1])
				if hp == 0 || rp == 0 || hp != rp {
					t.Errorf("%q on page %d, %q on page %d", p[0], hp, p[1], rp)
				}
			}
			var before, total, next *word
			for i := range words {
				switch {
				case words[i].text == "3.其他":
					before = &words[i]
				case words[i].text == "（七）总计":
					total = &words[i]
				case strings.HasPrefix(words[i].text, "四、结转下年度继续办理"):
					next = &words[i]
				}
			}
			if before == nil || total == nil || next == nil || total.page != next.page {
				t.Fatalf("rows 3.其他 %v, （七）总计 %v, 四、结转… %v", before, total, next)
			}
			// As tall as the one-line row above it, if that is on the same
			// page; else as tall as the one-line row below.
			if before.page == total.page && total.yMin-before.yMin < next.yMin-total.yMin-0.5 {
				t.Errorf("the （七）总计 row is %.1f pt tall, the 3.其他 row %.1f pt", next.yMin-total.yMin, total.yMin-before.yMin)
			}
			for _, w := range words {
				if w.text == "社会公" || w.text == "法律服" {
					t.Errorf("page %d: a narrow head broken inside a word: %q", w.page, w.text)
				}
			}
		})
	}
}
