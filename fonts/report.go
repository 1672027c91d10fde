package fonts

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// roleTitles are the Chinese names of the roles, for reports.
var roleTitles = map[string]string{
	RoleTitle:       "标题",
	RoleBody:        "正文",
	RoleHeading1:    "一级标题",
	RoleHeading2:    "二级标题",
	RoleTable:       "表格",
	RoleTableHeader: "表头",
	RolePageNumber:  "页码",
}

// RoleReport says how a role is served on this machine.
type RoleReport struct {
	Role     string `json:"role"`
	Official string `json:"official"` // the official face of the role
	Face     string `json:"face"`     // family and style of the face chosen ("" if none)
	File     string `json:"file"`
	Index    int    `json:"index"` // face index within File
	// Substitute is true when the chosen face is not the official one.
	Substitute bool `json:"substitute"`
	// OfficialNotEmbeddable: the official face is installed but its licence
	// forbids embedding it, so PDFs use a substitute.
	OfficialNotEmbeddable bool `json:"officialNotEmbeddable,omitempty"`
	// GB 2312 hanzi (6763) covered by the chosen face, and by the whole
	// chain including fallbacks.
	GB2312Face  int `json:"gb2312Face"`
	GB2312Chain int `json:"gb2312Chain"`
	GB2312Total int `json:"gb2312Total"`
	// Fallbacks are the other faces of the chain, in order.
	Fallbacks []string `json:"fallbacks"`
	Error     string   `json:"error,omitempty"` // why the role has no face
}

// gb2312Hanzi lists the 6763 hanzi of GB 2312 (rows 16–87), decoded from
// their EUC-CN bytes.
var gb2312Hanzi = sync.OnceValue(func() []rune {
	dec := simplifiedchinese.GBK.NewDecoder()
	var out []rune
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			r := []rune(string(s))
			// Row 55 ends at 0xD7F9; the five cells after it are unassigned
			// in GB 2312 but GBK fills them.
			if len(r) != 1 || r[0] == 0xFFFD || (hi == 0xD7 && lo > 0xF9) {
				continue
			}
			out = append(out, r[0])
		}
	}
	return out
})

// Report describes each role of the configuration: the face chosen, its
// file, its GB 2312 coverage and whether it stands in for the official face.
func (b *Book) Report() []RoleReport {
	roles := slices.Clone(Roles)
	for r := range b.cfg.Roles {
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	sort.SliceStable(roles[len(Roles):], func(i, j int) bool { return roles[len(Roles)+i] < roles[len(Roles)+j] })
	hanzi := gb2312Hanzi()
	var out []RoleReport
	for _, role := range roles {
		if _, ok := b.cfg.Roles[role]; !ok {
			continue
		}
		rr := RoleReport{Role: role, Official: b.OfficialName(role), GB2312Total: len(hanzi)}
		chain, err := b.Chain(role)
		if err != nil {
			rr.Error = err.Error()
			rr.Substitute = true
			out = append(out, rr)
			continue
		}
		first := chain[0]
		rr.Face, rr.File, rr.Index = first.DisplayName(), first.File(), first.Index()
		if rr.Official != "" {
			off := b.Lookup(rr.Official)
			rr.Substitute = off == nil || off != first
			rr.OfficialNotEmbeddable = off != nil && !off.Embeddable()
		}
		for _, f := range chain[1:] {
			rr.Fallbacks = append(rr.Fallbacks, f.DisplayName())
		}
		for _, r := range hanzi {
			if first.HasRune(r) {
				rr.GB2312Face++
			}
			if pick(chain, r) != nil {
				rr.GB2312Chain++
			}
		}
		out = append(out, rr)
	}
	return out
}

// WriteReport writes the `gongwen fonts` report: per role the face chosen,
// its file, GB 2312 coverage and a warning where a substitute stands in for
// the official face. It returns the number of warnings.
func (b *Book) WriteReport(w io.Writer) (warnings int, err error) {
	ew := &errWriter{w: w}
	for _, rr := range b.Report() {
		title := roleTitles[rr.Role]
		if title == "" {
			title = rr.Role
		}
		ew.printf("%s（%s）  官方字体：%s\n", rr.Role, title, orDash(rr.Official))
		if rr.Error != "" {
			ew.printf("  错误：%s\n\n", rr.Error)
			warnings++
			continue
		}
		ew.printf("  使用：%s\n  文件：%s", rr.Face, rr.File)
		if rr.Index > 0 || strings.HasSuffix(strings.ToLower(rr.File), ".ttc") || strings.HasSuffix(strings.ToLower(rr.File), ".otc") {
			ew.printf("（第 %d 个字体）", rr.Index)
		}
		ew.printf("\n  GB 2312 汉字覆盖：本字体 %d/%d，连同后备字体 %d/%d\n", rr.GB2312Face, rr.GB2312Total, rr.GB2312Chain, rr.GB2312Total)
		if len(rr.Fallbacks) > 0 {
			ew.printf("  后备：%s\n", strings.Join(rr.Fallbacks, " → "))
		}
		if rr.OfficialNotEmbeddable {
			ew.printf("  警告：官方字体“%s”已安装，但其许可（OS/2 fsType）禁止嵌入 PDF，PDF 以“%s”代替\n", rr.Official, rr.Face)
			warnings++
		} else if rr.Substitute && rr.Official != "" {
			ew.printf("  警告：未找到官方字体“%s”，PDF 以“%s”代替（DOCX 仍写“%s”）\n", rr.Official, rr.Face, rr.Official)
			warnings++
		}
		if rr.GB2312Chain < rr.GB2312Total {
			ew.printf("  警告：有 %d 个 GB 2312 汉字没有任何字体包含\n", rr.GB2312Total-rr.GB2312Chain)
			warnings++
		}
		ew.printf("\n")
	}
	return warnings, ew.err
}

// MissingRune is a character some roles cannot set.
type MissingRune struct {
	Rune  rune     `json:"rune"`
	Code  string   `json:"code"`  // "U+25532"
	Roles []string `json:"roles"` // roles whose whole chain lacks it
}

func (m MissingRune) String() string {
	return describeRune(m.Rune) + "：" + strings.Join(m.Roles, "、")
}

// CheckText lists the characters of text that some of roles cannot set
// (all configured roles when roles is empty), sorted by code point.
func (b *Book) CheckText(text string, roles ...string) []MissingRune {
	if len(roles) == 0 {
		for _, r := range b.Report() {
			roles = append(roles, r.Role)
		}
	}
	byRune := map[rune][]string{}
	for _, role := range roles {
		for _, r := range b.Missing(role, text) {
			byRune[r] = append(byRune[r], role)
		}
	}
	out := make([]MissingRune, 0, len(byRune))
	for r, rs := range byRune {
		out = append(out, MissingRune{Rune: r, Code: fmt.Sprintf("U+%04X", r), Roles: rs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rune < out[j].Rune })
	return out
}

// JSONText concatenates every string value of a JSON document (object keys
// excluded), one per line, for CheckText: `gongwen fonts check FILE.json`.
func JSONText(data []byte) (string, error) {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", err
	}
	var sb strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			sb.WriteString(v)
			sb.WriteByte('\n')
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k])
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return sb.String(), nil
}

// WriteCheck writes the `gongwen fonts check` report for the text of a
// JSON report and returns how many characters are missing. Line breaks and
// tabs, which no font draws, are not reported.
func (b *Book) WriteCheck(w io.Writer, data []byte, roles ...string) (missing int, err error) {
	text, err := JSONText(data)
	if err != nil {
		return 0, fmt.Errorf("reading report JSON: %w", err)
	}
	text = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, text)
	ms := b.CheckText(text, roles...)
	ew := &errWriter{w: w}
	if len(ms) == 0 {
		ew.printf("所有字符均有字体可用\n")
		return 0, ew.err
	}
	for _, m := range ms {
		ew.printf("%s\t%s\t缺字的角色：%s\n", m.Code, printable(m.Rune), strings.Join(m.Roles, "、"))
	}
	ew.printf("共 %d 个字符没有任何已配置的字体包含\n", len(ms))
	return len(ms), ew.err
}

func printable(r rune) string {
	d := describeRune(r)
	if strings.Contains(d, "“") {
		return string(r)
	}
	return "-"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
