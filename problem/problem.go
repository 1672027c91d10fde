// Package problem describes what is wrong with a report, in terms a clerk
// can act on: where (a JSON Pointer into the input), which rule, and a
// message in the form's own words.
package problem

import (
	"cmp"
	"slices"
)

// Severity of a problem. Errors stop rendering unless the caller allows
// problems; warnings and notices never do.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Notice  Severity = "notice" // e.g. ASCII punctuation replaced by full-width forms
)

// Problem is one finding. Its JSON form is the public contract
// (../shared/spec/report-json.md).
type Problem struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`    // "R1".."R4", "json", "schema", "font", "punctuation", ...
	Path     string   `json:"path"`    // RFC 6901 JSON Pointer into the input; "" is the whole document
	Message  string   `json:"message"` // in the requested language
	Expected any      `json:"expected,omitempty"`
	Actual   any      `json:"actual,omitempty"`
	// Related are the other values a consistency rule read (the items of
	// a total that does not add up), so an editor can mark the cell the
	// clerk just changed, not only the total.
	Related []string `json:"related,omitempty"`
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders problems by path, then rule, so output is deterministic.
func Sort(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
}
