package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongwen/engine"
	"gongwen/problem"
	"gongwen/report"
)

var contentTypes = map[report.Format]string{
	report.PDF:  "application/pdf",
	report.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	// GB/T 33190 names no media type; application/ofd is what OFD readers
	// and the 电子公文 systems register.
	report.OFD: "application/ofd",
}

func (s *Server) healthz(c *gin.Context) {
	writeJSON(c, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}

// fontChecker is implemented by engines that load fonts (report.Pipeline):
// a service that cannot make PDFs is alive but not ready.
type fontChecker interface{ FontsReady() error }

func (s *Server) readyz(c *gin.Context) {
	if s.draining.Load() {
		s.fail(c, fmt.Errorf("%w: draining", errNotReady), nil)
		return
	}
	n := len(s.engine.Templates())
	if n == 0 {
		s.fail(c, fmt.Errorf("%w: no templates loaded", errNotReady), nil)
		return
	}
	if fc, ok := s.engine.(fontChecker); ok {
		if err := fc.FontsReady(); err != nil {
			s.fail(c, fmt.Errorf("%w: %w", errNotReady, err), nil)
			return
		}
	}
	writeJSON(c, http.StatusOK, "application/json", map[string]any{"status": "ready", "templates": n})
}

// options reads the per-request options from the query string.
func options(c *gin.Context) (report.Options, error) {
	opts := report.DefaultOptions()
	if v, ok := c.GetQuery("lang"); ok {
		lang, ok := problem.ParseLang(v)
		if !ok {
			return opts, &paramError{Name: "lang", Value: v, Allowed: problem.Langs}
		}
		opts.Lang = lang
	} else if lang := acceptLanguage(c.GetHeader("Accept-Language")); lang != "" {
		opts.Lang = lang
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"allowProblems", &opts.AllowProblems}, {"normalizePunctuation", &opts.NormalizePunctuation}} {
		v, ok := c.GetQuery(b.name)
		if !ok {
			continue
		}
		x, err := strconv.ParseBool(v)
		if err != nil {
			return opts, &paramError{Name: b.name, Value: v, Allowed: "true, false"}
		}
		*b.dst = x
	}
	if v, ok := c.GetQuery("pdfStandard"); ok {
		std, err := report.ParsePDFStandard(v)
		if err != nil {
			return opts, &paramError{Name: "pdfStandard", Value: v, Allowed: "a-1b, a-2b, a-3b, none"}
		}
		opts.PDFStandard = std
	}
	if v, ok := c.GetQuery("ofdStandard"); ok {
		std, err := report.ParseOFDStandard(v)
		if err != nil {
			return opts, &paramError{Name: "ofdStandard", Value: v, Allowed: "a, none"}
		}
		opts.OFDStandard = std
	}
	if v, ok := c.GetQuery("docxFonts"); ok {
		fonts, err := report.ParseDOCXFonts(v)
		if err != nil {
			return opts, &paramError{Name: "docxFonts", Value: v, Allowed: "embedded, named"}
		}
		opts.DOCXFonts = fonts
	}
	if v, ok := c.GetQuery("created"); ok && v != "" {
		// A date without a time is midnight where the documents are dated
		// (GONGWEN_ZONE, else +08:00); the pipeline checked that zone at start.
		zone, err := report.DefaultZone()
		if err != nil {
			zone, _ = report.ParseZone(report.DefaultZoneName)
		}
		if opts.Created, err = report.ParseCreated(v, zone); err != nil {
			return opts, &paramError{Name: "created", Value: v,
				Allowed: "RFC 3339 (2025-01-20T09:30:00+08:00), YYYY-MM-DD or Unix seconds"}
		}
	}
	return opts, nil
}

// langOf is the language for error documents: the lang parameter, else
// Accept-Language, else Chinese. A bad lang value still gets a (Chinese)
// answer explaining it.
func langOf(c *gin.Context) string {
	if v, ok := c.GetQuery("lang"); ok {
		lang, _ := problem.ParseLang(v)
		if lang == "" {
			lang = "zh"
		}
		return lang
	}
	if lang := acceptLanguage(c.GetHeader("Accept-Language")); lang != "" {
		return lang
	}
	return "zh"
}

// readReport checks the content type and size and reads the body: the
// report JSON alone (application/json), or a form (multipart/form-data)
// with the report in part "report" and last year's report, for the
// cross-year checks, in the optional part "previous". The size is checked
// before reading when the client declares it, so a 10 MB upload is refused
// without buffering it; the limit is for the whole body.
func (s *Server) readReport(c *gin.Context) (raw, previous []byte, err error) {
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	form := err == nil && mt == "multipart/form-data"
	if err != nil || !form && !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil, nil, fmt.Errorf("%w: %q", errUnsupportedMediaType, c.GetHeader("Content-Type"))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, nil, fmt.Errorf("%w: charset %q", errUnsupportedMediaType, cs)
	}
	if c.Request.ContentLength > s.cfg.MaxBodyBytes {
		return nil, nil, fmt.Errorf("%w: declared %d bytes", errBodyTooLarge, c.Request.ContentLength)
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
	if form {
		raw, previous, err = readForm(body, params["boundary"])
	} else {
		raw, err = io.ReadAll(body)
	}
	if err != nil {
		if errors.Is(err, errBadForm) {
			return nil, nil, err
		}
		return nil, nil, bodyError(err)
	}
	return raw, previous, nil
}

// readForm reads the parts "report" (required) and "previous" (optional).
func readForm(body io.Reader, boundary string) (raw, previous []byte, err error) {
	if boundary == "" {
		return nil, nil, fmt.Errorf("%w: no boundary", errBadForm)
	}
	mr := multipart.NewReader(body, boundary)
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("%w: %w", errBadForm, err)
		}
		name := part.FormName()
		if name != "report" && name != "previous" || seen[name] {
			part.Close()
			return nil, nil, fmt.Errorf("%w: part %q", errBadForm, problem.Clip(name, 40))
		}
		seen[name] = true
		b, err := io.ReadAll(part)
		part.Close()
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("%w: %w", errBadForm, err)
		}
		if name == "report" {
			raw = b
		} else {
			previous = b
		}
	}
	if !seen["report"] {
		return nil, nil, fmt.Errorf("%w: no part \"report\"", errBadForm)
	}
	return raw, previous, nil
}

// bodyError says whose fault a failed body read is: too large (413), too
// slow for the read deadline (408), or cut off / badly framed — a client
// hanging up, a broken chunked encoding (400). All are the client's.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &tooLarge):
		return fmt.Errorf("%w: over %d bytes", errBodyTooLarge, tooLarge.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: %w", errClientTimeout, err)
	default:
		return fmt.Errorf("%w: %w", errBadBody, err)
	}
}

// run holds a pool slot for fn under the request deadline.
func (s *Server) run(c *gin.Context, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RequestTimeout)
	defer cancel()
	queued := time.Now()
	release, err := s.pool.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	s.metrics.poolWait.Observe(time.Since(queued).Seconds())
	return fn(ctx)
}

func (s *Server) render(c *gin.Context) {
	format := report.Format(c.DefaultQuery("format", string(report.PDF)))
	if _, ok := contentTypes[format]; !ok {
		s.fail(c, &paramError{Name: "format", Value: string(format), Allowed: report.FormatList}, nil)
		return
	}
	opts, err := options(c)
	if err != nil {
		s.fail(c, err, nil)
		return
	}
	if fc, ok := s.engine.(fontChecker); ok && (format == report.PDF || format == report.OFD) {
		if err := fc.FontsReady(); err != nil {
			s.fail(c, fmt.Errorf("%w: %w", errNoFonts, err), nil)
			return
		}
	}
	raw, previous, err := s.readReport(c)
	if err != nil {
		s.fail(c, err, nil)
		return
	}
	opts.Previous = previous
	var (
		out     []byte
		outcome *report.Outcome
		took    time.Duration
	)
	err = s.run(c, func(ctx context.Context) error {
		s.metrics.rendersInFlight.Inc()
		defer s.metrics.rendersInFlight.Dec()
		start := time.Now()
		var err error
		out, outcome, err = s.engine.Render(ctx, raw, format, opts)
		took = time.Since(start)
		return err
	})
	if outcome != nil {
		s.metrics.countProblems(outcome.Problems)
	}
	if errors.Is(err, report.ErrInvalid) && (outcome == nil || outcome.Document == nil || opts.AllowProblems) {
		// allowProblems cannot help (or was given): say what does.
		err = fmt.Errorf("%w: %w", errUnrenderable, err)
	}
	if err != nil {
		s.fail(c, err, s.problemsFor(err, raw, outcome, opts.Lang))
		return
	}
	if outcome == nil || len(out) == 0 {
		s.fail(c, errors.New("engine returned no output and no error"), nil)
		return
	}
	s.metrics.renderDuration.WithLabelValues(string(format), outcome.TemplateID).Observe(took.Seconds())
	if n := countErrors(outcome.Problems); n > 0 {
		// Rendered with allowProblems: the file records its unresolved
		// errors; this tells the caller without opening it. Warnings and
		// notices (e.g. punctuation made full-width) are not counted.
		c.Header("Gongwen-Errors", strconv.Itoa(n))
	}
	c.Header("Content-Disposition", contentDisposition(outcome.FileName, "."+string(format)))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentTypes[format], out)
}

// contentDisposition names the download per RFC 6266: an ASCII fallback
// for old clients and the real UTF-8 name in filename* (RFC 5987), e.g.
// 𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.pdf.
func contentDisposition(name, ext string) string {
	fallback := asciiFileName(name)
	if fallback == "" {
		fallback = "report"
	}
	v := fmt.Sprintf(`attachment; filename="%s%s"`, fallback, ext)
	if name != "" {
		v += "; filename*=UTF-8''" + rfc5987Escape(name+ext)
	}
	return v
}

// rfc5987Escape percent-encodes every byte that is not an attr-char of
// RFC 5987 (url.PathEscape leaves ':', '@', '=' and others unescaped).
func rfc5987Escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// asciiFileName keeps the characters of name that are safe inside a quoted
// ASCII filename parameter, or nothing if that would leave no real name.
func asciiFileName(name string) string {
	var b strings.Builder
	letters := 0
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
			b.WriteRune(r)
		case r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.':
			b.WriteRune(r)
		}
	}
	if letters == 0 {
		return ""
	}
	return b.String()
}

// problemsFor returns the problems a failure document carries: the
// engine's, or for a malformed body one that says where the JSON breaks.
func (s *Server) problemsFor(err error, raw []byte, outcome *report.Outcome, lang string) []problem.Problem {
	if outcome != nil && len(outcome.Problems) > 0 {
		return outcome.Problems
	}
	if errors.Is(err, report.ErrMalformed) {
		return []problem.Problem{syntaxProblem(raw, lang)}
	}
	return nil
}

func (s *Server) validate(c *gin.Context) {
	outcome, ok := s.check(c)
	if !ok {
		return
	}
	writeJSON(c, http.StatusOK, "application/json", validation{Valid: outcome.Valid(), Problems: nonNil(outcome.Problems)})
}

type validation struct {
	Valid    bool              `json:"valid"`
	Problems []problem.Problem `json:"problems"`
}

func (s *Server) preview(c *gin.Context) {
	outcome, ok := s.check(c)
	if !ok {
		return
	}
	writeJSON(c, http.StatusOK, "application/json", previewOf(outcome))
}

// check runs the engine's validation for validate and preview; it writes
// the failure and returns ok=false when the request cannot be answered 200.
func (s *Server) check(c *gin.Context) (*report.Outcome, bool) {
	opts, err := options(c)
	if err != nil {
		s.fail(c, err, nil)
		return nil, false
	}
	raw, previous, err := s.readReport(c)
	if err != nil {
		s.fail(c, err, nil)
		return nil, false
	}
	opts.Previous = previous
	var outcome *report.Outcome
	err = s.run(c, func(ctx context.Context) error {
		var err error
		outcome, err = s.engine.Validate(ctx, raw, opts)
		return err
	})
	if outcome != nil {
		s.metrics.countProblems(outcome.Problems)
	}
	if err == nil && outcome == nil {
		err = errors.New("engine returned no outcome and no error")
	}
	if err != nil {
		s.fail(c, err, s.problemsFor(err, raw, outcome, opts.Lang))
		return nil, false
	}
	return outcome, true
}

func countErrors(ps []problem.Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == problem.Error {
			n++
		}
	}
	return n
}

func nonNil(ps []problem.Problem) []problem.Problem {
	if ps == nil {
		return []problem.Problem{}
	}
	return ps
}

func (s *Server) listTemplates(c *gin.Context) {
	ts := s.engine.Templates()
	if ts == nil {
		ts = []report.TemplateInfo{}
	}
	writeJSON(c, http.StatusOK, "application/json", map[string]any{"templates": ts})
}

type templateDetail struct {
	report.TemplateInfo
	Schema  json.RawMessage `json:"schema"`
	Example json.RawMessage `json:"example"`
	Form    *engine.Form    `json:"form,omitempty"`
}

func (s *Server) getTemplate(c *gin.Context) {
	id := strings.TrimPrefix(c.Param("id"), "/")
	t, ok := s.engine.Template(id)
	if !ok {
		s.fail(c, fmt.Errorf("%w: template %q: %w", errNotFound, id, report.ErrUnknownTemplate), nil)
		return
	}
	d := templateDetail{TemplateInfo: t, Schema: t.Schema, Example: t.Example, Form: t.Form}
	if !json.Valid(d.Schema) || !json.Valid(d.Example) {
		s.fail(c, fmt.Errorf("template %q: schema or example is not valid JSON", id), nil)
		return
	}
	writeJSON(c, http.StatusOK, "application/json", d)
}

// nextYear makes this year's draft from last year's report (the body):
// "以去年报告为基础" on the page. The template of that report says what
// carries over; the answer is report JSON to edit, not a checked report.
func (s *Server) nextYear(c *gin.Context) {
	opts, err := options(c)
	if err != nil {
		s.fail(c, err, nil)
		return
	}
	maker, ok := s.engine.(report.NextYearMaker)
	if !ok {
		s.fail(c, fmt.Errorf("%w: the engine makes no drafts", report.ErrNoNextYear), nil)
		return
	}
	raw, _, err := s.readReport(c)
	if err != nil {
		s.fail(c, err, nil)
		return
	}
	var (
		draft   []byte
		outcome *report.Outcome
	)
	err = s.run(c, func(ctx context.Context) error {
		var err error
		draft, outcome, err = maker.NextYear(ctx, raw, opts)
		return err
	})
	if err != nil {
		s.fail(c, err, s.problemsFor(err, raw, outcome, opts.Lang))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", draft)
}
