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
// A valid report passes the schema by a walk of the compiled schema
// (schemafast.go, a sixth of the validator's time, no allocation); a
// report it cannot vouch for — a problem, or a keyword or number it does
// not handle — goes to the validator, so every schema problem is the
// validator's, located and worded as before. Each run reuses one
// expression machine for all its expressions.
//
// Nothing here knows about a particular document: the annual report is a
// template under templates/, not Go code.
package engine
