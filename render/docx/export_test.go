package docx

import "testing"

// Helpers for the external tests (package docx_test), which cannot import
// the unexported ones: they import the report pipeline, and the pipeline
// imports this package.

// NormalizedXML is the golden-file projection of one XML part.
func NormalizedXML(data []byte) ([]byte, error) {
	n, err := parseXML(data)
	if err != nil {
		return nil, err
	}
	return n.indented(), nil
}

// Unzip returns a rendered package's parts by name.
func Unzip(t testing.TB, data []byte) map[string][]byte {
	parts, _ := unzipParts(t, data)
	return parts
}
