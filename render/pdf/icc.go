package pdf

import (
	"bytes"
	_ "embed"
	"sync"
)

// srgbICC is the output intent profile of PDF/A files: sRGB IEC61966-2.1,
// ICC version 2.3, from Debian's icc-profiles-free (see sRGB.icc.LICENSE).
//
//go:embed sRGB.icc
var srgbICC []byte

var (
	srgbOnce       sync.Once
	srgbCompressed []byte
)

// srgbProfile is the profile compressed, once per process.
func srgbProfile() []byte {
	srgbOnce.Do(func() {
		var b bytes.Buffer
		deflate(&b, srgbICC)
		srgbCompressed = b.Bytes()
	})
	return srgbCompressed
}
