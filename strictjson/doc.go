// Package strictjson decodes untrusted JSON into plain Go values while
// refusing what would otherwise be lost or misread silently: invalid UTF-8
// and lone surrogates (encoding/json turns both into U+FFFD), duplicate
// object keys (the last one would win), control characters, absurd nesting
// and trailing data. Every refusal names the JSON Pointer of the value.
//
// Numbers are kept as json.Number so that amounts such as 4166.241619 are
// printed exactly as written.
package strictjson
