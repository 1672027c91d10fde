package templates_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gongwen/internal/testkit"
)

// The data contract ships with the repository (issue 14 item 20): the
// field reference in docs/ is generated from each template's schema.json
// (go test ./templates -update, or make golden, rewrites it), and the prose
// of docs/report-json.md is checked against the schema's top level.

type schemaNode map[string]any

func (n schemaNode) str(k string) string { s, _ := n[k].(string); return s }

// resolve follows a local $ref, keeping the referring node's description.
func resolve(root, n schemaNode) schemaNode {
	ref := n.str("$ref")
	if ref == "" {
		return n
	}
	target := schemaNode(root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any))
	merged := schemaNode{}
	for k, v := range target {
		merged[k] = v
	}
	if d := n.str("description"); d != "" {
		merged["description"] = d
	}
	merged["kind"] = target.str("title")
	return merged
}

func typeOf(n schemaNode) string {
	if k := n.str("kind"); k != "" && k != "paragraph" {
		return k
	}
	switch t := n["type"].(type) {
	case string:
		return t
	case []any:
		var ts []string
		for _, x := range t {
			ts = append(ts, fmt.Sprint(x))
		}
		return strings.Join(ts, " | ")
	}
	return ""
}

func constraints(n schemaNode) string {
	var cs []string
	for _, k := range []string{"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "format"} {
		if v, ok := n[k]; ok {
			cs = append(cs, fmt.Sprintf("%s %v", k, v))
		}
	}
	if e, ok := n["enum"].([]any); ok {
		var vs []string
		for _, v := range e {
			vs = append(vs, fmt.Sprintf("`%v`", v))
		}
		cs = append(cs, "one of "+strings.Join(vs, ", "))
	}
	return strings.ReplaceAll(strings.Join(cs, "; "), "|", `\|`)
}

// fieldReference is the Markdown table of every value the schema allows,
// by JSON Pointer (* for any array index), with its Chinese label.
func fieldReference(t *testing.T, id string, raw []byte) string {
	var root schemaNode
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Field reference: %s\n\n", id)
	fmt.Fprintf(&b, "Generated from `templates/%s/schema.json` by `go test ./templates -update` (`make golden`); do not edit.\n", id)
	fmt.Fprintf(&b, "%s\n\n", root.str("description"))
	b.WriteString("| JSON Pointer | 中文 | type | required | constraints |\n|---|---|---|---|---|\n")
	var walk func(ptr string, n schemaNode, required bool, labels []string)
	walk = func(ptr string, n schemaNode, required bool, labels []string) {
		n = resolve(root, n)
		if d := n.str("description"); d != "" && ptr != "" {
			labels = append(slices.Clone(labels), d)
		}
		req := "no"
		if required {
			req = "yes"
		}
		if ptr != "" {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", ptr, strings.Join(labels, " › "), typeOf(n), req, constraints(n))
		}
		if props, ok := n["properties"].(map[string]any); ok {
			var need []string
			for _, r := range n["required"].([]any) {
				need = append(need, r.(string))
			}
			keys := make([]string, 0, len(props))
			for k := range props {
				keys = append(keys, k)
			}
			sort.Strings(keys) // the schema's map has no order; the table's must be stable
			for _, k := range keys {
				walk(ptr+"/"+k, schemaNode(props[k].(map[string]any)), slices.Contains(need, k), labels)
			}
		}
		if items, ok := n["items"].(map[string]any); ok {
			walk(ptr+"/*", schemaNode(items), false, labels)
		}
	}
	if root["required"] == nil {
		root["required"] = []any{}
	}
	walk("", root, true, nil)
	return b.String()
}

func TestContractDocs(t *testing.T) {
	root := testkit.Root(t)
	for _, id := range []string{"gov-info-disclosure-annual/2021", "gov-info-disclosure-annual/2019"} {
		raw, err := os.ReadFile(filepath.Join("..", "templates", id, "schema.json"))
		if err != nil {
			t.Fatal(err)
		}
		got := fieldReference(t, id, fillRequired(t, raw))
		testkit.Golden(t, filepath.Join(root, "docs", "fields", strings.ReplaceAll(id, "/", "-")+".md"), []byte(got))
	}

	// The prose names the top-level fields of the 2021 schema, no more, no
	// fewer, with the same required ones.
	doc, err := os.ReadFile(filepath.Join(root, "docs", "report-json.md"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Required   []string       `json:"required"`
		Properties map[string]any `json:"properties"`
	}
	raw, _ := os.ReadFile("gov-info-disclosure-annual/2021/schema.json")
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	top := string(doc)
	top = top[strings.Index(top, "## Top level"):]
	top = top[:strings.Index(top[3:], "\n## ")+3]
	rows := regexp.MustCompile("(?m)^\\| `(\\w+)` \\| [^|]+\\| (yes|no)").FindAllStringSubmatch(top, -1)
	documented := map[string]bool{}
	for _, r := range rows {
		documented[r[1]] = true
		if _, ok := schema.Properties[r[1]]; !ok {
			t.Errorf("docs/report-json.md documents %q, which the schema does not have", r[1])
		}
		if (r[2] == "yes") != slices.Contains(schema.Required, r[1]) {
			t.Errorf("docs/report-json.md says %q is required: %s; the schema disagrees", r[1], r[2])
		}
	}
	for k := range schema.Properties {
		if !documented[k] {
			t.Errorf("the schema's top-level field %q is not in docs/report-json.md", k)
		}
	}
}

// fillRequired gives every object schema a "required" list (empty when it
// has none), so the generator can read it uniformly.
func fillRequired(t *testing.T, raw []byte) []byte {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var fill func(any)
	fill = func(x any) {
		switch m := x.(type) {
		case map[string]any:
			if _, ok := m["properties"]; ok {
				if _, ok := m["required"]; !ok {
					m["required"] = []any{}
				}
			}
			for _, e := range m {
				fill(e)
			}
		case []any:
			for _, e := range m {
				fill(e)
			}
		}
	}
	fill(v)
	out, _ := json.Marshal(v)
	return out
}
