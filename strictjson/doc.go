// Package strictjson decodes untrusted JSON into plain Go values while
// refusing what would otherwise be lost or misread silently: invalid UTF-8
// and lone surrogates (encoding/json turns both into U+FFFD), duplicate
// object keys (the last one would win), control characters, absurd nesting
// and trailing data. Every refusal names the JSON Pointer of the value.
//
// Numbers are kept as json.Number so that amounts such as 4166.241619 are
// printed exactly as written.
//
// Clean input — nearly every report — is read by a small hand-written
// parser (fast.go) at about seven times the speed of encoding/json's
// tokens and a sixth of their allocations; at the first thing it would
// refuse or does not expect it gives up, and the token decoder reads the
// input from the start and words the refusal. FuzzDecode holds the two to
// the same values.
package strictjson
