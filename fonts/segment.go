package fonts

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a run of text set in one face.
type Span struct {
	Face *Face
	Text string
}

// MissingGlyphError lists the characters no face of a role's chain covers.
// Its message is safe to show to users.
type MissingGlyphError struct {
	Role  string
	Runes []rune // distinct, in order of first appearance
}

func (e *MissingGlyphError) Error() string {
	parts := make([]string, len(e.Runes))
	for i, r := range e.Runes {
		parts[i] = describeRune(r)
	}
	return strings.Join(parts, "；") + "没有任何已配置的字体包含"
}

// describeRune renders a rune for error messages: 字符“X”（U+XXXX）.
// Invisible characters are shown by code point only.
func describeRune(r rune) string {
	if r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.Is(unicode.Co, r) {
		return fmt.Sprintf("字符（U+%04X）", r)
	}
	return fmt.Sprintf("字符“%c”（U+%04X）", r, r)
}

// Segment splits text into runs, each set in the first face of the role's
// chain that has every character of the run. If some character is in no
// face, it returns a *MissingGlyphError naming each such character (and no
// spans), so nothing is ever drawn blank.
func (b *Book) Segment(role, text string) ([]Span, error) {
	chain, err := b.Chain(role)
	if err != nil {
		return nil, err
	}
	var spans []Span
	var missing []rune
	start := 0
	var cur *Face
	for i, r := range text {
		f := pick(chain, r)
		if f == nil {
			if !containsRune(missing, r) {
				missing = append(missing, r)
			}
			continue
		}
		if f != cur {
			if cur != nil && len(missing) == 0 {
				spans = append(spans, Span{cur, text[start:i]})
			}
			cur, start = f, i
		}
	}
	if len(missing) > 0 {
		return nil, &MissingGlyphError{Role: role, Runes: missing}
	}
	if cur != nil {
		spans = append(spans, Span{cur, text[start:]})
	}
	return spans, nil
}

// pick returns the first face of chain having r. Invalid UTF-8 decodes to
// U+FFFD, which is looked up like any other character.
func pick(chain []*Face, r rune) *Face {
	for _, f := range chain {
		if f.HasRune(r) {
			return f
		}
	}
	return nil
}

// Missing returns the distinct characters of text that no face of the
// role's chain covers, sorted by code point. For an unknown role or a role
// without any installed face every character is missing.
func (b *Book) Missing(role, text string) []rune {
	chain, _ := b.Chain(role)
	// Nearly every text is covered: it is checked without the map of
	// characters seen (one per table cell was most of the coverage check).
	covered := true
	for _, r := range text {
		if pick(chain, r) == nil {
			covered = false
			break
		}
	}
	if covered {
		return nil
	}
	seen := map[rune]bool{}
	var out []rune
	for _, r := range text {
		if seen[r] {
			continue
		}
		seen[r] = true
		if pick(chain, r) == nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
