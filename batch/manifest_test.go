package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"gongwen/problem"
	"gongwen/report"
)

// The checkpoints join entries encoded one by one; the result must be
// exactly the canonical encoding of the whole manifest, whatever the
// entries hold: nested problems with numbers, text that HTML escaping or
// the splice could trip over, no outputs, an error, a streamed batch's
// error after the list, no entries at all.
func TestEncodeJoinedIsEncode(t *testing.T) {
	settings := newSettings([]report.Format{report.PDF, report.DOCX}, report.Options{Lang: "zh", NormalizePunctuation: true})
	rendered := Entry{Path: "in/a.json", SHA256: "ab", Size: 10, Template: "t/2021", Status: StatusRendered,
		Outputs: []Output{{Format: report.PDF, Path: "2024/𥔲嘉镇.pdf", SHA256: "cd", Size: 3, PDFStandard: "a-2b"}, {Format: report.DOCX, Path: "2024/𥔲嘉镇.docx", SHA256: "ef", Size: 4}}}
	withProblems := Entry{Path: "in/<b>&\"q\".json", SHA256: "01", Size: 11, Status: StatusRenderedWithErrors,
		Problems: []problem.Problem{
			{Severity: problem.Error, Rule: "R1", Path: "/requests/total", Message: "“总计”应为 5，实为 6\n  \"inputs\": []", Expected: json.Number("5"), Actual: json.Number("6.50"), Related: []string{"/a", "/b"}},
			{Severity: problem.Warning, Rule: "prose", Message: "<script>"},
		}}
	failed := Entry{Path: "in/bad.json", Status: StatusFailed, Error: "malformed: unexpected end of JSON input"}
	noSHA := Entry{Path: "in/gone.json", Status: StatusError, Error: "open in/gone.json: no such file"}
	for _, tc := range []struct {
		name     string
		entries  []Entry
		complete bool
		err      string
	}{
		{"none", nil, false, ""},
		{"one", []Entry{rendered}, true, ""},
		{"mixed", []Entry{rendered, withProblems, failed, noSHA}, false, ""},
		{"streamed, cut short", []Entry{failed, rendered}, false, "source: unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pieces [][]byte
			for _, e := range tc.entries {
				b, err := encodeEntry(e)
				if err != nil {
					t.Fatal(err)
				}
				pieces = append(pieces, b)
			}
			m := newManifest("gongwen test", settings, append([]Entry(nil), tc.entries...), tc.complete)
			m.Error = tc.err
			want, err := m.Encode()
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.encodeJoined(pieces)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("joined encoding differs from Encode:\n got %s\nwant %s", got, want)
			}
			if _, err := decodeManifest(got); err != nil {
				t.Error(err)
			}
		})
	}
}

// BenchmarkCheckpoint is the manifest of a 10,000-report batch written as a
// checkpoint: encoded whole (as before) and joined from encoded entries.
func BenchmarkCheckpoint(b *testing.B) {
	settings := newSettings([]report.Format{report.PDF, report.DOCX}, report.Options{Lang: "zh"})
	entries := make([]Entry, 10000)
	pieces := make([][]byte, len(entries))
	for i := range entries {
		entries[i] = Entry{Path: fmt.Sprintf("in/report-%06d.json", i), SHA256: fmt.Sprintf("%064x", i), Size: 8300, Template: "gov-info-disclosure-annual/2021", Status: StatusRendered,
			Problems: []problem.Problem{{Severity: problem.Notice, Rule: "punctuation", Path: "/overview/0", Message: "标点已改为全角"}},
			Outputs: []Output{{Format: report.PDF, Path: fmt.Sprintf("2024/机关%d2024年度政府信息公开工作年度报告.pdf", i), SHA256: fmt.Sprintf("%064x", i+1), Size: 201534, PDFStandard: "a-2b"},
				{Format: report.DOCX, Path: fmt.Sprintf("2024/机关%d2024年度政府信息公开工作年度报告.docx", i), SHA256: fmt.Sprintf("%064x", i+2), Size: 179776}}}
		pieces[i], _ = encodeEntry(entries[i])
	}
	m := newManifest("gongwen bench", settings, entries, false)
	b.Run("Encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Encode(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("joined", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.encodeJoined(pieces); err != nil {
				b.Fatal(err)
			}
		}
	})
}
