package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/report"
)

func renderOFD(t *testing.T, raw []byte, std ofd.Standard) []byte {
	t.Helper()
	opts := report.DefaultOptions()
	opts.OFDStandard = std
	opts.Created = time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC)
	b, _, err := engine(t).Render(context.Background(), raw, report.OFD, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ofdcheck.Check(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// editPart rewrites one part of an OFD package.
func editPart(t *testing.T, pkg []byte, name string, edit func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			data, found = edit(data), true
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, ModifiedDate: f.ModifiedDate})
		w.Write(data)
	}
	zw.Close()
	if !found {
		t.Fatalf("no part %s", name)
	}
	return buf.Bytes()
}

// OFD-A: extract gives the report back byte for byte; verify says a fresh
// package is identical and says where an altered one differs.
func TestOFDExtractAndVerify(t *testing.T) {
	p := engine(t)
	raw := source(t)
	file := renderOFD(t, raw, ofd.StandardA)
	src, err := Extract(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src.Data, raw) || !strings.HasSuffix(src.Name, ".json") {
		t.Fatalf("extract gave %d bytes named %q", len(src.Data), src.Name)
	}
	rec, err := Read(file)
	if err != nil || rec.Format != report.OFD || rec.Standard != "a" {
		t.Fatalf("record %+v, %v", rec, err)
	}
	ctx := context.Background()
	v, err := Verify(ctx, p, file)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Identical || v.Format != report.OFD {
		t.Fatalf("a fresh OFD does not verify: %+v", v)
	}

	for _, c := range []struct {
		name string
		file []byte
		want []string
	}{
		{"one character of page 2", editPart(t, file, "Doc_0/Pages/Page_1/Content.xml", func(b []byte) []byte {
			return bytes.Replace(b, []byte("政府"), []byte("政符"), 1)
		}), []string{"page 2: text differs", "政符", "first differing byte"}},
		{"one position of page 1", editPart(t, file, "Doc_0/Pages/Page_0/Content.xml", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`X="0"`), []byte(`X="0.5"`), 1)
		}), []string{"page 1: same text, drawn differently"}},
		{"the title in DocInfo", editPart(t, file, "OFD.xml", func(b []byte) []byte {
			return bytes.Replace(b, []byte("年度报告</ofd:Title>"), []byte("年度报表</ofd:Title>"), 1)
		}), []string{"document information differs"}},
	} {
		v, err := Verify(ctx, p, c.file)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		all := strings.Join(v.Differences, "\n")
		if v.Identical {
			t.Errorf("%s: verified as identical", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: differences lack %q:\n%s", c.name, w, all)
			}
		}
	}

	if _, err := Verify(ctx, p, renderOFD(t, raw, ofd.StandardNone)); !errors.Is(err, ErrNoSource) {
		t.Errorf("plain OFD: err = %v, want ErrNoSource", err)
	}
}
