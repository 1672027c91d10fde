package api

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"gongwen/batch"
	"gongwen/report"
)

// Problem type URIs (RFC 9457 §3.1.1) are Config.ProblemTypeBase + kind.
// The default base is this server's own /problems/, which documents every
// kind, so the URI a client receives resolves to a page saying what it
// means and what to do. An operator who wants absolute URIs, or documents
// the types elsewhere, sets the base (gongwen serve --problem-base).
const defaultProblemTypeBase = "/problems/"

// representativeErrors is one error of each kind classify knows: the
// documentation is generated from classify itself, so it cannot drift from
// what clients are sent. A test checks that every kind is here.
var representativeErrors = []error{
	&paramError{Name: "format", Value: "odt", Allowed: report.FormatList},
	errBodyTooLarge, errUnsupportedMediaType, batch.ErrUnsafeZip, report.ErrMalformed,
	report.ErrUnknownTemplate, report.ErrInvalid, errNotFound, errUnauthorized,
	errMethodNotAllowed, errSaturated, errNoFonts, errNotReady, context.DeadlineExceeded,
	errClientTimeout, errBadBody, errClientGone, errBadForm, report.ErrNoNextYear, errUnrenderable, errors.New("internal"),
}

type problemTypeDoc struct {
	kind string
	f    failure
}

func problemTypeDocs() []problemTypeDoc {
	seen := map[string]bool{}
	var docs []problemTypeDoc
	for _, err := range representativeErrors {
		f := classify(err)
		if seen[f.kind] {
			continue
		}
		seen[f.kind] = true
		docs = append(docs, problemTypeDoc{f.kind, f})
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].kind < docs[j].kind })
	return docs
}

// problemTypes serves GET /problems/ (the list) and /problems/{kind}.
func (s *Server) problemTypes(c *gin.Context) {
	kind := strings.Trim(c.Param("kind"), "/")
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>gongwen problem types</title>\n<h1>gongwen API 错误类型 / problem types</h1>\n")
	found := false
	for _, d := range problemTypeDocs() {
		if kind != "" && d.kind != kind {
			continue
		}
		found = true
		fmt.Fprintf(&b, "<section id=\"%s\"><h2>%s</h2>\n<p>HTTP %d</p>\n<p>%s<br>%s</p>\n<p>%s<br>%s</p></section>\n",
			d.kind, d.kind, d.f.status, html.EscapeString(d.f.titleZH), html.EscapeString(d.f.titleEN),
			html.EscapeString(d.f.detailZH), html.EscapeString(d.f.detailEN))
	}
	if !found {
		s.fail(c, errNoRoute, nil)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
}
