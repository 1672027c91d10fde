package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits bound what Decode accepts.
type Limits struct {
	MaxDepth int // nesting of objects and arrays; the report contract needs 6
}

// DefaultLimits suit report documents.
var DefaultLimits = Limits{MaxDepth: 32}

// Error is a refusal with the place it happened.
type Error struct {
	Path string // JSON Pointer of the offending value ("" for the whole input)
	Kind Kind
	// Detail is safe to show to a client: it never contains more than a few
	// characters of the input.
	Detail string
	Offset int64 // byte offset in the input, when known
}

// Kind classifies refusals so that callers can word messages.
type Kind int

const (
	KindSyntax       Kind = iota + 1 // not JSON
	KindNotObject                    // JSON, but the top level is not an object
	KindDuplicateKey                 // a key appears twice in one object
	KindTooDeep                      // nesting beyond Limits.MaxDepth
	KindBadText                      // invalid UTF-8, lone surrogate or U+FFFD
	KindControlChar                  // a control character other than tab or newline
	KindTrailingData                 // more data after the top-level value
	KindNumberRange                  // a number no report can hold (1e1000000); the value is dropped
)

// MaxNumberMagnitude bounds numbers: a literal whose value is 10^21 or more,
// or nonzero below 10^-21, or longer than MaxNumberLength characters, is
// refused and decoded as null. No count or amount comes near, and exact
// arithmetic on 1e1000000 (big.Rat, as JSON Schema validation does) takes
// seconds and prints a million digits.
const (
	MaxNumberMagnitude = 21
	MaxNumberLength    = 40
)

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("json: %s", e.Detail)
	}
	return fmt.Sprintf("json: at %s: %s", e.Path, e.Detail)
}

// MaxFindings bounds how many refusals of text and keys one Decode reports.
const MaxFindings = 100

// Decode parses data into map[string]any / []any / string / json.Number /
// bool / nil values. The top level must be an object.
//
// Refusals that leave the structure intact (control characters, undecodable
// text, duplicate keys) are returned as findings alongside the data, so the
// caller can report them together with every other problem; the value is
// kept as decoded (for a duplicate key, the first). The error is for input
// that cannot be read as a report at all: not JSON, not an object, too deep.
func Decode(data []byte, lim Limits) (map[string]any, []*Error, error) {
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultLimits.MaxDepth
	}
	// Windows Notepad starts UTF-8 files with a byte order mark; it carries
	// no content, and refusing it would turn away every such file.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if obj, ok := decodeClean(data, lim.MaxDepth); ok {
		return obj, nil, nil
	}
	return decodeTokens(data, lim)
}

// decodeTokens is Decode token by token with encoding/json, for input the
// fast path gave up on: it finds and words every refusal.
func decodeTokens(data []byte, lim Limits) (map[string]any, []*Error, error) {
	d := &decoder{dec: json.NewDecoder(bytes.NewReader(data)), raw: data, lim: lim}
	d.dec.UseNumber()
	tok, err := d.token()
	if err != nil {
		return nil, nil, err
	}
	if tok != json.Delim('{') {
		return nil, nil, &Error{Kind: KindNotObject, Detail: "top level is not an object"}
	}
	obj, err := d.object(nil, 1)
	if err != nil {
		return nil, nil, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, nil, &Error{Kind: KindTrailingData, Detail: "unexpected data after the report object", Offset: d.dec.InputOffset()}
	}
	return obj, d.findings, nil
}

type decoder struct {
	dec      *json.Decoder
	raw      []byte
	lim      Limits
	findings []*Error
}

func (d *decoder) find(e *Error) {
	if len(d.findings) < MaxFindings {
		d.findings = append(d.findings, e)
	}
}

func (d *decoder) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{Kind: KindSyntax, Detail: se.Error(), Offset: se.Offset}
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &Error{Kind: KindSyntax, Detail: "unexpected end of input", Offset: int64(len(d.raw))}
		}
		return nil, &Error{Kind: KindSyntax, Detail: err.Error(), Offset: d.dec.InputOffset()}
	}
	return tok, nil
}

func (d *decoder) object(path []string, depth int) (map[string]any, error) {
	obj := make(map[string]any)
	for d.dec.More() {
		tok, err := d.token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		keyPath := append(path[:len(path):len(path)], key)
		if err := checkText(key, d.lastStringRaw()); err != nil {
			err.Path = Pointer(keyPath)
			d.find(err)
		}
		_, dup := obj[key]
		if dup {
			d.find(&Error{Path: Pointer(keyPath), Kind: KindDuplicateKey, Detail: fmt.Sprintf("duplicate key %q", clipKey(key)), Offset: d.dec.InputOffset()})
		}
		v, err := d.value(keyPath, depth)
		if err != nil {
			return nil, err
		}
		if !dup {
			obj[key] = v
		}
	}
	if _, err := d.token(); err != nil { // '}'
		return nil, err
	}
	return obj, nil
}

func (d *decoder) array(path []string, depth int) ([]any, error) {
	arr := []any{}
	for i := 0; d.dec.More(); i++ {
		v, err := d.value(append(path[:len(path):len(path)], strconv.Itoa(i)), depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	if _, err := d.token(); err != nil { // ']'
		return nil, err
	}
	return arr, nil
}

func (d *decoder) value(path []string, depth int) (any, error) {
	tok, err := d.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth+1 > d.lim.MaxDepth {
			return nil, &Error{Path: Pointer(path), Kind: KindTooDeep, Detail: fmt.Sprintf("nesting deeper than %d levels", d.lim.MaxDepth), Offset: d.dec.InputOffset()}
		}
		if t == '{' {
			return d.object(path, depth+1)
		}
		return d.array(path, depth+1)
	case string:
		if err := checkText(t, d.lastStringRaw()); err != nil {
			err.Path = Pointer(path)
			d.find(err)
		}
		return t, nil
	case json.Number:
		if !numberInRange(string(t)) {
			lit := string(t)
			if len(lit) > 24 {
				lit = lit[:24] + "…"
			}
			d.find(&Error{Path: Pointer(path), Kind: KindNumberRange, Detail: "number out of range: " + lit, Offset: d.dec.InputOffset()})
			return nil, nil
		}
		return t, nil
	default:
		return t, nil
	}
}

// numberInRange tells, from the literal alone (no arithmetic on its value),
// whether a JSON number is within MaxNumberMagnitude and MaxNumberLength.
func numberInRange(lit string) bool {
	if len(lit) > MaxNumberLength {
		return false
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(lit), "e")
	e := 0
	if hasExp {
		n, err := strconv.Atoi(exp)
		if err != nil || n > 1000 || n < -1000 {
			return false
		}
		e = n
	}
	mant = strings.TrimLeft(mant, "-")
	intPart, frac, _ := strings.Cut(mant, ".")
	// The decimal exponent of the leading nonzero digit.
	var magnitude int
	if trimmed := strings.TrimLeft(intPart, "0"); trimmed != "" {
		magnitude = len(trimmed) - 1 + e
	} else {
		lead := strings.IndexFunc(frac, func(r rune) bool { return r != '0' })
		if lead < 0 {
			return true // zero, however written
		}
		magnitude = -(lead + 1) + e
	}
	return magnitude < MaxNumberMagnitude && magnitude > -MaxNumberMagnitude
}

// lastStringRaw returns the raw bytes of the string token just read, so that
// a U+FFFD in the decoded value can be told apart from one that was
// written literally (which we still refuse: it marks text already lost).
func (d *decoder) lastStringRaw() []byte {
	end := int(d.dec.InputOffset())
	if end > len(d.raw) {
		end = len(d.raw)
	}
	start := end - 1
	for start > 0 {
		start--
		if d.raw[start] == '"' && !escaped(d.raw, start) {
			break
		}
	}
	return d.raw[start:end]
}

func clipKey(k string) string {
	if len(k) > 40 {
		return k[:40] + "…"
	}
	return k
}

func escaped(b []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// checkText refuses text that cannot have been meant: encoding/json has
// already replaced invalid UTF-8 and lone surrogates with U+FFFD, so any
// U+FFFD means a character was lost on the way in.
func checkText(s string, raw []byte) *Error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			detail := "text contains an undecodable character (invalid UTF-8 or an unpaired surrogate), shown as U+FFFD"
			if bytes.Contains(raw, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)) {
				detail = "text contains U+FFFD, the replacement character: the original character was lost before this file was written"
			}
			return &Error{Kind: KindBadText, Detail: detail + fmt.Sprintf(" (character %d)", utf8.RuneCountInString(s[:i])+1)}
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return &Error{Kind: KindControlChar, Detail: fmt.Sprintf("control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1)}
		case r == 0xfffe || r == 0xffff:
			return &Error{Kind: KindBadText, Detail: fmt.Sprintf("noncharacter U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1)}
		}
	}
	return nil
}

// Pointer builds an RFC 6901 JSON Pointer from reference tokens.
func Pointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		if strings.ContainsAny(t, "~/") {
			t = escapeToken.Replace(t)
		}
		b.WriteString(t)
	}
	return b.String()
}

// SplitPointer parses an RFC 6901 JSON Pointer into reference tokens.
func SplitPointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("json pointer %q does not start with /", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		if strings.IndexByte(s, '~') >= 0 {
			parts[i] = unescapeToken.Replace(s)
		}
	}
	return parts, nil
}

var (
	escapeToken   = strings.NewReplacer("~", "~0", "/", "~1")
	unescapeToken = strings.NewReplacer("~1", "/", "~0", "~")
)
