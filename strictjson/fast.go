package strictjson

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeClean is Decode's fast path: a hand-written parser for input with
// nothing to refuse — well-formed, an object at the top, within the depth
// limit, no duplicate key, no text or number Decode would report. It
// returns the same values the token decoder makes of such input (a
// json.Number holds the literal as written), in a fraction of its time and
// allocations. At the first thing it does not expect it gives up (ok
// false) and the token decoder reads the input again from the start, so
// every refusal, with its place and wording, still comes from one decoder.
func decodeClean(data []byte, maxDepth int) (obj map[string]any, ok bool) {
	p := cleanParser{b: data, maxDepth: maxDepth}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, false
	}
	p.i++
	if obj, ok = p.object(1); !ok {
		return nil, false
	}
	p.space()
	return obj, p.i == len(p.b)
}

type cleanParser struct {
	b        []byte
	i        int
	maxDepth int
}

func (p *cleanParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// object reads the members after '{' and the closing '}'.
func (p *cleanParser) object(depth int) (map[string]any, bool) {
	obj := make(map[string]any)
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return obj, true
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, false
		}
		key, ok := p.text()
		if !ok {
			return nil, false
		}
		if _, dup := obj[key]; dup {
			return nil, false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		obj[key] = v
		p.space()
		if p.i >= len(p.b) {
			return nil, false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return obj, true
		default:
			return nil, false
		}
	}
}

// array reads the elements after '[' and the closing ']'.
func (p *cleanParser) array(depth int) ([]any, bool) {
	arr := []any{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return arr, true
	}
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return arr, true
		default:
			return nil, false
		}
	}
}

// value reads one value inside a container at depth.
func (p *cleanParser) value(depth int) (any, bool) {
	p.space()
	if p.i >= len(p.b) {
		return nil, false
	}
	switch c := p.b[p.i]; c {
	case '{', '[':
		if depth+1 > p.maxDepth {
			return nil, false
		}
		p.i++
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case '"':
		return p.text()
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	}
	return p.number()
}

func (p *cleanParser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// number reads a number of JSON's grammar that numberInRange accepts.
func (p *cleanParser) number() (any, bool) {
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return nil, false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return nil, false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return nil, false
		}
	}
	lit := string(p.b[start:p.i])
	if !numberInRange(lit) {
		return nil, false
	}
	return json.Number(lit), true
}

func (p *cleanParser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// text reads a string from its opening quote; text checkText would refuse
// (a control character, U+FFFD, a noncharacter, invalid UTF-8 or a lone
// surrogate, which decode to U+FFFD) is left to the token decoder.
func (p *cleanParser) text() (string, bool) {
	p.i++ // '"'
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := string(p.b[start:p.i])
			p.i++
			return s, checkText(s, nil) == nil
		}
		if c == '\\' {
			return p.escapedText(start)
		}
		if c < 0x20 {
			return "", false
		}
		p.i++
	}
	return "", false
}

// escapedText continues text at its first backslash.
func (p *cleanParser) escapedText(start int) (string, bool) {
	buf := append(make([]byte, 0, p.i-start+16), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			s := string(buf)
			return s, checkText(s, nil) == nil
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			return "", false
		}
		esc := p.b[p.i+1]
		p.i += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'n':
			buf = append(buf, '\n')
		case 't':
			buf = append(buf, '\t')
		case 'r':
			buf = append(buf, '\r')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if p.i+1 >= len(p.b) || p.b[p.i] != '\\' || p.b[p.i+1] != 'u' {
					return "", false // a lone surrogate
				}
				p.i += 2
				r2, ok := p.hex4()
				if !ok {
					return "", false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return "", false
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", false // \b, \f (control characters) or not an escape
		}
	}
	return "", false
}

func (p *cleanParser) hex4() (rune, bool) {
	if len(p.b)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}
