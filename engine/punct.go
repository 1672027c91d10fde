package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gongwen/cjkpunct"
	"gongwen/problem"
	"gongwen/strictjson"
)

// normalizePunctuation rewrites, in place, ASCII punctuation typed in
// Chinese text and reports one notice per changed string, so the clerk
// sees what was changed and where.
func normalizePunctuation(data map[string]any, labels *labelIndex, lang string) []problem.Problem {
	var out []problem.Problem
	var walk func(v any, path []string) any
	walk = func(v any, path []string) any {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				x[k] = walk(x[k], append(path, k))
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i], append(path, strconv.Itoa(i)))
			}
		case string:
			if len(path) == 1 && path[0] == "template" {
				return x
			}
			if cleaned, n := stripInvisible(x); n > 0 {
				out = append(out, problem.Problem{
					Severity: problem.Notice, Rule: "invisible", Path: strictjson.Pointer(path),
					Message: problem.Pick(lang, fmt.Sprintf("“%s”中有 %d 个不可见字符（零宽空格等，多由复制粘贴带入），已删除", labels.Label(path), n),
						fmt.Sprintf("%s: removed %d invisible character(s) (zero-width space and the like)", labels.Label(path), n)),
				})
				x = cleaned
			}
			fixed, changes := cjkpunct.Normalize(x)
			if len(changes) == 0 {
				return x
			}
			out = append(out, problem.Problem{
				Severity: problem.Notice, Rule: "punctuation", Path: strictjson.Pointer(path),
				Message: describeChanges(labels.Label(path), changes, lang),
			})
			return fixed
		}
		return v
	}
	walk(data, nil)
	return out
}

func describeChanges(label string, changes []cjkpunct.Change, lang string) string {
	counts := map[[2]rune]int{}
	var order [][2]rune
	for _, c := range changes {
		k := [2]rune{c.From, c.To}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		if lang == "en" {
			parts[i] = fmt.Sprintf("%q→%q ×%d", k[0], k[1], counts[k])
		} else {
			parts[i] = fmt.Sprintf("“%c”→“%c” %d 处", k[0], k[1], counts[k])
		}
	}
	if lang == "en" {
		return fmt.Sprintf("%s: half-width punctuation in Chinese text set full-width (%s)", label, strings.Join(parts, ", "))
	}
	return fmt.Sprintf("“%s”中的半角标点已改为全角：%s", label, strings.Join(parts, "，"))
}

// stripInvisible removes zero-width characters that text pasted from Word
// or web pages carries (U+200B zero-width space, U+FEFF, U+2060 word
// joiner, U+00AD soft hyphen): they print as nothing but each would be a
// separate font run, and they break search in the archived PDF.
func stripInvisible(s string) (string, int) {
	n := strings.Count(s, "\u200B") + strings.Count(s, "\uFEFF") + strings.Count(s, "\u2060") + strings.Count(s, "\u00AD")
	if n == 0 {
		return s, 0
	}
	return strings.NewReplacer("\u200B", "", "\uFEFF", "", "\u2060", "", "\u00AD", "").Replace(s), n
}
