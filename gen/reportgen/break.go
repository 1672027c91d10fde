package reportgen

import "fmt"

// Rule is a consistency rule of the annual-report format (§5).
type Rule string

const (
	R1 Rule = "R1" // per column: 一 + 二 = （七）总计 + 四
	R2 Rule = "R2" // per column: （七）总计 = the sum of the 21 result rows
	R3 Rule = "R3" // per row of table B: 总计 = the six applicant columns
	R4 Rule = "R4" // table C: 维持 + 纠正 + 其他 + 尚未审结 = 总计
)

// Rules lists the rules Break understands.
var Rules = []Rule{R1, R2, R3, R4}

// Break makes rep violate rule exactly once, in the way clerks get it wrong
// (a miscounted cell or a mistyped total), leaving the other rules intact so
// a test can assert the one problem it expects. The cell is chosen from
// seed and index like the report itself.
func Break(rep *Report, rule Rule, seed uint64, index int) error {
	r := newRNG(seed, index, 1)
	col := int(r.intn(NumColumns))
	delta := r.between(1, 9)
	switch rule {
	case R1, R2, R3:
		q := ensureRequests(rep)
		switch rule {
		case R1:
			// One more application carried forward than the column allows;
			// the row total follows so only R1 is broken.
			bump(&q.CarriedForward, col, delta)
		case R2:
			// The clerk wrote （七）总计 from last year's sheet: pin the
			// correct total, then miscount a result row under it.
			pinResultsTotal(q)
			// （七） is written and unchanged, so R1 still holds.
			bump(&q.Results.Disclosed, col, delta)
		case R3:
			// The clerk added late applications to one column of 一 and of
			// 四 but not to the rows' 总计: both rows break R3, while every
			// column, 总计 included, still satisfies R1.
			for _, row := range []*Row{&q.NewlyReceived, &q.CarriedForward} {
				row.Total = Num(row.Sum())
				row.Cells[col] = Num(row.Cells[col].Value() + delta)
			}
		}
	case R4:
		rl := rep.ReviewLitigation
		if rl == nil {
			rl = &ReviewLitigation{Review: Outcomes{Num(0), Num(0), Num(0), Num(0), Num(0)},
				LitigationDirect:      Outcomes{Num(0), Num(0), Num(0), Num(0), Num(0)},
				LitigationAfterReview: Outcomes{Num(0), Num(0), Num(0), Num(0), Num(0)}}
			rep.ReviewLitigation = rl
		}
		rl.Review.Total = Num(rl.Review.Sum() + delta)
	default:
		return fmt.Errorf("reportgen: cannot break unknown rule %q (known: R1, R2, R3, R4)", rule)
	}
	return nil
}

func ensureRequests(rep *Report) *Requests {
	if rep.Requests == nil {
		rep.Requests = &Requests{}
	}
	return rep.Requests
}

// bump adds delta to one column of a row and keeps the row's own total
// (when written) right, so only the rule under test breaks.
func bump(row *Row, col int, delta int64) {
	row.Cells[col] = Num(row.Cells[col].Value() + delta)
	if row.Total.Kind != Absent {
		row.Total = Num(row.Sum())
	}
}

// pinResultsTotal writes （七）总计 out from the current result rows.
func pinResultsTotal(q *Requests) {
	var t Row
	for _, it := range q.Results.Items() {
		for c := range NumColumns {
			t.Cells[c] = Num(t.Cells[c].Value() + it.Cells[c].Value())
		}
	}
	t.Total = Num(t.Sum())
	q.Results.Total = &t
}
