package engine

import (
	"slices"
	"strconv"
	"strings"

	"gongwen/strictjson"
)

// labelIndex answers "what does the form call the value at this pointer"
// from the schema's descriptions, so that messages use the form's words.
type labelIndex struct {
	root   map[string]any
	orders propertyOrders
}

func newLabelIndex(schemaDoc any, raw []byte) *labelIndex {
	root, _ := schemaDoc.(map[string]any)
	return &labelIndex{root: root, orders: readPropertyOrders(raw)}
}

// resolve follows a local $ref, keeping the referring node's description.
func (l *labelIndex) resolve(node map[string]any) map[string]any {
	for range 8 {
		ref, ok := node["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return node
		}
		target, ok := strictjson.Get(l.root, ref[1:])
		m, isMap := target.(map[string]any)
		if !ok || !isMap {
			return node
		}
		merged := make(map[string]any, len(m)+1)
		for k, v := range m {
			merged[k] = v
		}
		if d, ok := node["description"]; ok {
			merged["description"] = d
		}
		node = merged
	}
	return node
}

// Lookup returns the descriptions along the path (outermost first) and the
// schema node at the end (nil when the path leaves the schema, e.g. an
// unknown key).
func (l *labelIndex) Lookup(tokens []string) (labels []string, node map[string]any) {
	node = l.resolve(l.root)
	for _, tok := range tokens {
		var next map[string]any
		if props, ok := node["properties"].(map[string]any); ok {
			next, _ = props[tok].(map[string]any)
		}
		if next == nil {
			if items, ok := node["items"].(map[string]any); ok && isIndex(tok) {
				next = items
			}
		}
		if next == nil {
			return labels, nil
		}
		node = l.resolve(next)
		if isIndex(tok) {
			labels = append(labels, "第"+strconv.Itoa(atoi(tok)+1)+"段")
		} else if d, ok := node["description"].(string); ok && d != "" {
			labels = append(labels, d)
		}
	}
	return labels, node
}

// Label is the human name of the value at the pointer, e.g.
// "三、收到和处理政府信息公开申请情况 › 三、本年度办理结果 › （七）总计 › 自然人".
func (l *labelIndex) Label(tokens []string) string {
	labels, _ := l.Lookup(tokens)
	if len(labels) == 0 {
		return "报告"
	}
	return strings.Join(labels, " › ")
}

// Kind is the $defs name (schema title) of the value's type: count, amount...
func (l *labelIndex) Kind(tokens []string) string {
	_, node := l.Lookup(tokens)
	if node == nil {
		return ""
	}
	k, _ := node["title"].(string)
	return k
}

// Integer tells whether the schema types the value as an integer (a count),
// not as any number (an amount): a count prints in its canonical form.
func (l *labelIndex) Integer(tokens []string) bool {
	_, node := l.Lookup(tokens)
	if node == nil {
		return false
	}
	var types []any
	switch x := node["type"].(type) {
	case string:
		types = []any{x}
	case []any:
		types = x
	}
	return slices.Contains(types, any("integer")) && !slices.Contains(types, any("number"))
}

func isIndex(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// Label names the value at a JSON Pointer in the form's own words.
func (t *Template) Label(pointer string) string {
	toks, err := strictjson.SplitPointer(pointer)
	if err != nil {
		return pointer
	}
	return t.labels.Label(toks)
}
