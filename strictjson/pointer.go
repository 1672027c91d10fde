package strictjson

import (
	"strconv"
	"strings"
)

// Get returns the value at pointer p in a decoded document. It walks the
// pointer in place, without splitting it: rules and bindings call it a few
// hundred times per report.
func Get(doc any, p string) (any, bool) {
	if p == "" {
		return doc, true
	}
	if p[0] != '/' {
		return nil, false
	}
	cur := doc
	rest := p[1:]
	for {
		tok := rest
		next := strings.IndexByte(rest, '/')
		if next >= 0 {
			tok = rest[:next]
		}
		if strings.IndexByte(tok, '~') >= 0 {
			tok = unescapeToken.Replace(tok)
		}
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
		if next < 0 {
			return cur, true
		}
		rest = rest[next+1:]
	}
}

// SetMissing stores v at pointer p, creating missing intermediate objects.
// It never replaces an existing value (defaults fill gaps, they do not
// overwrite what the clerk wrote) and reports whether it stored v. It
// fails quietly, returning false, when a non-object stands in the way:
// schema validation has reported that already.
func SetMissing(doc map[string]any, p string, v any) bool {
	toks, err := SplitPointer(p)
	if err != nil || len(toks) == 0 {
		return false
	}
	cur := doc
	for _, t := range toks[:len(toks)-1] {
		next, ok := cur[t]
		if !ok {
			m := map[string]any{}
			cur[t] = m
			cur = m
			continue
		}
		m, ok := next.(map[string]any)
		if !ok {
			return false
		}
		cur = m
	}
	last := toks[len(toks)-1]
	if _, exists := cur[last]; exists {
		return false
	}
	cur[last] = v
	return true
}
