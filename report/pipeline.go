package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongwen/engine"
	"gongwen/fonts"
	"gongwen/problem"
	"gongwen/render"
	"gongwen/strictjson"
	"gongwen/templates"
)

// DefaultMaxInputBytes bounds one report: the largest real reports are a
// few tens of kilobytes.
const DefaultMaxInputBytes = 8 << 20

// Config configures a Pipeline.
type Config struct {
	// TemplateDirs are extra directories of templates loaded after the
	// embedded ones (flag --templates or GONGWEN_TEMPLATE_DIRS).
	TemplateDirs []string
	// Fonts is the font book used for coverage checks and PDF output; nil
	// means OpenFonts(), else fonts.Default(). Without a usable book,
	// validation skips the coverage check and PDF rendering fails with a
	// clear error.
	Fonts *fonts.Book
	// OpenFonts opens the font book when Fonts is nil (a command line's
	// font flags). It runs on another goroutine while New compiles the
	// templates: the two are most of a one-shot render's start-up.
	OpenFonts func() (*fonts.Book, error)
	// LazyTemplates compiles each embedded template when a report first
	// asks for it (templates.LoadLazy) instead of all of them now: for a
	// one-shot command, which renders one report with one template. A
	// server compiles them all at start.
	LazyTemplates bool
	// MaxInputBytes bounds raw input; 0 means DefaultMaxInputBytes.
	MaxInputBytes int
	// Renderers override the output backends (tests); nil uses the defaults.
	Renderers map[Format]Renderer
	// Version is written into documents as the producing software's version.
	Version string
	// Zone is the default offset of document dates; nil means DefaultZone
	// (GONGWEN_ZONE, else +08:00).
	Zone *time.Location
	// Now is the clock of the last-resort document date (DocumentDate);
	// nil means time.Now. Tests fix it.
	Now func() time.Time
}

// Renderer turns a render request into file bytes.
type Renderer interface {
	Render(req *Request) ([]byte, error)
}

// RendererFunc adapts a function to Renderer.
type RendererFunc func(req *Request) ([]byte, error)

func (f RendererFunc) Render(req *Request) ([]byte, error) { return f(req) }

// Pipeline implements Engine.
type Pipeline struct {
	reg       *templates.Registry
	book      *fonts.Book
	fontErr   error
	maxBytes  int
	renderers map[Format]Renderer
	engine    string // "gongwen <version>"
	zone      *time.Location
	now       func() time.Time

	fontsOnce sync.Once
	fontNames string // Provenance.Fonts of this book
}

var (
	_ Engine        = (*Pipeline)(nil)
	_ NextYearMaker = (*Pipeline)(nil)
)

// New loads and compiles every template and opens the font book, once.
func New(cfg Config) (*Pipeline, error) {
	type opened struct {
		book *fonts.Book
		err  error
	}
	var fontc chan opened
	if cfg.Fonts == nil {
		open := cfg.OpenFonts
		if open == nil {
			open = fonts.Default
		}
		fontc = make(chan opened, 1)
		go func() {
			b, err := open()
			fontc <- opened{b, err}
		}()
	}
	load := templates.Load
	if cfg.LazyTemplates {
		load = templates.LoadLazy
	}
	reg, err := load(cfg.TemplateDirs...)
	if err != nil {
		if fontc != nil {
			<-fontc
		}
		return nil, err
	}
	p := &Pipeline{reg: reg, book: cfg.Fonts, maxBytes: cfg.MaxInputBytes, zone: cfg.Zone, now: cfg.Now}
	if p.maxBytes <= 0 {
		p.maxBytes = DefaultMaxInputBytes
	}
	if p.zone == nil {
		if p.zone, err = DefaultZone(); err != nil {
			return nil, err
		}
	}
	if p.now == nil {
		p.now = time.Now
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	p.engine = "gongwen " + version
	if fontc != nil {
		o := <-fontc
		p.book, p.fontErr = o.book, o.err
	}
	p.renderers = cfg.Renderers
	if p.renderers == nil {
		p.renderers = defaultRenderers(p.book, p.fontErr, version)
	}
	return p, nil
}

// Zone is the offset document dates are written with unless a request
// says otherwise.
func (p *Pipeline) Zone() *time.Location { return p.zone }

func (p *Pipeline) zoneOf(opts Options) *time.Location {
	if opts.Zone != nil {
		return opts.Zone
	}
	return p.zone
}

// Engine names the software in provenance records: "gongwen <version>".
func (p *Pipeline) Engine() string { return p.engine }

// FontNames is the font identity provenance records: each role's faces in
// fallback order, by PostScript name ("body=A,B;heading1=C"); "" without a
// font book.
func (p *Pipeline) FontNames() string {
	p.fontsOnce.Do(func() {
		if p.book == nil {
			return
		}
		roles := slices.Sorted(maps.Keys(p.book.Config().Roles))
		var b strings.Builder
		for _, role := range roles {
			chain, err := p.book.Chain(role)
			if err != nil {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(role)
			b.WriteByte('=')
			for i, f := range chain {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(f.PostScriptName())
			}
		}
		p.fontNames = b.String()
	})
	return p.fontNames
}

// FontsReady reports whether the font book loaded (readiness probes).
func (p *Pipeline) FontsReady() error { return p.fontErr }

// Fonts returns the font book (nil when it failed to load).
func (p *Pipeline) Fonts() *fonts.Book { return p.book }

// Templates lists the loaded templates, the default (what a report naming
// none gets, and the page's first choice) first, then by id.
func (p *Pipeline) Templates() []TemplateInfo {
	var out []TemplateInfo
	ids := p.reg.IDs()
	if i := slices.Index(ids, templates.DefaultID); i > 0 {
		ids = append(append([]string{templates.DefaultID}, ids[:i]...), ids[i+1:]...)
	}
	for _, id := range ids {
		info, _ := p.Template(id)
		out = append(out, info)
	}
	return out
}

func (p *Pipeline) Template(id string) (TemplateInfo, bool) {
	t, ok := p.reg.Get(id)
	if !ok {
		return TemplateInfo{}, false
	}
	return TemplateInfo{ID: t.ID, Name: t.Name, Description: t.Description, Default: t.ID == templates.DefaultID,
		Schema: t.SchemaJSON, Example: t.ExampleJSON, Form: t.Form()}, true
}

// OutputPath names the output of raw for a batch without validating it
// (batch.Namer): the chosen template's outputDir and fileName over the data
// after defaults. ok is false when raw does not decode or lacks what the
// name is made of.
func (p *Pipeline) OutputPath(raw []byte) ([]string, bool) {
	if len(raw) > p.maxBytes {
		return nil, false
	}
	data, _, err := strictjson.Decode(raw, strictjson.DefaultLimits)
	if err != nil {
		return nil, false
	}
	t, _, _, ok := p.reg.Choose(data, "zh")
	if !ok {
		return nil, false
	}
	return t.OutputPath(data)
}

func (p *Pipeline) Validate(ctx context.Context, raw []byte, opts Options) (*Outcome, error) {
	return p.validate(ctx, raw, opts, "")
}

// validate is Validate with the template forced to id when id is not ""
// (template check validates a template's example, which need not name it).
func (p *Pipeline) validate(ctx context.Context, raw []byte, opts Options, id string) (*Outcome, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	if len(raw) > p.maxBytes {
		return &Outcome{Problems: []problem.Problem{{Severity: problem.Error, Rule: "size",
				Message: problem.Pick(lang, fmt.Sprintf("报告文件太大：%d 字节，上限 %d 字节", len(raw), p.maxBytes),
					fmt.Sprintf("report is %d bytes, the limit is %d", len(raw), p.maxBytes))}}},
			fmt.Errorf("%w: %d bytes", ErrTooLarge, len(raw))
	}
	if !utf8.Valid(raw) && looksGB18030(raw) {
		return &Outcome{Problems: []problem.Problem{{Severity: problem.Error, Rule: "encoding",
				Message: problem.Pick(lang, "文件不是 UTF-8 编码（看起来是 GBK/GB18030）。请在记事本中“另存为”，编码选择 UTF-8 后重新提交",
					"the file is not UTF-8 (it looks like GBK/GB18030); save it as UTF-8 and submit it again")}}},
			fmt.Errorf("%w: not UTF-8 (GB18030?)", ErrMalformed)
	}
	data, findings, err := strictjson.Decode(raw, strictjson.DefaultLimits)
	if err != nil {
		var se *strictjson.Error
		if !errors.As(err, &se) {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		// Label the problem in the words of the template the report was
		// meant for, as far as its head can be read.
		t, _, _, _ := p.reg.Choose(peekHead(raw), lang)
		out := &Outcome{Problems: []problem.Problem{decodeProblem(t, se, raw, lang)}}
		switch se.Kind {
		case strictjson.KindSyntax, strictjson.KindNotObject, strictjson.KindTrailingData:
			return out, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return out, nil // valid JSON nested beyond reason: an invalid report
	}
	var t *engine.Template
	var notice string
	var ok bool
	if id != "" {
		t, ok = p.reg.Get(id)
	} else {
		t, id, notice, ok = p.reg.Choose(data, lang)
	}
	if !ok {
		return &Outcome{Problems: []problem.Problem{{Severity: problem.Error, Rule: "template", Path: "/template",
			Message: problem.Pick(lang, fmt.Sprintf("没有名为“%s”的模板，可用的模板有：%s", clip(id), strings.Join(p.reg.IDs(), "、")),
				fmt.Sprintf("no template %q; available: %s", clip(id), strings.Join(p.reg.IDs(), ", "))),
			Actual: clip(id)}}}, fmt.Errorf("%w: %q", ErrUnknownTemplate, clip(id))
	}
	var decodeProblems []problem.Problem
	for _, f := range findings {
		decodeProblems = append(decodeProblems, decodeProblem(t, f, raw, lang))
	}
	if notice != "" {
		decodeProblems = append(decodeProblems, problem.Problem{Severity: problem.Notice, Rule: "template", Path: "/template", Message: notice, Actual: t.ID})
	}
	refused := problem.HasErrors(decodeProblems)
	previous, prevProblems, err := p.previous(ctx, opts.Previous, lang)
	if err != nil {
		return nil, err
	}
	decodeProblems = append(decodeProblems, prevProblems...)
	res, err := t.Run(data, engine.RunOptions{Lang: lang, NormalizePunctuation: opts.NormalizePunctuation, Previous: previous,
		Zone: p.zoneOf(opts)})
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", t.ID, err)
	}
	out := &Outcome{TemplateID: t.ID, Problems: append(decodeProblems, withoutEchoes(res.Problems, findings)...), Document: res.Document, Data: res.Data,
		FileName: res.FileName, Source: raw}
	if refused {
		// Text we refused must never reach a document, even one rendered
		// with allowProblems.
		out.Document = nil
	}
	if out.Document != nil && p.book != nil {
		out.Problems = append(out.Problems, p.coverageProblems(t, out.Document, lang)...)
	}
	t.SortProblems(out.Problems)
	out.Problems = capProblems(out.Problems, lang)
	return out, nil
}

// withoutEchoes drops the schema's complaint about a value strictjson
// already refused and dropped (a number out of range reads as null): one
// problem per fault, the one that names what was written.
func withoutEchoes(ps []problem.Problem, findings []*strictjson.Error) []problem.Problem {
	dropped := map[string]bool{}
	for _, f := range findings {
		if f.Kind == strictjson.KindNumberRange {
			dropped[f.Path] = true
		}
	}
	if len(dropped) == 0 {
		return ps
	}
	return slices.DeleteFunc(ps, func(p problem.Problem) bool { return p.Rule == "schema" && dropped[p.Path] })
}

// previous reads last year's report for the cross-year rules: its data
// after its own template's defaults (so a total it left to be computed is
// there). One that cannot be read is an error problem of this report: the
// clerk asked for a comparison that cannot be made.
func (p *Pipeline) previous(ctx context.Context, raw []byte, lang string) (map[string]any, []problem.Problem, error) {
	if len(raw) == 0 {
		return nil, nil, nil
	}
	out, err := p.Validate(ctx, raw, Options{Lang: lang})
	if out != nil && out.Data != nil && err == nil {
		return out.Data, nil, nil
	}
	if out == nil {
		return nil, nil, err // a fault (cancelled), not the clerk's file
	}
	why := ""
	if len(out.Problems) > 0 {
		why = out.Problems[0].Message
	}
	return nil, []problem.Problem{{Severity: problem.Error, Rule: "previous",
		Message: problem.Pick(lang, "上年报告无法读取，未能与上年核对："+why+"。请重新选择上年报告文件",
			"last year's report cannot be read, so it was not compared: "+why)}}, nil
}

// NextYear implements Engine.
func (p *Pipeline) NextYear(ctx context.Context, previous []byte, opts Options) ([]byte, *Outcome, error) {
	opts.Previous = nil
	out, err := p.Validate(ctx, previous, opts)
	if err != nil {
		return nil, out, err
	}
	t, ok := p.reg.Get(out.TemplateID)
	if !ok || !t.CanStartNextYear() {
		return nil, out, fmt.Errorf("%w: %s", ErrNoNextYear, out.TemplateID)
	}
	draft, err := t.NextYear(out.Data)
	if err != nil {
		return nil, out, fmt.Errorf("template %s: %w", t.ID, err)
	}
	b, err := json.MarshalIndent(draft, "", "  ")
	if err != nil {
		return nil, out, fmt.Errorf("template %s: next year's draft: %w", t.ID, err)
	}
	return b, out, nil
}

func (p *Pipeline) Render(ctx context.Context, raw []byte, format Format, opts Options) ([]byte, *Outcome, error) {
	if _, ok := p.renderers[format]; !ok {
		return nil, nil, fmt.Errorf("%w: %q (valid: %s)", ErrUnsupportedFormat, clip(string(format)), FormatList)
	}
	out, err := p.Validate(ctx, raw, opts)
	if err != nil {
		return nil, out, err
	}
	b, err := p.RenderOutcome(ctx, out, format, opts)
	return b, out, err
}

// RenderOutcome renders what Validate returned, so that several formats
// of one report need one validation (batch). The Outcome is not modified.
func (p *Pipeline) RenderOutcome(ctx context.Context, out *Outcome, format Format, opts Options) ([]byte, error) {
	r, ok := p.renderers[format]
	if !ok {
		return nil, fmt.Errorf("%w: %q (valid: %s)", ErrUnsupportedFormat, clip(string(format)), FormatList)
	}
	if out == nil || out.Document == nil || (!out.Valid() && !opts.AllowProblems) {
		n := 0
		if out != nil {
			n = countErrors(out.Problems)
		}
		return nil, fmt.Errorf("%w: %d problem(s)", ErrInvalid, n)
	}
	doc := *out.Document // the meta below is this render's, not the outcome's
	doc.Meta.Notes = slices.Clone(doc.Meta.Notes)
	if n := countErrors(out.Problems); n > 0 {
		doc.Meta.Notes = append(doc.Meta.Notes, fmt.Sprintf("rendered with unresolved problems (%d)", n))
	}
	zone := p.zoneOf(opts)
	// The engine set Created to the report's own date, if it has one.
	doc.Meta.Created = DocumentDate(doc.Meta.Created, opts.Created, p.now, zone)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	req := &Request{
		Document:    &doc,
		Standard:    opts.pdfStandard(),
		OFDStandard: opts.OFDStandard,
		DOCXFonts:   opts.docxFonts(),
		Zone:        zone,
		Source:      Source{Name: out.FileName + ".json", Data: out.Source},
		Provenance: Provenance{
			Template:             out.TemplateID,
			PDFStandard:          opts.pdfStandard(),
			OFDStandard:          opts.OFDStandard,
			Created:              doc.Meta.Created,
			Zone:                 ZoneName(zone, doc.Meta.Created),
			NormalizePunctuation: opts.NormalizePunctuation,
			AllowProblems:        opts.AllowProblems,
			Engine:               p.engine,
			SourceSHA256:         sha256Hex(out.Source),
		},
	}
	if format == PDF || format == OFD { // the formats that embed the faces
		req.Provenance.Fonts = p.FontNames()
	}
	b, err := r.Render(req)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", format, err)
	}
	return b, nil
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

// decodeProblem explains a JSON-level finding; t (nil when no template
// could be told) labels the place in the form's words.
func decodeProblem(t *engine.Template, se *strictjson.Error, raw []byte, lang string) problem.Problem {
	pr := problem.Problem{Severity: problem.Error, Rule: "json", Path: se.Path}
	where := ""
	if se.Path != "" && t != nil {
		where = "“" + t.Label(se.Path) + "”"
	}
	switch se.Kind {
	case strictjson.KindSyntax:
		line, col := lineCol(raw, se.Offset)
		pr.Message = problem.Pick(lang, fmt.Sprintf("不是有效的 JSON：第 %d 行第 %d 列附近有错误（%s）", line, col, se.Detail),
			fmt.Sprintf("not valid JSON: error near line %d, column %d (%s)", line, col, se.Detail))
	case strictjson.KindNotObject:
		pr.Message = problem.Pick(lang, "报告应为一个 JSON 对象，以 { 开始、以 } 结束", "the report must be a JSON object { ... }")
	case strictjson.KindTrailingData:
		line, col := lineCol(raw, se.Offset)
		pr.Message = problem.Pick(lang, fmt.Sprintf("报告对象结束后还有多余内容（第 %d 行第 %d 列）", line, col),
			fmt.Sprintf("unexpected data after the report object (line %d, column %d)", line, col))
	case strictjson.KindDuplicateKey:
		pr.Message = problem.Pick(lang, fmt.Sprintf("%s字段重复出现：同一对象中每个字段只能写一次，请删除多余的一处", where),
			"duplicate key: each key may appear only once in an object")
	case strictjson.KindTooDeep:
		pr.Message = problem.Pick(lang, "嵌套层数过深，报告格式不会超过 6 层", "nesting too deep for a report")
	case strictjson.KindBadText:
		pr.Message = problem.Pick(lang, fmt.Sprintf("%s含有无法识别的字符（无效编码或替换字符 U+FFFD），原字符已经丢失，请重新录入这段文字", where),
			"text contains an undecodable character (invalid UTF-8, unpaired surrogate or U+FFFD): "+se.Detail)
	case strictjson.KindNumberRange:
		lit := problem.Clip(strings.TrimPrefix(se.Detail, "number out of range: "), 24)
		pr.Message = problem.Pick(lang, fmt.Sprintf("%s的数值 %s 超出范围：报告中的数量和金额不会达到 10 的 21 次方，请改为实际数字", where, lit),
			fmt.Sprintf("number %s out of range: no count or amount reaches 10^21; write the actual figure", lit))
	case strictjson.KindControlChar:
		pr.Message = problem.Pick(lang, fmt.Sprintf("%s含有不可见的控制字符（%s），请删除", where, controlDetail(se.Detail)),
			"text contains a control character: "+se.Detail)
	default:
		pr.Message = se.Detail
	}
	return pr
}

// peekHead reads the top-level "template" and "year" of a report that
// does not decode (a syntax error further on, nesting beyond the limit),
// token by token up to the fault, so that its problem can be labelled by
// the right template.
func peekHead(raw []byte) map[string]any {
	head := map[string]any{}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return head
	}
	depth := 1
	key := ""
	expectKey := true
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return head
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
			if depth == 1 {
				expectKey = true
			}
			continue
		}
		if depth != 1 {
			continue
		}
		if expectKey {
			key, _ = tok.(string)
			expectKey = false
			continue
		}
		if key == "template" || key == "year" {
			if _, seen := head[key]; !seen {
				head[key] = tok
			}
		}
		expectKey = true
	}
	return head
}

func controlDetail(d string) string {
	if i := strings.Index(d, "U+"); i >= 0 && len(d) >= i+6 {
		return d[i : i+6]
	}
	return d
}

func lineCol(raw []byte, off int64) (line, col int) {
	if off > int64(len(raw)) {
		off = int64(len(raw))
	}
	line, col = 1, 1
	for _, r := range string(raw[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// coverageProblems reports characters no configured font can draw, before
// rendering: a PDF must never show a blank where a character was.
func (p *Pipeline) coverageProblems(t *engine.Template, doc *render.Document, lang string) []problem.Problem {
	var out []problem.Problem
	seen := map[string]bool{}
	check := func(style, text, path string) {
		st, ok := doc.Styles[style]
		if !ok {
			return
		}
		for _, r := range p.book.Missing(st.Role, text) {
			key := path + string(r)
			if seen[key] {
				continue
			}
			seen[key] = true
			where := "模板文字"
			if path != "" {
				where = "“" + t.Label(path) + "”"
			}
			out = append(out, problem.Problem{Severity: problem.Error, Rule: "font", Path: path,
				Message: problem.Pick(lang, fmt.Sprintf("%s中的字符“%c”（U+%04X）没有任何已配置的字体包含，无法排印", where, r, r),
					fmt.Sprintf("character %q (U+%04X) is in no configured font", r, r)),
				Actual: fmt.Sprintf("U+%04X", r)})
		}
	}
	for _, b := range doc.Blocks {
		switch x := b.(type) {
		case *render.Paragraph:
			for _, r := range x.Runs {
				style := x.Style
				if r.Style != "" {
					style = r.Style
				}
				check(style, r.Text, x.Path)
			}
		case *render.Table:
			for _, row := range x.Rows {
				for _, c := range row.Cells {
					check(c.Style, c.Text, c.Path)
				}
			}
		}
	}
	return out
}

// MaxProblems bounds the problems one report returns: a generated file
// with 100,000 misspelt keys must get a readable answer, not 30 MB of it.
// MaxProblemBytes bounds their total size the same way (messages echo at
// most a clipped piece of input, but 200 long labels still add up): every
// answer that lists problems (render, validate, preview, a batch manifest
// entry, validate --json) stays well under 64 KB per report.
const (
	MaxProblems     = 200
	MaxProblemBytes = 48 << 10
)

// problemSize is roughly the bytes a problem takes in JSON.
func problemSize(p problem.Problem) int {
	n := 64 + len(p.Rule) + len(p.Path) + len(p.Message)
	for _, v := range []any{p.Expected, p.Actual} {
		if s, ok := v.(string); ok {
			n += len(s)
		} else if v != nil {
			n += 24
		}
	}
	return n
}

// capProblems keeps at most MaxProblems problems of at most MaxProblemBytes
// in all, errors first (in form order), and says how many were left out.
func capProblems(ps []problem.Problem, lang string) []problem.Problem {
	total := 0
	for _, p := range ps {
		total += problemSize(p)
	}
	if len(ps) <= MaxProblems && total <= MaxProblemBytes {
		return ps
	}
	kept := make([]problem.Problem, 0, MaxProblems+1)
	size := 0
	for _, sev := range []problem.Severity{problem.Error, problem.Warning, problem.Notice} {
		for _, p := range ps {
			if p.Severity == sev && len(kept) < MaxProblems && size+problemSize(p) <= MaxProblemBytes {
				kept = append(kept, p)
				size += problemSize(p)
			}
		}
	}
	left := len(ps) - len(kept)
	sev := problem.Notice
	if countErrors(kept) < countErrors(ps) {
		sev = problem.Error
	}
	return append(kept, problem.Problem{Severity: sev, Rule: "limit",
		Message: problem.Pick(lang, fmt.Sprintf("另有 %d 个问题未列出（每次最多列出 %d 个），请先改正以上问题", left, len(kept)),
			fmt.Sprintf("%d more problems not listed (%d are); fix the ones above first", left, len(kept)))})
}

// looksGB18030 reports whether raw, invalid as UTF-8, reads as GB18030
// text with Chinese characters in it: a report saved by a Windows program
// in the system's "ANSI" code page. Guessing and converting could print a
// wrong character silently, so the clerk is told instead.
func looksGB18030(raw []byte) bool {
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(dec) || bytes.ContainsRune(dec, utf8.RuneError) {
		return false
	}
	return bytes.ContainsFunc(dec, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
}

// clip keeps template ids and other echoed input short in messages.
func clip(s string) string { return problem.Clip(s, 40) }
