package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"gongwen/report"
)

// BenchmarkRender compares a direct engine call with the same render
// through the HTTP layer (routing, body read, pool, metrics, log line,
// headers), to keep the layer's overhead visible.
func BenchmarkRender(b *testing.B) {
	p := realEngine(b)
	example := realExample(b, p)
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := p.Render(context.Background(), example, report.PDF, report.DefaultOptions()); err != nil {
				b.Fatal(err)
			}
		}
	})
	// http: the whole handler, with a client that accepts gzip (the text
	// compression must add nothing to a PDF); router: the same without the
	// HEAD and compression wrappers, for comparison.
	srv := New(p, Config{Logger: discardLogger()})
	for name, h := range map[string]http.Handler{"http": srv.Handler(), "router": srv.router} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/api/v1/render?format=pdf", bytes.NewReader(example))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept-Encoding", "gzip, deflate, br")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "" {
					b.Fatalf("%d %q: %.200s", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body)
				}
			}
		})
	}
}

// BenchmarkConventionsOnPDF isolates what the HEAD and compression
// wrappers cost a PDF answer (a client accepting gzip; PDFs pass through
// uncompressed): compare wrapped with bare.
func BenchmarkConventionsOnPDF(b *testing.B) {
	pdf := bytes.Repeat([]byte("%PDF-1.7 binary-ish stream data "), 4000) // 128 KB, a typical report
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(pdf)
	})
	for name, h := range map[string]http.Handler{"bare": bare, "wrapped": withConventions(bare)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/api/v1/render", nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Body.Len() != len(pdf) {
					b.Fatal("body changed")
				}
			}
		})
	}
}
