package batch

import (
	"bytes"
	"testing"
)

// FuzzZip: whatever the bytes, listing and reading a zip returns items or
// an error; it never panics, never returns an item over the size limit,
// and never yields an entry name that escapes the folder.
func FuzzZip(f *testing.F) {
	f.Add(buildZip(&testing.T{}, zipEntrySpec{name: "a.json", body: []byte(tinyReport)}, zipEntrySpec{name: "d/b.json", body: []byte("{}")}))
	f.Add(buildZip(&testing.T{}, zipEntrySpec{name: "../x.json", body: []byte("{}")}))
	f.Add(overlappingZip(&testing.T{}))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	limits := Limits{MaxReportBytes: 1 << 16, MaxZipEntries: 64, MaxZipTotal: 1 << 20, MaxInputs: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := zipItems(bytes.NewReader(data), int64(len(data)), "f.zip", limits)
		if err != nil {
			return
		}
		for _, it := range items {
			name := it.Path[len("f.zip!/"):]
			if name == "" || name[0] == '/' || bytes.Contains([]byte("/"+name+"/"), []byte("/../")) {
				t.Fatalf("unsafe name accepted: %q", name)
			}
			raw, err := it.Read()
			if err == nil && int64(len(raw)) > limits.MaxReportBytes {
				t.Fatalf("%s: %d bytes over the limit", it.Path, len(raw))
			}
		}
	})
}
