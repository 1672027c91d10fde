package strictjson

import (
	"strconv"
)

// Get returns the value at pointer p in a decoded document.
func Get(doc any, p string) (any, bool) {
	toks, err := SplitPointer(p)
	if err != nil {
		return nil, false
	}
	cur := doc
	for _, t := range toks {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[t]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
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
