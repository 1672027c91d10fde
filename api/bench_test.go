package api

import (
	"bytes"
	"context"
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
	b.Run("http", func(b *testing.B) {
		h := New(p, Config{Logger: discardLogger()}).Handler()
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest("POST", "/api/v1/render?format=pdf", bytes.NewReader(example))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%d: %s", rec.Code, rec.Body)
			}
		}
	})
}
