package batch

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

type zipEntrySpec struct {
	name     string
	body     []byte
	nonUTF8  bool
	utf8Flag bool // set the UTF-8 flag whatever the name (a lying archive)
	mode     fs.FileMode
	store    bool
}

func buildZip(t *testing.T, entries ...zipEntrySpec) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, NonUTF8: e.nonUTF8}
		if e.store {
			h.Method = zip.Store
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		if e.utf8Flag {
			h.Flags |= 0x800
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func listZip(data []byte, limits Limits) ([]Item, error) {
	return zipItems(bytes.NewReader(data), int64(len(data)), "in.zip", limits)
}

const tinyReport = `{"organ":"测试镇人民政府","year":2024}`

func TestZipAcceptsAGoodArchive(t *testing.T) {
	data := buildZip(t,
		zipEntrySpec{name: "2024/"},
		zipEntrySpec{name: "2024/b.json", body: []byte(tinyReport)},
		zipEntrySpec{name: "2024/a.JSON", body: []byte(tinyReport)},
		zipEntrySpec{name: "readme.txt", body: []byte("not a report")},
		zipEntrySpec{name: "__MACOSX/2024/._a.JSON", body: []byte{0, 5, 22, 7}},
		zipEntrySpec{name: "𥔲嘉镇/报告.json", body: []byte(tinyReport)},
	)
	items, err := listZip(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Path)
		raw, err := it.Read()
		if err != nil || string(raw) != tinyReport {
			t.Fatalf("%s: %q, %v", it.Path, raw, err)
		}
	}
	want := "in.zip!/2024/a.JSON in.zip!/2024/b.json in.zip!/𥔲嘉镇/报告.json"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("entries %q, want %q", got, want)
	}
}

// Each unsafe archive is rejected as a whole, with an error naming the
// entry and the reason.
func TestZipRejectsUnsafeArchives(t *testing.T) {
	small := Limits{MaxZipEntries: 4, MaxZipTotal: 4 << 20, MaxZipRatio: 50}
	zeros := make([]byte, 3<<20) // deflates ~1000:1
	cases := []struct {
		name    string
		data    []byte
		limits  Limits
		wantMsg string
		wantErr error // default ErrUnsafeZip
	}{
		{"zip-slip parent", buildZip(t, zipEntrySpec{name: "../../etc/cron.d/x.json", body: []byte(tinyReport)}), Limits{}, `"../../etc/cron.d/x.json": name contains ".."`, nil},
		{"zip-slip inner parent", buildZip(t, zipEntrySpec{name: "a/../../x.json", body: []byte(tinyReport)}), Limits{}, `name contains ".."`, nil},
		{"absolute path", buildZip(t, zipEntrySpec{name: "/etc/x.json", body: []byte(tinyReport)}), Limits{}, "absolute path", nil},
		{"drive letter", buildZip(t, zipEntrySpec{name: "C:/x.json", body: []byte(tinyReport)}), Limits{}, "absolute path", nil},
		{"backslash", buildZip(t, zipEntrySpec{name: `..\..\x.json`, body: []byte(tinyReport)}), Limits{}, "backslash", nil},
		{"duplicate", buildZip(t, zipEntrySpec{name: "a.json", body: []byte(tinyReport)}, zipEntrySpec{name: "a.json", body: []byte(`{}`)}), Limits{}, "appears twice", nil},
		{"duplicate by case", buildZip(t, zipEntrySpec{name: "A.json", body: []byte(tinyReport)}, zipEntrySpec{name: "a.json", body: []byte(tinyReport)}), Limits{}, `duplicates entry "A.json"`, nil},
		{"duplicate by normalisation", buildZip(t, zipEntrySpec{name: "caf\u00e9.json", body: []byte(tinyReport)}, zipEntrySpec{name: "cafe\u0301.json", body: []byte(tinyReport)}), Limits{}, "duplicates entry", nil},
		{"duplicate after cleaning", buildZip(t, zipEntrySpec{name: "x/a.json", body: []byte(tinyReport)}, zipEntrySpec{name: "x//a.json", body: []byte(tinyReport)}), Limits{}, "duplicates entry", nil},
		{"GBK name flagged UTF-8", buildZip(t, zipEntrySpec{name: "\xb1\xa8\xb8\xe6.json", body: []byte(tinyReport), utf8Flag: true}), Limits{}, "not UTF-8 although", nil},
		{"GBK zip-slip", buildZip(t, zipEntrySpec{name: "../\xb1\xa8\xb8\xe6.json", body: []byte(tinyReport), nonUTF8: true}), Limits{}, `"../报告.json": name contains ".."`, nil},
		{"GBK duplicate of a UTF-8 name", buildZip(t, zipEntrySpec{name: "\xb1\xa8\xb8\xe6.json", body: []byte(tinyReport), nonUTF8: true}, zipEntrySpec{name: "报告.json", body: []byte(tinyReport)}), Limits{}, `"报告.json": appears twice`, nil},
		{"undecodable name", buildZip(t, zipEntrySpec{name: "\xff\xff.json", body: []byte(tinyReport), nonUTF8: true}), Limits{}, "neither UTF-8 nor GB18030", nil},
		{"control character", buildZip(t, zipEntrySpec{name: "a\x07.json", body: []byte(tinyReport)}), Limits{}, "control characters", nil},
		{"symlink", buildZip(t, zipEntrySpec{name: "link.json", body: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}), Limits{}, "not a regular file", nil},
		{"too many entries", buildZip(t, zipEntrySpec{name: "1.json"}, zipEntrySpec{name: "2.json"}, zipEntrySpec{name: "3.json"}, zipEntrySpec{name: "4.json"}, zipEntrySpec{name: "5.json"}), small, "5 entries, more than the limit of 4", nil},
		{"ratio bomb", buildZip(t, zipEntrySpec{name: "bomb.json", body: zeros}), Limits{MaxZipRatio: 100}, "compression ratio", nil},
		{"total size bomb", buildZip(t, zipEntrySpec{name: "a.txt", body: zeros, store: true}, zipEntrySpec{name: "b.txt", body: zeros, store: true}), small, "expands to more than", nil},
		{"report over size limit", buildZip(t, zipEntrySpec{name: "big.json", body: zeros, store: true}), Limits{MaxReportBytes: 1 << 20}, "over the limit", ErrTooLarge},
		{"too many reports", buildZip(t, zipEntrySpec{name: "1.json"}, zipEntrySpec{name: "2.json"}, zipEntrySpec{name: "3.json"}), Limits{MaxInputs: 2}, "3 reports, more than the limit of 2", ErrTooManyInputs},
		{"overlapping entries", overlappingZip(t), Limits{}, "overlaps entry", nil},
		{"not a zip", []byte("PK\x03\x04 this is not really a zip"), Limits{}, "not a readable zip archive", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := listZip(c.data, c.limits)
			if err == nil {
				t.Fatal("accepted")
			}
			want := c.wantErr
			if want == nil {
				want = ErrUnsafeZip
			}
			if !errors.Is(err, want) {
				t.Errorf("error %v does not wrap %v", err, want)
			}
			if want != ErrUnsafeZip && errors.Is(err, ErrUnsafeZip) {
				t.Errorf("an archive over a limit is called unsafe: %v", err)
			}
			if !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("error %q does not say %q", err, c.wantMsg)
			}
		})
	}
}

// Zips made on Chinese Windows store GBK/GB18030 names without the UTF-8
// flag: they are read, with their names decoded (issue 14 item 18). A GBK
// character whose second byte is 0x5C ('\\') is not a backslash.
func TestZipGBKNames(t *testing.T) {
	data := buildZip(t,
		zipEntrySpec{name: "\xc4\xea\xb6\xc8/\xb1\xa8\xb8\xe6.json", body: []byte(tinyReport), nonUTF8: true}, // 年度/报告.json
		zipEntrySpec{name: "\x81\x5c.json", body: []byte(tinyReport), nonUTF8: true},                          // 乗.json
		zipEntrySpec{name: "utf8.json", body: []byte(tinyReport)},
	)
	items, err := listZip(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Path)
		if b, err := it.Read(); err != nil || string(b) != tinyReport {
			t.Errorf("%s: %q, %v", it.Path, b, err)
		}
	}
	if got := strings.Join(names, " "); got != "in.zip!/utf8.json in.zip!/乗.json in.zip!/年度/报告.json" {
		t.Errorf("names %s", got)
	}
}

// A refused archive names the entry and the reason in Chinese too.
func TestZipErrorMessage(t *testing.T) {
	_, err := listZip(buildZip(t, zipEntrySpec{name: "../\xb1\xa8\xb8\xe6.json", body: []byte(tinyReport), nonUTF8: true}), Limits{})
	var ze *ZipError
	if !errors.As(err, &ze) || ze.Message() != "压缩包中的“../报告.json”被拒绝：文件名含“..”（会越出解压目录）" {
		t.Errorf("%v", err)
	}
}

// An entry whose data decompresses to more than its header declares (a
// forged size to slip past the limits) fails when read.
func TestZipEntryLyingAboutItsSize(t *testing.T) {
	body := bytes.Repeat([]byte(`{"organ":"x"}`), 1000)
	data := buildZip(t, zipEntrySpec{name: "a.json", body: body})
	// Patch the declared uncompressed size (central directory) down to 10.
	cd := bytes.LastIndex(data, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(data[cd+24:], 10)
	items, err := listZip(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = items[0].Read()
	if err == nil {
		t.Fatal("an entry larger than declared was read without error")
	}
	// A bad entry, not a fault of the batch: failed, never retried (item 29).
	if !errors.Is(err, ErrUnsafeZip) || classify(err) != StatusFailed || !strings.Contains(err.Error(), `"a.json"`) {
		t.Errorf("%v: classified %s", err, classify(err))
	}
}

// overlappingZip has two central-directory entries pointing at the same
// local file: the building block of non-recursive zip bombs.
func overlappingZip(t *testing.T) []byte {
	data := buildZip(t, zipEntrySpec{name: "a.json", body: []byte(tinyReport)})
	eocd := bytes.LastIndex(data, []byte("PK\x05\x06"))
	cdSize := binary.LittleEndian.Uint32(data[eocd+12:])
	cdOff := binary.LittleEndian.Uint32(data[eocd+16:])
	rec := append([]byte(nil), data[cdOff:cdOff+cdSize]...)
	dup := append([]byte(nil), rec...)
	copy(dup[46:], "b.json")
	out := append([]byte(nil), data[:cdOff]...)
	out = append(out, rec...)
	out = append(out, dup...)
	end := append([]byte(nil), data[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], 2)
	binary.LittleEndian.PutUint16(end[10:], 2)
	binary.LittleEndian.PutUint32(end[12:], cdSize*2)
	return append(out, end...)
}
