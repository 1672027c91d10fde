package engine

import (
	"encoding/json"
	"io/fs"
	"math/big"
	"math/rand/v2"
	"os"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gongwen/strictjson"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast path may only ever answer "valid" where the validator does: it
// must accept every example (or it saves nothing) and, over thousands of
// mutations of them, never accept what the validator refuses.
func TestSchemaAcceptsAgreesWithValidator(t *testing.T) {
	fsys := os.DirFS("../templates")
	var dirs []string
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "manifest.yaml" {
			dirs = append(dirs, path.Dir(p))
		}
		return err
	})
	if len(dirs) == 0 {
		t.Fatal("no templates found")
	}
	rng := rand.New(rand.NewPCG(15, 1))
	for _, dir := range dirs {
		tpl, err := Load(fsys, dir)
		if err != nil {
			t.Fatal(err)
		}
		matches, _ := fs.Glob(fsys, dir+"/example*.json")
		for _, m := range matches {
			raw, _ := fs.ReadFile(fsys, m)
			data, _, err := strictjson.Decode(raw, strictjson.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if err := tpl.schema.Validate(data); err != nil {
				t.Fatalf("%s is not valid: %v", m, err)
			}
			if !schemaAccepts(tpl.schema, data) {
				t.Errorf("%s: the fast path does not accept a valid example", m)
			}
			accepted, refused := 0, 0
			for range 600 {
				mutated := mutate(rng, data)
				ok := schemaAccepts(tpl.schema, mutated)
				err := tpl.schema.Validate(mutated)
				if ok && err != nil {
					b, _ := json.Marshal(mutated)
					t.Fatalf("%s: fast path accepts what the validator refuses (%v):\n%s", m, err, b)
				}
				if ok {
					accepted++
				} else if err != nil {
					refused++
				}
			}
			if accepted < 50 || refused < 50 {
				t.Errorf("%s: %d mutations accepted, %d refused: the test no longer tells anything", m, accepted, refused)
			}
		}
	}
}

// mutate copies data with one value (sometimes two) replaced by another
// that is, or is next to, what a contract allows or refuses.
func mutate(rng *rand.Rand, data map[string]any) map[string]any {
	out := deepCopy(data).(map[string]any)
	for range 1 + rng.IntN(2) {
		parent, key := pick(rng, out)
		numbers := []any{json.Number("0"), json.Number("-0"), json.Number("-1"), json.Number("1.5"), json.Number("-1.5"),
			json.Number("2.0"), json.Number("1e3"), json.Number("2008"), json.Number("2007"), json.Number("2100"), json.Number("2101"),
			json.Number("999999999"), json.Number("1000000000"), json.Number("999999999999"), json.Number("999999999999.0"),
			json.Number("999999999999.5"), json.Number("1000000000000"), json.Number("0.123456789"), json.Number("7")}
		strs := []any{"", "/", "x", "2025-01-20", "2025-13-01", "gov-info-disclosure-annual/2021", "12.5", "0.123456789", "-1", "01",
			strings.Repeat("字", 100), strings.Repeat("字", 101), strings.Repeat("字", 20001)}
		others := []any{nil, true, map[string]any{}, map[string]any{"text": "段"}, map[string]any{"text": "段", "x": json.Number("1")},
			[]any{}, []any{map[string]any{"text": "段"}}, []any{"段"}}
		pool := others
		switch old := valueAt(parent, key).(type) {
		case json.Number:
			pool = numbers
		case string:
			pool = strs
		case nil:
			pool = append(slices.Clone(numbers), "/")
		default:
			_ = old
		}
		if rng.IntN(4) == 0 {
			pool = slices.Concat(numbers, strs, others)
		}
		v := pool[rng.IntN(len(pool))]
		switch p := parent.(type) {
		case map[string]any:
			if rng.IntN(8) == 0 {
				delete(p, key.(string))
			} else if rng.IntN(12) == 0 {
				p["unknownKey"] = v
			} else {
				p[key.(string)] = v
			}
		case []any:
			p[key.(int)] = v
		}
	}
	return out
}

func valueAt(parent, key any) any {
	switch p := parent.(type) {
	case map[string]any:
		return p[key.(string)]
	case []any:
		return p[key.(int)]
	}
	return nil
}

// pick walks from the root to a random value and returns its container and
// key or index.
func pick(rng *rand.Rand, root map[string]any) (parent, key any) {
	var cur any = root
	for {
		switch c := cur.(type) {
		case map[string]any:
			if len(c) == 0 {
				return parent, key
			}
			keys := make([]string, 0, len(c))
			for k := range c {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			k := keys[rng.IntN(len(keys))]
			parent, key, cur = c, k, c[k]
		case []any:
			if len(c) == 0 {
				return parent, key
			}
			i := rng.IntN(len(c))
			parent, key, cur = c, i, c[i]
		default:
			return parent, key
		}
		if rng.IntN(8) == 0 {
			return parent, key
		}
	}
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}

// A keyword the fast path does not implement, or a $ref that loops, sends
// the report to the validator.
func TestSchemaAcceptsLeavesTheRestToTheValidator(t *testing.T) {
	for name, schema := range map[string]string{
		"oneOf":      `{"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}`,
		"ref cycle":  `{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"a": {"$ref": "#/$defs/a"}}}`,
		"multipleOf": `{"properties": {"a": {"multipleOf": 2}}}`,
		"exponent":   `{"properties": {"a": {"type": "integer", "maximum": 10}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			tpl := loadSchemaOnly(t, schema)
			data := map[string]any{"a": json.Number("1e0")}
			if name != "exponent" {
				data["a"] = "x"
			}
			if schemaAccepts(tpl.schema, data) {
				t.Errorf("accepted %v", data)
			}
		})
	}
}

func loadSchemaOnly(t *testing.T, schema string) *Template {
	t.Helper()
	tpl := &Template{SchemaJSON: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", ` + strings.TrimPrefix(schema, "{"))}
	if err := tpl.compileSchema(); err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestDecimalBounds(t *testing.T) {
	for _, c := range []struct {
		lit             string
		min, max        int64
		parsed, atLeast bool
		atMost          bool
	}{
		{"0", 0, 10, true, true, true},
		{"-0", 0, 10, true, true, true},
		{"-1", 0, 10, true, false, true},
		{"10", 0, 10, true, true, true},
		{"10.0", 0, 10, true, true, true},
		{"10.5", 0, 10, true, true, false},
		{"9.99999999", 0, 10, true, true, true},
		{"0.5", 1, 10, true, false, true},
		{"1.5", 1, 10, true, true, true},
		{"999999999999.5", 0, 999999999999, true, true, false},
		{"1e3", 0, 10, false, false, false},
		{"-1.5", -5, 10, false, false, false},
		{"1234567890123456789", 0, 10, false, false, false},
	} {
		d, ok := parseDecimal(c.lit)
		if ok != c.parsed {
			t.Errorf("%s: parsed %v", c.lit, ok)
			continue
		}
		if !ok {
			continue
		}
		if got := d.atLeast(big.NewRat(c.min, 1)); got != c.atLeast {
			t.Errorf("%s ≥ %d: %v", c.lit, c.min, got)
		}
		if got := d.atMost(big.NewRat(c.max, 1)); got != c.atMost {
			t.Errorf("%s ≤ %d: %v", c.lit, c.max, got)
		}
	}
	// A bound that is not a whole number is left to the validator.
	if d, _ := parseDecimal("1"); d.atLeast(big.NewRat(1, 2)) || d.atMost(big.NewRat(3, 2)) {
		t.Error("compared with a fractional bound")
	}
}

// BenchmarkCheckSchema checks the annual report's example against its
// schema: the walk every valid report takes, and the validator it replaces.
func BenchmarkCheckSchema(b *testing.B) {
	fsys := os.DirFS("../templates")
	tpl, err := Load(fsys, "gov-info-disclosure-annual/2021")
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := fs.ReadFile(fsys, "gov-info-disclosure-annual/2021/example.json")
	data, _, err := strictjson.Decode(raw, strictjson.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("accepts", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !schemaAccepts(tpl.schema, data) {
				b.Fatal("not accepted")
			}
		}
	})
	b.Run("validator", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := tpl.schema.Validate(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Every keyword field of the validator's Schema is either refused by
// simpleSchema, implemented by accepts, or an annotation that never
// refuses a value. A library upgrade that adds a keyword fails here, before
// the fast path could silently accept what the new keyword refuses.
func TestSchemaAcceptsKnowsEveryKeyword(t *testing.T) {
	known := map[string]string{}
	for _, f := range strings.Fields(`RecursiveRef DynamicRef Const Not AllOf AnyOf OneOf If Then Else
		MaxProperties MinProperties PropertyNames PatternProperties Dependencies DependentRequired DependentSchemas
		UnevaluatedProperties UniqueItems Contains MinContains MaxContains Items AdditionalItems PrefixItems
		UnevaluatedItems ContentEncoding ContentMediaType ContentSchema ExclusiveMaximum ExclusiveMinimum
		MultipleOf Extensions`) {
		known[f] = "refused by simpleSchema"
	}
	for _, f := range strings.Fields(`DraftVersion Bool Ref Types Enum Format Required Properties
		AdditionalProperties MinItems MaxItems Items2020 MinLength MaxLength Pattern Maximum Minimum`) {
		known[f] = "implemented by accepts"
	}
	for _, f := range strings.Fields(`Location ID Anchor RecursiveAnchor DynamicAnchor Title Description
		Default Comment ReadOnly WriteOnly Examples Deprecated`) {
		known[f] = "annotation or identifier"
	}
	typ := reflect.TypeFor[jsonschema.Schema]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() && known[f.Name] == "" {
			t.Errorf("jsonschema.Schema.%s: a field schemaAccepts does not know; refuse it in simpleSchema or implement it", f.Name)
		}
	}
}
