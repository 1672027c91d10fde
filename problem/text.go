package problem

import "unicode/utf8"

// Pick returns a message in the requested language: English for "en",
// Chinese (the form's own words) otherwise.
func Pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// Clip shortens input echoed in a message to max characters: a message
// must never carry a megabyte of what the client sent.
func Clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
