package docx

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// InvalidCharError reports text that an XML 1.0 document cannot carry:
// bytes that are not UTF-8, C0 control characters other than tab, line feed
// and carriage return, lone surrogates, U+FFFE and U+FFFF. A DOCX holding
// such a character is a file Word refuses to open, so the backend stops
// instead of writing it or silently dropping it.
type InvalidCharError struct {
	Offset int  // byte offset in the checked string
	Rune   rune // the offending character; utf8.RuneError for a bad byte
	Byte   byte // the offending byte when Rune is utf8.RuneError
}

func (e *InvalidCharError) Error() string {
	if e.Rune == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02X at offset %d is not UTF-8", e.Byte, e.Offset)
	}
	return fmt.Sprintf("character U+%04X at offset %d cannot be stored in XML 1.0", e.Rune, e.Offset)
}

// CheckText returns an *InvalidCharError for the first character of s that
// XML 1.0 cannot carry, nil otherwise. Characters outside the BMP (𥔲) are
// fine. The validator can call it to reject such text before rendering.
func CheckText(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return &InvalidCharError{Offset: i, Rune: rune(c)}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return &InvalidCharError{Offset: i, Rune: utf8.RuneError, Byte: c}
		}
		// DecodeRuneInString already rejects surrogates; what remains
		// outside the XML Char production is U+FFFE and U+FFFF.
		if r == 0xFFFE || r == 0xFFFF {
			return &InvalidCharError{Offset: i, Rune: r}
		}
		i += size
	}
	return nil
}

// writeEscaped writes s as XML character data or attribute value and
// checks it on the way (one pass over the text, not two). It escapes '>' as
// well as '<' and '&' so that "]]>" never appears, and both quote kinds so
// the same function serves attributes. Carriage returns, tabs and line
// feeds become character references: a parser would otherwise normalise
// them to a line feed or a space. On an *InvalidCharError the buffer holds
// a partial write; callers abandon the whole document then.
func writeEscaped(b *bytes.Buffer, s string) error {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				return &InvalidCharError{Offset: i, Rune: r, Byte: c}
			}
			i += size
			continue
		}
		var esc string
		switch c {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#xD;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		default:
			if c < 0x20 {
				return &InvalidCharError{Offset: i, Rune: rune(c)}
			}
			i++
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		i++
		last = i
	}
	b.WriteString(s[last:])
	return nil
}

// needsPreserve reports whether a w:t needs xml:space="preserve": Word
// strips leading and trailing white space otherwise.
func needsPreserve(s string) bool {
	if s == "" {
		return false
	}
	return isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// eastAsianAmbiguous reports whether s holds characters Word classifies by
// the w:hint attribute: curly quotes, the em dash, the ellipsis, the middle
// dot. Without w:hint="eastAsia" Word sets them in the Latin face (narrow
// quotes, a short dash) although Chinese text means the full-width forms.
func eastAsianAmbiguous(s string) bool {
	for i := 0; i < len(s); i++ {
		// Every character concerned is encoded in UTF-8 starting with
		// 0xC2 (U+00B7) or 0xE2 (U+2000–U+2FFF); scan bytes, not runes.
		switch s[i] {
		case 0xC2:
			if i+1 < len(s) && s[i+1] == 0xB7 {
				return true
			}
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 {
				switch s[i+2] {
				case 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6, 0xA2: // — ‘ ’ “ ” … •
					return true
				}
			}
		}
	}
	return false
}
