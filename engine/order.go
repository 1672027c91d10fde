package engine

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"gongwen/problem"
	"gongwen/strictjson"
)

// Problems are listed in the order the form reads — 一 before 二, table rows
// top to bottom — which is the order properties are written in the schema.
// Decoded JSON objects forget key order, so it is read once from the raw
// schema: for every "properties" object, its keys in order, filed under
// the set of its keys (the same set means the same kind of node, e.g. a
// table B row).

type propertyOrders map[string]map[string]int

func orderKey(names []string) string {
	s := slices.Clone(names)
	slices.Sort(s)
	return strings.Join(s, "\x00")
}

func readPropertyOrders(raw []byte) propertyOrders {
	orders := propertyOrders{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var walk func(isProperties bool) bool
	// walk consumes one value; when isProperties, records its key order.
	walk = func(isProperties bool) bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return true
		}
		switch d {
		case '{':
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return false
				}
				k, _ := kt.(string)
				keys = append(keys, k)
				if !walk(k == "properties" && !isProperties) {
					return false
				}
			}
			if _, err := dec.Token(); err != nil {
				return false
			}
			if isProperties {
				idx := make(map[string]int, len(keys))
				for i, k := range keys {
					idx[k] = i
				}
				orders[orderKey(keys)] = idx
			}
		case '[':
			for dec.More() {
				if !walk(false) {
					return false
				}
			}
			if _, err := dec.Token(); err != nil {
				return false
			}
		}
		return true
	}
	walk(false)
	return orders
}

// position gives the sort key of an instance pointer.
func (l *labelIndex) position(pointer string) []int {
	toks, err := strictjson.SplitPointer(pointer)
	if err != nil {
		return nil
	}
	key := make([]int, 0, len(toks))
	node := l.resolve(l.root)
	for _, tok := range toks {
		const unknown = 1 << 20
		if node == nil {
			key = append(key, unknown)
			continue
		}
		if props, ok := node["properties"].(map[string]any); ok {
			names := make([]string, 0, len(props))
			for k := range props {
				names = append(names, k)
			}
			if i, ok := l.orders[orderKey(names)][tok]; ok {
				key = append(key, i)
				next, _ := props[tok].(map[string]any)
				node = l.resolve(next)
				continue
			}
		}
		if items, ok := node["items"].(map[string]any); ok && isIndex(tok) {
			key = append(key, atoi(tok))
			node = l.resolve(items)
			continue
		}
		key = append(key, unknown)
		node = nil
	}
	return key
}

// SortProblems orders problems as the form reads, then by rule, so output
// is deterministic and a clerk can work down the list.
func (t *Template) SortProblems(ps []problem.Problem) {
	keys := make(map[string][]int, len(ps))
	for _, p := range ps {
		if _, ok := keys[p.Path]; !ok {
			keys[p.Path] = t.labels.position(p.Path)
		}
	}
	slices.SortStableFunc(ps, func(a, b problem.Problem) int {
		return cmp.Or(slices.Compare(keys[a.Path], keys[b.Path]), cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
}

// ordered lists a "properties" object's names in the order the schema
// writes them.
func (l *labelIndex) ordered(props map[string]any) []string {
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	order := l.orders[orderKey(names)]
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(order[a], order[b]), cmp.Compare(a, b))
	})
	return names
}
