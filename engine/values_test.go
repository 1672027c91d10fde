package engine

import (
	"encoding/json"
	"testing"
)

func TestCanonicalInteger(t *testing.T) {
	for lit, want := range map[string]string{
		"0": "0", "7": "7", "-12": "-12", "1000000": "1000000",
		"-0": "0", "-0.0": "0", "100.0": "100", "1e2": "100", "01": "1", "1.5": "1.5", "-": "-", "": "",
	} {
		if got := canonicalInteger(json.Number(lit)); got != json.Number(want) {
			t.Errorf("canonicalInteger(%q) = %v, want %q", lit, got, want)
		}
	}
}
