// Package engine executes declarative document templates.
//
// A template is a folder: manifest.yaml (page, styles, lists, defaults,
// consistency rules, document body and tables), schema.json (JSON Schema
// 2020-12 of the data, every field labelled in Chinese in its description)
// and example.json. Load compiles all of it once — schema, expressions
// (github.com/expr-lang/expr) and text templates (text/template) — and the
// compiled *Template then runs per request without parsing anything:
//
//	decode (strictjson) → schema → punctuation → defaults → rules → document model
//
// Nothing here knows about a particular document: the annual report is a
// template under templates/, not Go code.
package engine
