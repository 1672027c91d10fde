package engine

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"gongwen/problem"
	"gongwen/strictjson"
)

// checkSchema validates data against the template's schema and words every
// failure in the form's own terms.
func (t *Template) checkSchema(data map[string]any, lang string) []problem.Problem {
	if schemaAccepts(t.schema, data) {
		return nil // what the validator would say, for a fraction of its work
	}
	err := t.schema.Validate(data)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []problem.Problem{{Severity: problem.Error, Rule: "schema", Message: err.Error()}}
	}
	var out []problem.Problem
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		for _, p := range t.schemaProblems(e, data, lang) {
			key := p.Path + "\x00" + p.Message
			if !seen[key] {
				seen[key] = true
				out = append(out, p)
			}
		}
	}
	walk(ve)
	return out
}

func (t *Template) schemaProblems(e *jsonschema.ValidationError, data map[string]any, lang string) []problem.Problem {
	loc := e.InstanceLocation
	label := t.labels.Label(loc)
	valueKind := t.labels.Kind(loc)
	actual, _ := strictjson.Get(data, strictjson.Pointer(loc))
	en := lang == "en"
	mk := func(path []string, zh, english string) problem.Problem {
		msg := zh
		if en {
			msg = english
		}
		return problem.Problem{Severity: problem.Error, Rule: "schema", Path: strictjson.Pointer(path), Message: msg}
	}
	child := func(k string) []string { return append(slices.Clone(loc), k) }

	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var ps []problem.Problem
		for _, m := range k.Missing {
			l := t.labels.Label(child(m))
			ps = append(ps, mk(child(m),
				fmt.Sprintf("缺少必填项“%s”（字段 %s）", l, m),
				fmt.Sprintf("required field %q (%s) is missing", m, l)))
		}
		return ps
	case *kind.AdditionalProperties:
		_, node := t.labels.Lookup(loc)
		valid := propertyNames(node)
		var ps []problem.Problem
		for _, p := range k.Properties {
			ps = append(ps, mk(child(p),
				fmt.Sprintf("“%s”不是“%s”中的字段（多半是拼写错误），可用的字段有：%s", clip(p), label, strings.Join(valid, "、")),
				fmt.Sprintf("%q is not a field of %s (probably a typo); valid fields: %s", clip(p), label, strings.Join(valid, ", "))))
		}
		return ps
	case *kind.Type:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”%s，实际是%s", label, expectZh(valueKind, k.Want), jsonTypeZh(k.Got)),
			fmt.Sprintf("%s: %s, got %s", label, expectEn(valueKind, k.Want), k.Got))}
	case *kind.Pattern:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”%s，实际是“%s”", label, expectZh(valueKind, nil), clip(k.Got)),
			fmt.Sprintf("%s: %s, got %q", label, expectEn(valueKind, nil), clip(k.Got)))}
	case *kind.Minimum:
		if k.Want.Sign() == 0 {
			return []problem.Problem{mk(loc,
				fmt.Sprintf("“%s”不能为负数，实际是 %s", label, clip(ratString(k.Got))),
				fmt.Sprintf("%s must not be negative, got %s", label, clip(ratString(k.Got))))}
		}
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”不能小于 %s，实际是 %s", label, ratString(k.Want), clip(ratString(k.Got))),
			fmt.Sprintf("%s must be at least %s, got %s", label, ratString(k.Want), clip(ratString(k.Got))))}
	case *kind.Maximum:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”不能大于 %s，实际是 %s", label, ratString(k.Want), clip(ratString(k.Got))),
			fmt.Sprintf("%s must be at most %s, got %s", label, ratString(k.Want), clip(ratString(k.Got))))}
	case *kind.MaxLength:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”太长：最多 %d 个字，实际 %d 个字", label, k.Want, k.Got),
			fmt.Sprintf("%s is too long: at most %d characters, got %d", label, k.Want, k.Got))}
	case *kind.MinLength:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”不能为空", label),
			fmt.Sprintf("%s must not be empty", label))}
	case *kind.MinItems:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”至少要有 %d 段，实际 %d 段", label, k.Want, k.Got),
			fmt.Sprintf("%s needs at least %d paragraph(s), got %d", label, k.Want, k.Got))}
	case *kind.MaxItems:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”最多 %d 段，实际 %d 段", label, k.Want, k.Got),
			fmt.Sprintf("%s allows at most %d paragraphs, got %d", label, k.Want, k.Got))}
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”只能是：%s，实际是“%s”", label, strings.Join(want, "、"), clip(fmt.Sprint(actual))),
			fmt.Sprintf("%s must be one of: %s; got %q", label, strings.Join(want, ", "), clip(fmt.Sprint(actual))))}
	case *kind.Format:
		return []problem.Problem{mk(loc,
			fmt.Sprintf("“%s”不是有效的日期（格式 YYYY-MM-DD，如 2025-01-20），实际是“%s”", label, clip(fmt.Sprint(k.Got))),
			fmt.Sprintf("%s is not a valid %s (YYYY-MM-DD), got %q", label, k.Want, clip(fmt.Sprint(k.Got))))}
	}
	return []problem.Problem{mk(loc,
		fmt.Sprintf("“%s”不符合要求：%v", label, e.ErrorKind),
		fmt.Sprintf("%s is invalid: %v", label, e.ErrorKind))}
}

func propertyNames(node map[string]any) []string {
	props, _ := node["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func expectZh(valueKind string, want []string) string {
	switch valueKind {
	case "count":
		return "应填非负整数；空白单元格填 null，不适用填“/”"
	case "amount":
		return "应填不小于 0 的数字，可写成数字或字符串，如 4166.241619"
	case "paragraphs":
		return "应为段落数组，如 [{\"text\": \"……\"}]"
	case "paragraph":
		return "应为段落对象 {\"heading\": \"（一）……。\", \"text\": \"……\"}"
	}
	names := make([]string, len(want))
	for i, w := range want {
		names[i] = jsonTypeZh(w)
	}
	if len(names) == 0 {
		return "格式不对"
	}
	return "应为" + strings.Join(names, "或")
}

func expectEn(valueKind string, want []string) string {
	switch valueKind {
	case "count":
		return `expected a non-negative integer, null for a blank cell, or "/" for not applicable`
	case "amount":
		return "expected a non-negative decimal number, as a number or a string such as \"4166.241619\""
	case "paragraphs":
		return `expected an array of paragraphs like [{"text": "..."}]`
	case "paragraph":
		return `expected a paragraph object {"heading": "...", "text": "..."}`
	}
	if len(want) == 0 {
		return "invalid format"
	}
	return "expected " + strings.Join(want, " or ")
}

func jsonTypeZh(t string) string {
	switch t {
	case "object":
		return "对象"
	case "array":
		return "数组"
	case "string":
		return "文字（字符串）"
	case "number":
		return "数字"
	case "integer":
		return "整数"
	case "boolean":
		return "布尔值"
	case "null":
		return "null（空）"
	}
	return t
}

func ratString(r *big.Rat) string {
	if r == nil {
		return ""
	}
	if r.Num().BitLen() > 256 || r.Denom().BitLen() > 256 {
		// Decimal conversion of a huge value is slow and its digits are
		// useless in a message (strictjson refuses such literals anyway).
		f, _ := r.Float64()
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(8), "0"), ".")
}

// clip keeps echoed values short in schema messages.
func clip(s string) string { return problem.Clip(s, 24) }
