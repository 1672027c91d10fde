package archive

import "testing"

// diffPDF reads files a user hands to verify: whatever the bytes, it must
// answer, never panic.
func FuzzDiffPDF(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Pages /Kids [2 0 R] >>\nendobj\n2 0 obj\n<< /Type /Page /Resources 4 0 R /Contents 3 0 R >>\nendobj\n"+
		"3 0 obj\n<< /Length 20 >>\nstream\n/GW1 12 Tf <0001> Tj\nendstream\nendobj\n4 0 obj\n<< /Font << /GW1 5 0 R >> >>\nendobj\n"+
		"5 0 obj\n<< /Type /Font /ToUnicode 6 0 R >>\nendobj\n6 0 obj\n<< /Length 40 >>\nstream\nbeginbfchar\n<0001> <D855DD32>\nendbfchar\nendstream\nendobj\n"+
		"trailer\n<< /Info 5 0 R >>\n"), []byte("%PDF-1.7\n1 0 obj\n<< /Length 99999 >>\nstream\nxx"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(diffPDF(a, b)) == 0 {
			t.Fatal("no answer")
		}
	})
}
