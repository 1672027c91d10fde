package fonts

import "sync"

// glyphCache holds a face's glyphs converted for subset fonts.
type glyphCache struct {
	mu sync.Mutex
}
