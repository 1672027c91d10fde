package api

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzhttp"

	"gongwen/problem"
)

// The HTTP conventions every route follows without doing anything itself:
// HEAD answers like GET, text is compressed for clients that accept it, and
// the message language follows Accept-Language when the query does not name
// one. They wrap the router, so a route added later gets them too.

// withConventions wraps the router: HEAD outermost, so a HEAD request sees
// exactly the headers (Content-Encoding included) a GET would.
func withConventions(router http.Handler) http.Handler {
	compress, err := gzhttp.NewWrapper(
		gzhttp.ContentTypeFilter(compressible),
		gzhttp.MinSize(1024), // below a packet, compressing costs more than it saves
		gzhttp.CompressionLevel(5),
	)
	if err != nil {
		panic(err) // the options are constants
	}
	return headAsGet(compress(router))
}

// compressible: text only. PDFs, DOCX and zips are compressed already (and
// a render is the hot path: the wrapper must add nothing to it).
func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"),
		ct == "application/json", strings.HasSuffix(ct, "+json"), ct == "application/x-ndjson",
		ct == "application/javascript", ct == "image/svg+xml":
		return true
	}
	return false
}

// headAsGet serves HEAD on every GET route (RFC 9110 §9.3.2): the request
// is routed as GET and the body is dropped, so status and headers are the
// GET's. A route without GET still answers HEAD with 404 or 405.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		next.ServeHTTP(bodiless{w}, get)
	})
}

// bodiless is a ResponseWriter that keeps headers and status and drops the
// body, counting nothing: net/http itself would refuse a HEAD body.
type bodiless struct{ http.ResponseWriter }

func (b bodiless) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (b bodiless) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// acceptLanguage picks zh or en from an Accept-Language header (RFC 9110
// §12.5.4): the acceptable tag with the highest weight that problem.ParseLang
// knows, the first listed on a tie; "" when none.
func acceptLanguage(header string) string {
	type choice struct {
		lang string
		q    float64
		pos  int
	}
	var cs []choice
	for i, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			q = f
		}
		if lang, ok := problem.ParseLang(tag); ok && q > 0 {
			cs = append(cs, choice{lang, q, i})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].q > cs[j].q })
	return cs[0].lang
}
