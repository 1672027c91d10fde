package problem

import "strings"

// Langs names the accepted values of a language option, for help texts and
// error messages.
const Langs = "zh, en (or a BCP 47 tag such as zh-CN, en-US)"

// ParseLang reads a message-language option the one way every entry point
// (command line, HTTP query, Accept-Language) accepts it: "zh" or "en" or a
// BCP 47 tag whose primary language is one of them, in any letter case. It
// returns "zh" or "en".
func ParseLang(s string) (string, bool) {
	primary, _, _ := strings.Cut(strings.TrimSpace(s), "-")
	primary, _, _ = strings.Cut(primary, "_") // zh_CN, as POSIX locales write it
	switch strings.ToLower(primary) {
	case "zh":
		return "zh", true
	case "en":
		return "en", true
	}
	return "", false
}
