package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzPreviewHTTP sends arbitrary bodies through the real pipeline behind
// the HTTP layer: whatever the input, the answer is 200, 400, 413 or 422
// with a body of the documented shape, never a 500.
//
//	go test ./api -run '^$' -fuzz FuzzPreviewHTTP -fuzztime 1m
func FuzzPreviewHTTP(f *testing.F) {
	p := realEngine(f)
	example := realExample(f, p)
	f.Add(example)
	f.Add(brokenReport(f, example))
	f.Add([]byte(`{"organ": "x", "year": 2024,}`))
	f.Add([]byte(`{"organ": 1, "year": "2024", "requests": {"newlyReceived": {"natural": -1}}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"template": "../../etc/passwd"}`))
	f.Add([]byte("{\"organ\": \"\xff\xfe\"}"))
	h := New(p, Config{Logger: discardLogger(), MaxBodyBytes: 64 << 10}).Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, route := range []string{"/api/v1/preview", "/api/v1/render?format=docx"} {
			req := httptest.NewRequest("POST", route, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
			default:
				t.Fatalf("%s: status %d for %q: %s", route, rec.Code, body, rec.Body)
			}
			if rec.Code != http.StatusOK {
				var pd problemDetails
				if err := json.Unmarshal(rec.Body.Bytes(), &pd); err != nil || pd.Status != rec.Code || pd.Problems == nil {
					t.Fatalf("%s: bad problem document %v: %s", route, err, rec.Body)
				}
			}
		}
	})
}
