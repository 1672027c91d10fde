package reportgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// This file is an independent reading of the contract: it decodes the
// generated JSON generically (not through this package's types) and checks
// R1–R4 the way the spec states them, so a bug in the generator's own
// bookkeeping cannot hide itself.

var rowColumns = []string{"natural", "commercial", "research", "nonprofit", "legal", "other"}

var resultItems = []string{
	"disclosed", "partiallyDisclosed",
	"withheld/stateSecret", "withheld/prohibitedByLaw", "withheld/threeSecurityOneStability",
	"withheld/thirdPartyRights", "withheld/internalAffairs", "withheld/processInformation",
	"withheld/enforcementFiles", "withheld/administrativeQuery",
	"unableToProvide/notHeld", "unableToProvide/needsCreation", "unableToProvide/stillUnclear",
	"notProcessed/complaint", "notProcessed/repeated", "notProcessed/publications",
	"notProcessed/massRepeated", "notProcessed/confirmation",
	"otherHandling/overdueCorrection", "otherHandling/overdueFee", "otherHandling/other",
}

func decode(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

func obj(v any, keys ...string) map[string]any {
	cur, _ := v.(map[string]any)
	for _, k := range keys {
		cur, _ = cur[k].(map[string]any)
	}
	return cur
}

// count reads a count: a non-negative integer, null or "/"; ok is false
// for anything else.
func count(v any, present bool) (n int64, ok bool) {
	if !present || v == nil {
		return 0, true
	}
	switch x := v.(type) {
	case string:
		return 0, x == "/"
	case json.Number:
		i, err := x.Int64()
		return i, err == nil && i >= 0
	}
	return 0, false
}

// rowValues returns the six columns and the total (computed when absent).
func rowValues(row map[string]any) (cols [6]int64, total int64, given bool, err error) {
	for k := range row {
		if k != "total" && !contains(rowColumns, k) {
			return cols, 0, false, fmt.Errorf("unknown key %q", k)
		}
	}
	var sum int64
	for i, k := range rowColumns {
		v, present := row[k]
		n, ok := count(v, present)
		if !ok {
			return cols, 0, false, fmt.Errorf("bad count %v at %s", v, k)
		}
		cols[i] = n
		sum += n
	}
	tv, given := row["total"]
	t, ok := count(tv, given)
	if !ok {
		return cols, 0, false, fmt.Errorf("bad total %v", tv)
	}
	if !given {
		t = sum
	}
	return cols, t, given, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// violations lists the broken rules of a report, e.g. "R1 natural",
// "R3 /requests/newlyReceived", plus "contract: ..." for shape errors.
func violations(raw []byte) []string {
	m, err := decode(raw)
	if err != nil {
		return []string{"contract: " + err.Error()}
	}
	var out []string
	bad := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }

	for _, k := range []string{"organ", "year", "overview", "proactive", "problems"} {
		if _, ok := m[k]; !ok {
			bad("contract: missing %s", k)
		}
	}
	req := obj(m, "requests") // nil map reads as all zero
	res := obj(req, "results")
	rowOf := func(path string, parent map[string]any) (cols [6]int64, total int64) {
		var row map[string]any
		p := parent
		for _, seg := range splitPath(path) {
			row = obj(p, seg)
			p = row
		}
		cols, total, _, err := rowValues(row)
		if err != nil {
			bad("contract: %s: %v", path, err)
		}
		var sum int64
		for _, c := range cols {
			sum += c
		}
		if sum != total {
			bad("R3 %s", path)
		}
		return cols, total
	}
	// The seven data columns: the six applicant columns and 总计, which
	// R1 and R2 also hold for.
	withTotal := func(cols [6]int64, t int64) [7]int64 {
		var v [7]int64
		copy(v[:], cols[:])
		v[6] = t
		return v
	}
	newly := withTotal(rowOf("newlyReceived", req))
	over := withTotal(rowOf("carriedOver", req))
	fwd := withTotal(rowOf("carriedForward", req))
	var itemSum [7]int64
	for _, it := range resultItems {
		cols := withTotal(rowOf(it, res))
		for c := range 7 {
			itemSum[c] += cols[c]
		}
	}
	total := itemSum
	if _, given := res["total"]; given {
		total = withTotal(rowOf("total", res))
	}
	for c, name := range append(rowColumns[:6:6], "total") {
		if total[c] != itemSum[c] {
			bad("R2 %s", name)
		}
		if newly[c]+over[c] != total[c]+fwd[c] {
			bad("R1 %s", name)
		}
	}
	rl := obj(m, "reviewLitigation")
	for _, g := range []string{"review", "litigationDirect", "litigationAfterReview"} {
		o := obj(rl, g)
		var sum int64
		for _, k := range []string{"upheld", "corrected", "other", "pending"} {
			v, present := o[k]
			n, ok := count(v, present)
			if !ok {
				bad("contract: %s/%s", g, k)
			}
			sum += n
		}
		tv, given := o["total"]
		t, ok := count(tv, given)
		if !ok {
			bad("contract: %s/total", g)
		}
		if given && t != sum {
			bad("R4 %s", g)
		}
	}
	sort.Strings(out)
	return out
}

func splitPath(p string) []string {
	var segs []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	return segs
}
