package reportgen

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Report mirrors the report JSON contract field by field, in the contract's
// order, so that the encoded JSON reads like a hand-written report.
type Report struct {
	Template         string            `json:"template,omitempty"`
	Organ            string            `json:"organ"`
	Year             int               `json:"year"`
	Title            string            `json:"title,omitempty"`
	Preface          []Paragraph       `json:"preface,omitempty"`
	Overview         []Paragraph       `json:"overview"`
	Proactive        Proactive         `json:"proactive"`
	Requests         *Requests         `json:"requests,omitempty"`
	ReviewLitigation *ReviewLitigation `json:"reviewLitigation,omitempty"`
	Problems         []Paragraph       `json:"problems"`
	OtherMatters     []Paragraph       `json:"otherMatters,omitempty"`
	Signature        *Signature        `json:"signature,omitempty"`
}

// Paragraph is a prose paragraph, optionally opened by a run-in heading.
type Paragraph struct {
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
}

// Signature closes the report.
type Signature struct {
	Organ string `json:"organ,omitempty"`
	Date  string `json:"date,omitempty"`
}

// CellKind says how a count is written.
type CellKind uint8

const (
	Absent        CellKind = iota // key omitted (a computed total, or an all-absent row)
	Number                        // a non-negative integer
	Blank                         // null: printed as an empty cell, counts as 0
	NotApplicable                 // "/": printed as such, counts as 0
)

// Cell is one count of a table.
type Cell struct {
	Kind CellKind
	N    int64 // meaningful when Kind == Number
}

// Num is a count written as a number.
func Num(n int64) Cell { return Cell{Kind: Number, N: n} }

// Value is what the cell counts for in the consistency checks.
func (c Cell) Value() int64 {
	if c.Kind == Number {
		return c.N
	}
	return 0
}

// IsZero makes `omitzero` drop absent cells.
func (c Cell) IsZero() bool { return c.Kind == Absent }

func (c Cell) MarshalJSON() ([]byte, error) {
	switch c.Kind {
	case Blank, Absent:
		return []byte("null"), nil
	case NotApplicable:
		return []byte(`"/"`), nil
	}
	return strconv.AppendInt(nil, c.N, 10), nil
}

// Amount is a sum in 万元, kept as the decimal text the organ wrote. Quoted
// amounts are encoded as JSON strings, the others as JSON number literals.
type Amount struct {
	Text   string
	Quoted bool
}

func (a Amount) MarshalJSON() ([]byte, error) {
	if a.Quoted {
		return json.Marshal(a.Text)
	}
	return []byte(a.Text), nil
}

// Proactive is table A.
type Proactive struct {
	Regulations        DocumentCounts `json:"regulations"`
	NormativeDocuments DocumentCounts `json:"normativeDocuments"`
	Licensing          Cell           `json:"licensing"`
	Punishment         Cell           `json:"punishment"`
	Coercion           Cell           `json:"coercion"`
	Fees               Amount         `json:"fees"`
}

// DocumentCounts is a row of table A (一).
type DocumentCounts struct {
	Issued   Cell `json:"issued"`
	Repealed Cell `json:"repealed"`
	InForce  Cell `json:"inForce"`
}

// Columns of table B, in the form's order.
const (
	ColNatural = iota
	ColCommercial
	ColResearch
	ColNonprofit
	ColLegal
	ColOther
	NumColumns
)

// Row is a row of table B: six applicant columns and 总计.
type Row struct {
	Cells [NumColumns]Cell
	Total Cell // Absent = left for the engine to compute
}

// Sum is the sum of the six columns (blank and "/" count as 0).
func (r Row) Sum() int64 {
	var s int64
	for _, c := range r.Cells {
		s += c.Value()
	}
	return s
}

var rowKeys = [NumColumns]string{"natural", "commercial", "research", "nonprofit", "legal", "other"}

func (r Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	put := func(k string, c Cell) {
		if c.Kind == Absent {
			return
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		v, _ := c.MarshalJSON()
		b.Write(v)
	}
	for i, c := range r.Cells {
		put(rowKeys[i], c)
	}
	put("total", r.Total)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Requests is table B.
type Requests struct {
	NewlyReceived  Row     `json:"newlyReceived"`
	CarriedOver    Row     `json:"carriedOver"`
	Results        Results `json:"results"`
	CarriedForward Row     `json:"carriedForward"`
}

// Results is 三、本年度办理结果.
type Results struct {
	Disclosed          Row             `json:"disclosed"`
	PartiallyDisclosed Row             `json:"partiallyDisclosed"`
	Withheld           Withheld        `json:"withheld"`
	UnableToProvide    UnableToProvide `json:"unableToProvide"`
	NotProcessed       NotProcessed    `json:"notProcessed"`
	OtherHandling      OtherHandling   `json:"otherHandling"`
	Total              *Row            `json:"total,omitempty"` // nil = computed by the engine
}

// Withheld is （三）不予公开.
type Withheld struct {
	StateSecret               Row `json:"stateSecret"`
	ProhibitedByLaw           Row `json:"prohibitedByLaw"`
	ThreeSecurityOneStability Row `json:"threeSecurityOneStability"`
	ThirdPartyRights          Row `json:"thirdPartyRights"`
	InternalAffairs           Row `json:"internalAffairs"`
	ProcessInformation        Row `json:"processInformation"`
	EnforcementFiles          Row `json:"enforcementFiles"`
	AdministrativeQuery       Row `json:"administrativeQuery"`
}

// UnableToProvide is （四）无法提供.
type UnableToProvide struct {
	NotHeld       Row `json:"notHeld"`
	NeedsCreation Row `json:"needsCreation"`
	StillUnclear  Row `json:"stillUnclear"`
}

// NotProcessed is （五）不予处理.
type NotProcessed struct {
	Complaint    Row `json:"complaint"`
	Repeated     Row `json:"repeated"`
	Publications Row `json:"publications"`
	MassRepeated Row `json:"massRepeated"`
	Confirmation Row `json:"confirmation"`
}

// OtherHandling is （六）其他处理.
type OtherHandling struct {
	OverdueCorrection Row `json:"overdueCorrection"`
	OverdueFee        Row `json:"overdueFee"`
	Other             Row `json:"other"`
}

// Items are the 21 result rows that （七）总计 adds up (R2), in the form's order.
func (r *Results) Items() []*Row {
	return []*Row{
		&r.Disclosed, &r.PartiallyDisclosed,
		&r.Withheld.StateSecret, &r.Withheld.ProhibitedByLaw, &r.Withheld.ThreeSecurityOneStability,
		&r.Withheld.ThirdPartyRights, &r.Withheld.InternalAffairs, &r.Withheld.ProcessInformation,
		&r.Withheld.EnforcementFiles, &r.Withheld.AdministrativeQuery,
		&r.UnableToProvide.NotHeld, &r.UnableToProvide.NeedsCreation, &r.UnableToProvide.StillUnclear,
		&r.NotProcessed.Complaint, &r.NotProcessed.Repeated, &r.NotProcessed.Publications,
		&r.NotProcessed.MassRepeated, &r.NotProcessed.Confirmation,
		&r.OtherHandling.OverdueCorrection, &r.OtherHandling.OverdueFee, &r.OtherHandling.Other,
	}
}

// ReviewLitigation is table C.
type ReviewLitigation struct {
	Review                Outcomes `json:"review"`
	LitigationDirect      Outcomes `json:"litigationDirect"`
	LitigationAfterReview Outcomes `json:"litigationAfterReview"`
}

// Outcomes is one group of table C.
type Outcomes struct {
	Upheld    Cell `json:"upheld"`
	Corrected Cell `json:"corrected"`
	Other     Cell `json:"other"`
	Pending   Cell `json:"pending"`
	Total     Cell `json:"total,omitzero"`
}

// Sum is 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
func (o Outcomes) Sum() int64 {
	return o.Upheld.Value() + o.Corrected.Value() + o.Other.Value() + o.Pending.Value()
}

// JSON encodes the report the way a careful tool would: two-space indent,
// no HTML escaping, a final newline.
func (r *Report) JSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		// Every field is a plain value with a total MarshalJSON; failing
		// here is a bug in this package, not a property of the data.
		panic("reportgen: encoding a generated report: " + err.Error())
	}
	return b.Bytes()
}
