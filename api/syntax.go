package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"gongwen/problem"
)

// syntaxProblem explains why raw is not a JSON object, with the line and
// column a clerk can find in an editor. It only describes the client's own
// input, so it is safe to return.
func syntaxProblem(raw []byte, lang string) problem.Problem {
	p := problem.Problem{Severity: problem.Error, Rule: "json", Path: ""}
	zh, en := "报告必须是一个 JSON 对象（以 { 开头、以 } 结尾）。", "The report must be a JSON object ({ … })."
	var v any
	err := json.Unmarshal(raw, &v)
	var syn *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		zh, en = "请求体为空：没有收到报告 JSON。", "The request body is empty: no report JSON was sent."
	case errors.As(err, &syn):
		line, col := lineColumn(raw, syn.Offset)
		zh = fmt.Sprintf("JSON 格式错误：第 %d 行第 %d 列附近（%s）。", line, col, syn.Error())
		en = fmt.Sprintf("JSON syntax error near line %d, column %d (%s).", line, col, syn.Error())
	}
	p.Message = zh
	if lang == "en" {
		p.Message = en
	}
	return p
}

// lineColumn converts a byte offset to a 1-based line and a column counted
// in characters, as editors show them.
func lineColumn(raw []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(raw)))
	before := raw[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, len(bytes.Runes(before))
}
