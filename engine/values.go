package engine

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"

	"gongwen/strictjson"
)

// normalizeYAML turns YAML-decoded values into the shapes strictjson
// produces (map[string]any, []any, json.Number, string, bool, nil), so that
// defaults and input data are one kind of value.
func normalizeYAML(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeYAML(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeYAML(e)
		}
		return out
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case uint64:
		return json.Number(strconv.FormatUint(x, 10))
	case float64:
		return numberOf(x)
	default:
		return v
	}
}

func numberOf(f float64) json.Number {
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
}

// numeric reads a count or amount as a number; blank (null), "/" and
// absent count 0 in the checks (report-json.md).
func numeric(v any) float64 {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0
		}
		return f
	case float64:
		return x
	case int:
		return float64(x)
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0
		}
		return f
	}
	return 0
}

type nFunc = func(string) float64
type hasFunc = func(string) bool

func fnN(data map[string]any) nFunc {
	return func(p string) float64 {
		v, _ := strictjson.Get(data, p)
		return numeric(v)
	}
}

func fnHas(data map[string]any) hasFunc {
	return func(p string) bool {
		_, ok := strictjson.Get(data, p)
		return ok
	}
}

// fnPrevValue reads last year's report as written (nil when absent).
func fnPrevValue(data map[string]any) func(string) any {
	return func(p string) any {
		v, _ := strictjson.Get(data, p)
		return v
	}
}

// canonicalInteger writes a count the one way a clerk writes it: -0, -0.0,
// 100.0 and 1e2 are the integers 0, 0, 100 and 100 (the schema accepts them
// as integers, JSON Schema types by value), printed as 0 and 100. A count
// with a fraction is left as written: the schema refuses it, with its place.
// Amounts never come here: they keep their written form (4166.241619).
func canonicalInteger(v any) any {
	n, ok := v.(json.Number)
	if !ok || len(n) > strictjson.MaxNumberLength {
		return v
	}
	if plainInteger(string(n)) {
		return v // as almost every count is written: no arithmetic needed
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok || !r.IsInt() {
		return v
	}
	return json.Number(r.Num().String())
}

// plainInteger reports whether lit is already an integer's one way of
// writing: "0", or digits without a leading zero after an optional "-".
func plainInteger(lit string) bool {
	digits := strings.TrimPrefix(lit, "-")
	if digits == "" || digits[0] == '0' && (len(digits) > 1 || len(lit) > 1) {
		return false // "", "-", "01", "-0"
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// display is how a bound value is printed in a table cell: counts and
// amounts exactly as written, null as a blank cell, "/" as "/".
func display(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		s := string(x)
		if strings.ContainsAny(s, "eE") {
			// 1e2 is a legal JSON number but no clerk wrote it on paper:
			// print the plain decimal it stands for.
			if r, ok := new(big.Rat).SetString(s); ok {
				if r.IsInt() {
					return r.Num().String()
				}
				return strings.TrimRight(strings.TrimRight(r.FloatString(12), "0"), ".")
			}
		}
		return s
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return string(numberOf(x))
	}
	return ""
}

// jsonValue turns a rule's expected/actual result into a plain JSON value.
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case int:
		return int64(x)
	}
	return v
}
