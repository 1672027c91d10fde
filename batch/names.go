package batch

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes keeps a name with a collision suffix and an extension
// within the 255-byte limit of ext4, XFS and NTFS (UTF-8 Chinese is 3–4
// bytes a character).
const maxNameBytes = 200

// windowsReserved are device names Windows refuses as file names, with or
// without an extension.
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// SafeName turns text (an organ's name, from untrusted input) into one path
// element that is valid and means the same on Linux, macOS and Windows: NFC
// (macOS would otherwise store a different byte sequence), no separators,
// no characters Windows forbids, no control or invisible format characters,
// no leading or trailing dots and spaces, not a device name, at most
// maxBytes bytes cut at a character boundary. An empty result is "_".
func SafeName(text string, maxBytes int) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(text) {
		switch {
		case r == utf8.RuneError:
			r = '_'
		case unicode.IsSpace(r):
			space = true
			continue
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ". ")
	for len(s) > maxBytes {
		_, size := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-size], ". ")
	}
	if upper := strings.ToUpper(strings.SplitN(s, ".", 2)[0]); windowsReserved[upper] {
		s = "_" + s
	}
	if s == "" {
		s = "_"
	}
	return s
}

// Namer is implemented by engines that name a report's outputs (the
// template's outputDir and fileName, report.Pipeline): the elements of a
// relative path without extension; ok is false when the report lacks what
// its name is made of. Batch outputs of an engine
// without it, or of a report it cannot name, go to _/{sha256 prefix}.
type Namer interface {
	OutputPath(raw []byte) (elems []string, ok bool)
}

// safeBase makes each element of an engine's output path a safe file name
// (a "/" in the data is no separator) and joins them; "" when there is no
// usable element.
func safeBase(elems []string) string {
	var els []string
	for _, el := range elems {
		if strings.TrimSpace(el) == "" {
			continue
		}
		els = append(els, SafeName(el, maxNameBytes))
	}
	return strings.Join(els, "/")
}

// namer resolves collisions between output names in input order: the
// first report to claim a name gets it; a later one gets the name with the
// first 8 hex digits of its input SHA-256, which stays the same however
// many other reports collide, and a numeric suffix only when the very same
// content appears twice. Names are compared case-insensitively after NFC,
// as macOS and Windows file systems compare them.
type namer struct{ taken map[string]bool }

func newNamer() *namer { return &namer{taken: map[string]bool{}} }

func (n *namer) claim(base, sha string) string {
	name := base
	if n.taken[nameKey(name)] {
		name = base + "-" + sha[:min(8, len(sha))]
		for k := 2; n.taken[nameKey(name)]; k++ {
			name = fmt.Sprintf("%s-%s-%d", base, sha[:min(8, len(sha))], k)
		}
	}
	n.taken[nameKey(name)] = true
	return name
}

func nameKey(s string) string { return strings.ToLower(norm.NFC.String(s)) }
