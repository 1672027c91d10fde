package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"gongwen/render/ofd"
)

// isOFD: a ZIP whose parts include OFD.xml (the entry file GB/T 33190
// fixes; gongwen writes it first).
func isOFD(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) && bytes.Contains(b, []byte("OFD.xml"))
}

func readOFD(file []byte) (*Record, error) {
	a, err := ofd.ReadArchived(file)
	if err != nil {
		return nil, err
	}
	std := string(a.Standard)
	if std == "" {
		std = "none"
	}
	rec := &Record{Standard: std, Created: a.Created, Provenance: a.Provenance}
	if a.Source != nil {
		rec.Source = &Source{Name: a.Source.Name, MIME: a.Source.MIME, Data: a.Source.Data}
	}
	return rec, nil
}

// maxOFDPart bounds what diffOFD inflates of one part.
const maxOFDPart = 64 << 20

// diffOFD explains where two OFD packages differ, part by part: the page
// count, each page's text (TextCode by TextCode), fonts, the document
// information, the attached report, other parts; then the first differing
// byte of the package.
func diffOFD(want, got []byte) []string {
	a, b := ofdParts(want), ofdParts(got)
	var out []string
	pages := func(m map[string][]byte) []string {
		var ps []string
		for name := range m {
			if strings.Contains(name, "/Pages/") && strings.HasSuffix(name, "/Content.xml") {
				ps = append(ps, name)
			}
		}
		sort.Slice(ps, func(i, j int) bool { return pageIndex(ps[i]) < pageIndex(ps[j]) })
		return ps
	}
	pa, pb := pages(a), pages(b)
	if len(pa) != len(pb) {
		out = append(out, fmt.Sprintf("page count: the file has %d pages, the fresh render %d", len(pa), len(pb)))
	}
	for i := range min(len(pa), len(pb)) {
		if !bytes.Equal(a[pa[i]], b[pb[i]]) {
			out = append(out, fmt.Sprintf("page %d: %s", i+1, diffOFDPage(a[pa[i]], b[pb[i]])))
		}
	}
	var fonts, other []string
	names := make([]string, 0, len(a))
	for name := range a {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if bytes.Equal(a[name], b[name]) || strings.HasSuffix(name, "/Content.xml") && strings.Contains(name, "/Pages/") {
			continue
		}
		switch {
		case strings.HasSuffix(name, ".ttf") || strings.HasSuffix(name, ".otf"):
			fonts = append(fonts, name)
		case name == "OFD.xml":
			out = append(out, "document information differs (OFD.xml: DocInfo, CustomData)")
		case strings.Contains(name, "/Attachs/"):
			out = append(out, "the attached report differs ("+name+")")
		default:
			other = append(other, name)
		}
	}
	if len(fonts) > 0 {
		out = append(out, "fonts differ ("+strings.Join(fonts, ", ")+")")
	}
	if len(other) > 0 {
		out = append(out, "document structure differs ("+strings.Join(other, ", ")+")")
	}
	if len(a) != len(b) {
		out = append(out, fmt.Sprintf("part count: the file has %d parts, the fresh render %d", len(a), len(b)))
	}
	out = append(out, fmt.Sprintf("first differing byte: offset %d of %d", firstDiff(want, got), len(want)))
	return out
}

// ofdParts are a package's parts by name; an unreadable package has none.
func ofdParts(b []byte) map[string][]byte {
	out := map[string][]byte{}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return out
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxOFDPart))
		rc.Close()
		if err == nil {
			out[f.Name] = data
		}
	}
	return out
}

var pageNumber = regexp.MustCompile(`Page_(\d+)/`)

func pageIndex(name string) int {
	m := pageNumber.FindStringSubmatch(name)
	if m == nil {
		return -1
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			break
		}
	}
	return n
}

var textCode = regexp.MustCompile(`<ofd:TextCode[^>]*>([^<]*)</ofd:TextCode>`)

// diffOFDPage says whether a page's text or only its drawing differs.
func diffOFDPage(a, b []byte) string {
	ta, tb := textCode.FindAllSubmatch(a, -1), textCode.FindAllSubmatch(b, -1)
	for i := range min(len(ta), len(tb)) {
		if !bytes.Equal(ta[i][1], tb[i][1]) {
			return fmt.Sprintf("text differs: the file has %s where the fresh render has %s", quoteAround(string(ta[i][1]), string(tb[i][1])), quoteAround(string(tb[i][1]), string(ta[i][1])))
		}
	}
	if len(ta) != len(tb) {
		return fmt.Sprintf("the file draws %d text runs, the fresh render %d", len(ta), len(tb))
	}
	off := firstDiff(a, b)
	return fmt.Sprintf("same text, drawn differently (positions, sizes, colours or rules): first difference at %s", quote(excerpt(a, off)))
}
