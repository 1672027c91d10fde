package api

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"gongwen/archive"
)

// pdfStandard=a-3b embeds the body exactly as the client sent it (byte
// order mark and CRLF included): `gongwen extract` gives those bytes back.
func TestRenderA3bEmbedsTheBodyAsSent(t *testing.T) {
	p := realEngine(t)
	ts := newTestServer(t, New(p, Config{Logger: discardLogger()}))
	body := append([]byte("\uFEFF"), bytes.ReplaceAll(realExample(t, p), []byte("\n"), []byte("\r\n"))...)
	resp, err := http.Post(ts.URL+"/api/v1/render?format=pdf&pdfStandard=a-3b", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	file, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d: %v %.200s", resp.StatusCode, err, file)
	}
	src, err := archive.Extract(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src.Data, body) || src.MIME != "application/json" {
		t.Fatalf("embedded %d bytes (%s), sent %d", len(src.Data), src.MIME, len(body))
	}
	rec, err := archive.Read(file)
	if err != nil || rec.Standard != "a-3b" {
		t.Fatalf("standard %q, %v", rec.Standard, err)
	}
	// The default is a-2b, which embeds nothing.
	resp, err = http.Post(ts.URL+"/api/v1/render?format=pdf", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	file, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if rec, err := archive.Read(file); err != nil || rec.Standard != "a-2b" || rec.Source != nil {
		t.Fatalf("default: %+v, %v", rec, err)
	}
}
