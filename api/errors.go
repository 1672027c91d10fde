package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"gongwen/batch"
	"gongwen/problem"
	"gongwen/report"
)

// Errors raised by the HTTP layer itself. The engine's errors are the
// report.Err* sentinels; classify maps both.
var (
	errUnsupportedMediaType = errors.New("unsupported media type")
	errBodyTooLarge         = errors.New("request body too large")
	errNotFound             = errors.New("not found")
	errNoRoute              = errors.New("no such route")
	errMethodNotAllowed     = errors.New("method not allowed")
	errUnauthorized         = errors.New("missing or wrong bearer token")
	errSaturated            = errors.New("render pool saturated")
	errNotReady             = errors.New("not ready")
	errClientGone           = errors.New("client closed the request")
	errClientTimeout        = errors.New("request body not received in time")
	errBadBody              = errors.New("request body broken off or badly framed")
	errUnrenderable         = errors.New("the report lacks what the document is made of")
	errNoFonts              = errors.New("no usable fonts for PDF output")
	errBadForm              = errors.New("bad multipart form")
)

// paramError is a bad query parameter; its text is safe to show because it
// only echoes what the client sent.
type paramError struct {
	Name, Value string
	Allowed     string // e.g. "pdf, docx"
}

func (e *paramError) Error() string {
	return fmt.Sprintf("bad query parameter %s=%q (allowed: %s)", e.Name, e.Value, e.Allowed)
}

// failure is what the client is told about an error.
type failure struct {
	status     int
	kind       string // the tail of the problem type URI
	titleZH    string
	titleEN    string
	detailZH   string
	detailEN   string
	retryAfter int // seconds; > 0 sets Retry-After
}

// classify is the one place that maps errors to HTTP statuses and
// client-facing text. Order matters: the more specific wrap is tested first
// (a template route wraps ErrUnknownTemplate in errNotFound to get 404).
func classify(err error) failure {
	var pe *paramError
	switch {
	case errors.As(err, &pe):
		v := pe.Value
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "…"
		}
		return failure{status: http.StatusBadRequest, kind: "bad-parameter",
			titleZH: "请求参数有误", titleEN: "Bad request parameter",
			detailZH: fmt.Sprintf("查询参数 %s 的值“%s”无效，可选值：%s。", pe.Name, v, pe.Allowed),
			detailEN: fmt.Sprintf("Query parameter %s has the invalid value %q; allowed: %s.", pe.Name, v, pe.Allowed)}
	case errors.Is(err, batch.ErrUnsupportedInput):
		return failure{status: http.StatusUnsupportedMediaType, kind: "unsupported-media-type",
			titleZH: "请求内容类型不受支持", titleEN: "Unsupported media type",
			detailZH: "批量生成请上传 application/zip（报告 JSON 的压缩包）、multipart/form-data（多个报告文件或压缩包）或 application/x-ndjson（每行一个报告）。",
			detailEN: "Upload a batch as application/zip, multipart/form-data or application/x-ndjson."}
	case errors.Is(err, batch.ErrUnsafeZip):
		return failure{status: http.StatusBadRequest, kind: "unsafe-zip",
			titleZH: "压缩包不安全，已拒绝", titleEN: "Unsafe zip archive refused",
			detailZH: "压缩包含不安全的条目（例如 ../ 路径、绝对路径、链接或异常高的压缩比），未生成任何文件。请重新打包后上传。",
			detailEN: "The archive has unsafe entries (../ or absolute paths, links, or an extreme compression ratio); nothing was rendered."}
	case errors.Is(err, batch.ErrTooLarge), errors.Is(err, batch.ErrTooManyInputs):
		return failure{status: http.StatusRequestEntityTooLarge, kind: "body-too-large",
			titleZH: "请求内容过大", titleEN: "Request body too large",
			detailZH: "批量上传超过了服务允许的大小或报告数量上限，请分批上传。",
			detailEN: "The batch exceeds the size or report-count limit of this service; split it."}
	case errors.Is(err, errBatchBusy):
		return failure{status: http.StatusServiceUnavailable, kind: "busy", retryAfter: 30,
			titleZH: "服务繁忙", titleEN: "Service busy",
			detailZH: "已有批量生成任务在进行，请稍后重试。", detailEN: "Other batches are running; retry later."}
	case errors.Is(err, errBadForm):
		return failure{status: http.StatusBadRequest, kind: "bad-form",
			titleZH: "表单内容有误", titleEN: "Bad form",
			detailZH: "以 multipart/form-data 提交时，请把报告 JSON 放在名为 report 的部分，上年报告（可选）放在名为 previous 的部分，不要有其他部分。",
			detailEN: "A multipart/form-data request has the report JSON in part \"report\" and, optionally, last year's report in part \"previous\"; nothing else."}
	case errors.Is(err, report.ErrNoNextYear):
		return failure{status: http.StatusUnprocessableEntity, kind: "no-next-year",
			titleZH: "该模板不支持以去年报告为基础", titleEN: "The template cannot start next year's draft",
			detailZH: "报告所用的模板没有规定如何由去年的报告生成今年的草稿。",
			detailEN: "The report's template does not say how to make next year's draft from it."}
	case errors.Is(err, errUnsupportedMediaType):
		return failure{status: http.StatusUnsupportedMediaType, kind: "unsupported-media-type",
			titleZH: "请求内容类型不受支持", titleEN: "Unsupported media type",
			detailZH: "请以 Content-Type: application/json 提交报告 JSON（需要与上年报告核对时，以 multipart/form-data 提交 report 和 previous 两部分）。",
			detailEN: "Send the report JSON with Content-Type: application/json (or multipart/form-data with parts report and previous)."}
	case errors.Is(err, errBodyTooLarge), errors.Is(err, report.ErrTooLarge):
		return failure{status: http.StatusRequestEntityTooLarge, kind: "body-too-large",
			titleZH: "请求内容过大", titleEN: "Request body too large",
			detailZH: "报告 JSON 超过了服务允许的大小上限。",
			detailEN: "The report JSON exceeds the size limit of this service."}
	case errors.Is(err, report.ErrUnsupportedFormat):
		return failure{status: http.StatusBadRequest, kind: "bad-parameter",
			titleZH: "请求参数有误", titleEN: "Bad request parameter",
			detailZH: "不支持该输出格式，可选值：" + strings.ReplaceAll(report.FormatList, ", ", "、") + "。",
			detailEN: "Unsupported output format; allowed: " + report.FormatList + "."}
	case errors.Is(err, report.ErrMalformed):
		return failure{status: http.StatusBadRequest, kind: "malformed-report",
			titleZH: "报告不是有效的 JSON 对象", titleEN: "The report is not a valid JSON object",
			detailZH: "请检查 JSON 格式（括号、引号、逗号）。problems 中给出了出错位置。",
			detailEN: "Check the JSON syntax (brackets, quotes, commas); problems says where."}
	case errors.Is(err, errNotFound):
		return failure{status: http.StatusNotFound, kind: "not-found",
			titleZH: "未找到", titleEN: "Not found",
			detailZH: "没有这个模板。可用模板见 GET /api/v1/templates。",
			detailEN: "No such template; see GET /api/v1/templates."}
	case errors.Is(err, report.ErrUnknownTemplate):
		return failure{status: http.StatusUnprocessableEntity, kind: "unknown-template",
			titleZH: "报告指定的模板不存在", titleEN: "The report names an unknown template",
			detailZH: "字段 template 的取值不是已加载的模板。可用模板见 GET /api/v1/templates。",
			detailEN: "The field template names no loaded template; see GET /api/v1/templates."}
	case errors.Is(err, errUnrenderable):
		return failure{status: http.StatusUnprocessableEntity, kind: "unrenderable-report",
			titleZH: "报告缺少生成文件所需的内容，未生成文件", titleEN: "The report lacks what the document is made of; nothing was rendered",
			detailZH: "请按 problems 逐项改正后重试。这些错误（缺少的部分、类型不对的值、被拒绝的文字）使文件无法生成，allowProblems=true 也无济于事。",
			detailEN: "Fix each entry of problems and retry. These errors (missing parts, values of the wrong type, refused text) leave nothing to lay out; allowProblems=true cannot help."}
	case errors.Is(err, report.ErrInvalid):
		return failure{status: http.StatusUnprocessableEntity, kind: "invalid-report",
			titleZH: "报告有错误，未生成文件", titleEN: "The report has errors; nothing was rendered",
			detailZH: "请按 problems 逐项改正后重试；如需按原样生成（例如重现已发布的报告），请加参数 allowProblems=true。",
			detailEN: "Fix each entry of problems and retry; to render as is (e.g. to reproduce a published report), add allowProblems=true."}
	case errors.Is(err, errUnauthorized):
		return failure{status: http.StatusUnauthorized, kind: "unauthorized",
			titleZH: "未授权", titleEN: "Unauthorized",
			detailZH: "请在 Authorization 请求头中提供正确的 Bearer 令牌。",
			detailEN: "Send the right token as Authorization: Bearer <token>."}
	case errors.Is(err, errNoRoute):
		return failure{status: http.StatusNotFound, kind: "not-found",
			titleZH: "未找到", titleEN: "Not found",
			detailZH: "没有这个接口。接口说明见 GET /api/v1/openapi.json。",
			detailEN: "No such route; see GET /api/v1/openapi.json."}
	case errors.Is(err, errMethodNotAllowed):
		return failure{status: http.StatusMethodNotAllowed, kind: "method-not-allowed",
			titleZH: "请求方法不被允许", titleEN: "Method not allowed",
			detailZH: "该接口不支持此 HTTP 方法。", detailEN: "This route does not support this HTTP method."}
	case errors.Is(err, errSaturated):
		return failure{status: http.StatusServiceUnavailable, kind: "busy", retryAfter: 1,
			titleZH: "服务繁忙", titleEN: "Service busy",
			detailZH: "当前排队的生成任务已满，请稍后重试。", detailEN: "Too many renders are queued; retry shortly."}
	case errors.Is(err, errNoFonts):
		return failure{status: http.StatusServiceUnavailable, kind: "no-fonts", retryAfter: 300,
			titleZH: "暂不能生成 PDF", titleEN: "PDF output unavailable",
			detailZH: "服务器缺少生成 PDF 所需的字体，请联系管理员（scripts/setup-fonts.sh）。校验和 Word 文档不受影响。",
			detailEN: "The server lacks the fonts PDF output needs; ask the administrator (scripts/setup-fonts.sh). Validation and DOCX still work."}
	case errors.Is(err, errNotReady):
		return failure{status: http.StatusServiceUnavailable, kind: "not-ready", retryAfter: 5,
			titleZH: "服务尚未就绪", titleEN: "Service not ready",
			detailZH: "服务正在启动或停止，或模板、字体未能加载。", detailEN: "The service is starting or stopping, or its templates or fonts did not load."}
	case errors.Is(err, errClientTimeout):
		return failure{status: http.StatusRequestTimeout, kind: "request-timeout",
			titleZH: "请求上传超时", titleEN: "Request timeout",
			detailZH: "未能在时限内收到完整的请求内容（上传过慢或中断），请重新提交。",
			detailEN: "The request body did not arrive in time (too slow or stalled); send it again."}
	case errors.Is(err, errBadBody):
		return failure{status: http.StatusBadRequest, kind: "incomplete-body",
			titleZH: "请求内容不完整", titleEN: "Incomplete request body",
			detailZH: "请求内容在上传途中中断，或分块传输编码有误，请重新提交。",
			detailEN: "The request body was cut off or its chunked framing is broken; send it again."}
	case errors.Is(err, errClientGone), errors.Is(err, context.Canceled):
		// The client hung up: a client fault, and nobody reads the answer.
		return failure{status: http.StatusBadRequest, kind: "client-closed",
			titleZH: "客户端已断开", titleEN: "Client closed the request",
			detailZH: "客户端在完成前断开了连接。", detailEN: "The client closed the connection before the answer was ready."}
	case errors.Is(err, context.DeadlineExceeded):
		return failure{status: http.StatusServiceUnavailable, kind: "timeout", retryAfter: 5,
			titleZH: "生成超时", titleEN: "Render timed out",
			detailZH: "生成未能在时限内完成，请稍后重试。", detailEN: "The render did not finish in time; retry later."}
	default:
		return failure{status: http.StatusInternalServerError, kind: "internal",
			titleZH: "服务内部错误", titleEN: "Internal server error",
			detailZH: "服务处理请求时出错，已记录日志。请将响应中的 requestId 提供给管理员。",
			detailEN: "The service failed to handle the request and logged it; give the requestId to the administrator."}
	}
}

// problemDetails is an RFC 9457 problem document carrying the report
// contract's problems array (always present, possibly empty).
type problemDetails struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"requestId,omitempty"`
	Problems  []problem.Problem `json:"problems"`
}

// fail writes err as application/problem+json. The error text itself goes
// to the log (at error level for server faults), never to the client.
func (s *Server) fail(c *gin.Context, err error, problems []problem.Problem) {
	f := classify(err)
	log := requestLogger(c, s.log)
	switch {
	case f.status == http.StatusInternalServerError:
		log.Error("request failed", "status", f.status, "err", err.Error())
	case f.status >= 500: // overload, timeouts, not ready: expected under load, not faults
		log.Warn("request refused", "status", f.status, "err", err.Error())
	case f.kind == "client-closed" || f.kind == "request-timeout" || f.kind == "incomplete-body":
		// Client faults worth seeing in the log, never an operator's alarm.
		log.Info("client fault", "status", f.status, "kind", f.kind, "err", err.Error())
	default:
		log.Debug("request rejected", "status", f.status, "err", err.Error())
	}
	if f.kind == "client-closed" {
		// Nobody is listening; the status is for logs and metrics.
		c.Status(f.status)
		c.Abort()
		return
	}
	if problems == nil {
		problems = []problem.Problem{}
	}
	pd := problemDetails{
		Type:      s.cfg.ProblemTypeBase + f.kind,
		Title:     f.titleZH,
		Detail:    f.detailZH,
		Status:    f.status,
		Instance:  c.Request.URL.Path,
		RequestID: requestID(c),
		Problems:  problems,
	}
	if langOf(c) == "en" {
		pd.Title, pd.Detail = f.titleEN, f.detailEN
	}
	if f.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(f.retryAfter))
	}
	if f.status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="gongwen"`)
	}
	writeJSON(c, f.status, "application/problem+json", pd)
	c.Abort()
}

// writeJSON writes v without HTML escaping so Chinese text and "<" stay
// readable in problem messages.
func writeJSON(c *gin.Context, status int, contentType string, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		// Only our own types are marshalled here; failing is a bug.
		requestLogger(c, nil).Error("encoding response", "err", err.Error())
		status, b = http.StatusInternalServerError, []byte(`{"type":"`+defaultProblemTypeBase+`internal","title":"服务内部错误","status":500,"problems":[]}`)
		contentType = "application/problem+json"
	}
	c.Data(status, contentType+"; charset=utf-8", b)
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
