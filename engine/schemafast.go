package engine

import (
	"encoding/json"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaAccepts reports whether v certainly passes s, by walking the same
// compiled schema the validator uses, without the validator's bookkeeping
// (an evaluation scope, a value location and a big.Rat per number, a
// third of a valid report's validation). It knows the keywords the report
// contracts use and answers false for anything else it meets (a keyword it
// does not implement, a number it cannot compare exactly, a reference
// cycle): false means "ask the validator", never "invalid", so the problems
// of a report that breaks the contract come from the validator alone, as
// before. TestSchemaAcceptsAgreesWithValidator holds it to that.
func schemaAccepts(s *jsonschema.Schema, v any) bool { return accepts(s, v, 0) }

// maxRefChain bounds references followed without descending into the
// value: a schema whose $ref loops back is the validator's to report.
const maxRefChain = 32

func accepts(s *jsonschema.Schema, v any, refs int) bool {
	if s == nil || refs > maxRefChain {
		return false
	}
	if s.Bool != nil {
		return *s.Bool
	}
	if !simpleSchema(s) {
		return false
	}
	if s.Types != nil && !s.Types.IsEmpty() && !typeAllowed(*s.Types, v) {
		return false
	}
	if s.Enum != nil {
		str, ok := v.(string)
		if !ok {
			return false
		}
		found := false
		for _, e := range s.Enum.Values {
			if e, ok := e.(string); ok && e == str {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if s.Format != nil && (s.Format.Name == "regex" || s.Format.Validate(v) != nil) {
		return false
	}
	if s.Ref != nil && !accepts(s.Ref, v, refs+1) {
		return false
	}
	switch v := v.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := v[name]; !ok {
				return false
			}
		}
		for name, pv := range v {
			if ps, ok := s.Properties[name]; ok {
				if !accepts(ps, pv, 0) {
					return false
				}
				continue
			}
			switch add := s.AdditionalProperties.(type) {
			case nil:
			case bool:
				if !add {
					return false
				}
			case *jsonschema.Schema:
				if !accepts(add, pv, 0) {
					return false
				}
			default:
				return false
			}
		}
	case []any:
		if s.MinItems != nil && len(v) < *s.MinItems || s.MaxItems != nil && len(v) > *s.MaxItems {
			return false
		}
		if s.Items2020 != nil {
			for _, item := range v {
				if !accepts(s.Items2020, item, 0) {
					return false
				}
			}
		}
	case string:
		// A string has at most as many characters as bytes and at least a
		// quarter as many: most lengths are settled without counting.
		if s.MinLength != nil && *s.MinLength > len(v)/4 || s.MaxLength != nil && *s.MaxLength < len(v) {
			n := utf8.RuneCountInString(v)
			if s.MinLength != nil && n < *s.MinLength || s.MaxLength != nil && n > *s.MaxLength {
				return false
			}
		}
		if s.Pattern != nil && !s.Pattern.MatchString(v) {
			return false
		}
	case json.Number:
		if s.Minimum != nil || s.Maximum != nil {
			n, ok := parseDecimal(string(v))
			if !ok || s.Minimum != nil && !n.atLeast(s.Minimum) || s.Maximum != nil && !n.atMost(s.Maximum) {
				return false
			}
		}
	case nil, bool:
	default:
		return false // a Go type strictjson does not produce
	}
	return true
}

// simpleSchema reports whether s uses only the keywords accepts
// implements, in a draft whose $ref sits beside its sibling keywords.
func simpleSchema(s *jsonschema.Schema) bool {
	return s.DraftVersion >= 2020 &&
		s.RecursiveRef == nil && s.DynamicRef == nil && s.Const == nil && s.Not == nil &&
		len(s.AllOf) == 0 && len(s.AnyOf) == 0 && len(s.OneOf) == 0 && s.If == nil && s.Then == nil && s.Else == nil &&
		s.MaxProperties == nil && s.MinProperties == nil && s.PropertyNames == nil && len(s.PatternProperties) == 0 &&
		len(s.Dependencies) == 0 && len(s.DependentRequired) == 0 && len(s.DependentSchemas) == 0 &&
		s.UnevaluatedProperties == nil &&
		!s.UniqueItems && s.Contains == nil && s.MinContains == nil && s.MaxContains == nil &&
		s.Items == nil && s.AdditionalItems == nil && len(s.PrefixItems) == 0 && s.UnevaluatedItems == nil &&
		s.ContentEncoding == nil && s.ContentMediaType == nil && s.ContentSchema == nil &&
		s.ExclusiveMaximum == nil && s.ExclusiveMinimum == nil && s.MultipleOf == nil &&
		len(s.Extensions) == 0
}

// typeAllowed is the type keyword for the values strictjson produces. A
// number is an integer only as plain digits ("2.0" and "1e3" are integers
// to the validator too, but those are left to it).
func typeAllowed(t jsonschema.Types, v any) bool {
	has := func(name string) bool {
		var one jsonschema.Types
		one.Add(name)
		return t&one != 0
	}
	switch v := v.(type) {
	case nil:
		return has("null")
	case bool:
		return has("boolean")
	case string:
		return has("string")
	case map[string]any:
		return has("object")
	case []any:
		return has("array")
	case json.Number:
		if has("number") {
			return true
		}
		if !has("integer") {
			return false
		}
		d, ok := parseDecimal(string(v))
		return ok && !d.frac
	}
	return false
}

// decimal is a JSON number literal without exponent whose integer part
// fits an int64: value = ±(whole + a fraction in [0, 1)).
type decimal struct {
	neg   bool
	whole int64
	frac  bool // a nonzero digit after the point
}

func parseDecimal(lit string) (decimal, bool) {
	var d decimal
	if len(lit) > 0 && lit[0] == '-' {
		d.neg, lit = true, lit[1:]
	}
	intPart, fracPart := lit, ""
	for i := 0; i < len(lit); i++ {
		switch c := lit[i]; {
		case c == '.':
			intPart, fracPart = lit[:i], lit[i+1:]
			i = len(lit)
		case c < '0' || c > '9':
			return d, false // an exponent, or not a number
		}
	}
	if intPart == "" || len(intPart) > 18 {
		return d, false
	}
	w, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return d, false
	}
	d.whole = w
	for i := 0; i < len(fracPart); i++ {
		switch c := fracPart[i]; {
		case c < '0' || c > '9':
			return d, false
		case c != '0':
			d.frac = true
		}
	}
	if d.neg && d.frac {
		return d, false // not needed by any contract; left to the validator
	}
	return d, true
}

// bound is r as an int64 when it is a whole number that fits.
func bound(r *big.Rat) (int64, bool) {
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// atLeast: whole+f ≥ m ⟺ whole ≥ m for a whole number m and 0 ≤ f < 1;
// a negative d has no fraction (parseDecimal).
func (d decimal) atLeast(m *big.Rat) bool {
	b, ok := bound(m)
	if !ok {
		return false
	}
	if d.neg {
		return -d.whole >= b
	}
	return d.whole >= b
}

// atMost: whole+f ≤ m ⟺ whole < m, or whole = m and f = 0.
func (d decimal) atMost(m *big.Rat) bool {
	b, ok := bound(m)
	if !ok {
		return false
	}
	if d.neg {
		return -d.whole <= b
	}
	return d.whole < b || d.whole == b && !d.frac
}
