package fonts

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// subsetCache keeps the subsets of recent documents. A clerk renders the
// same report several times (preview, PDF, after each fix), and every
// annual report sets its fixed table labels in the same table faces, so a
// subset is often exactly one built before. A Subset is immutable once
// built, and is a function of its face, characters and name, so sharing it
// cannot change any output.
type subsetCache struct {
	mu    sync.Mutex
	m     map[string]*Subset
	bytes int
}

// maxSubsetCacheBytes bounds the bytes held; past it the cache starts
// over (simpler than LRU, and a full cache is only a few hundred reports'
// worth of fonts).
const maxSubsetCacheBytes = 32 << 20

// sortedRunes is a face's characters in ascending order.
func sortedRunes(set map[rune]struct{}) []rune {
	rs := make([]rune, 0, len(set))
	for r := range set {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

// subsetKey names a subset of f for rs (sortedRunes) in the cache.
func subsetKey(f *Face, rs []rune, name string) string {
	var b strings.Builder
	b.Grow(len(name) + 24 + 4*len(rs))
	b.WriteString(f.file.path)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(f.index))
	b.WriteByte(0)
	b.WriteString(name)
	b.WriteByte(0)
	for _, r := range rs {
		b.WriteRune(r)
	}
	return b.String()
}

func (c *subsetCache) get(key string) *Subset {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

func (c *subsetCache) put(key string, s *Subset) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A subset holds its program and, once a writer asked, the program
	// compressed (Packed, about three quarters of it): both are counted.
	size := len(s.TTF) * 7 / 4
	if c.m == nil || c.bytes+size > maxSubsetCacheBytes {
		c.m, c.bytes = map[string]*Subset{}, 0
	}
	if _, ok := c.m[key]; !ok {
		c.m[key] = s
		c.bytes += size
	}
}

func (c *subsetCache) clear() {
	c.mu.Lock()
	c.m, c.bytes = nil, 0
	c.mu.Unlock()
}
