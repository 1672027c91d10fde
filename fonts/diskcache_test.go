package fonts

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A subset built from glyphs read back from the cache directory is the
// same font as one converted from the CFF outlines; a damaged file is
// ignored and replaced.
func TestGlyphCacheSameSubsets(t *testing.T) {
	requireFonts(t)
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := "嘉镇人民政府2024年度政务公开工作报告，。"
	build := func() (*Book, []byte) {
		b, err := Open(cfg) // a fresh book: no glyph converted in memory yet
		if err != nil {
			t.Fatal(err)
		}
		b.UseGlyphCache(dir)
		chain, err := b.Chain("body")
		if err != nil {
			t.Fatal(err)
		}
		if !chain[0].IsCFF() {
			t.Skipf("%s is not a CFF face", chain[0])
		}
		sb := b.NewSubsetBuilder()
		sb.Add(chain[0], text)
		subs, err := sb.Build()
		if err != nil {
			t.Fatal(err)
		}
		if err := b.SaveGlyphCache(); err != nil {
			t.Fatal(err)
		}
		return b, subs[0].TTF
	}
	_, converted := build()
	files, _ := filepath.Glob(filepath.Join(dir, "*.glyphs"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	b, cached := build()
	if !bytes.Equal(converted, cached) {
		t.Fatal("the subset from cached glyphs differs")
	}
	chain, _ := b.Chain("body")
	if chain[0].glyphs.cff != nil {
		t.Error("the CFF table was parsed although every glyph was cached")
	}
	for _, damage := range []func([]byte) []byte{
		func(d []byte) []byte { d[len(d)/2] ^= 1; return d }, // flipped bit
		func(d []byte) []byte { return d[:len(d)-7] },        // torn write
		func(d []byte) []byte { return nil },                 // empty
	} {
		data, _ := os.ReadFile(files[0])
		if err := os.WriteFile(files[0], damage(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, again := build(); !bytes.Equal(converted, again) {
			t.Fatal("the subset differs after damage to the cache")
		}
		if data, _ := os.ReadFile(files[0]); len(data) == 0 {
			t.Error("the damaged file was not replaced")
		} else if _, err := decodeGlyphs(data); err != nil {
			t.Errorf("replacement unreadable: %v", err)
		}
	}
}

// syntheticGlyphFile is a cache file the size of a warmed face's: 7,600
// glyphs of 300 bytes (FandolFang's average is ~530, Noto's ~230).
func syntheticGlyphFile() []byte {
	m := map[uint16]*glyphRecord{}
	for i := range 7600 {
		data := make([]byte, 300)
		for j := range data {
			data[j] = byte(i + j)
		}
		m[uint16(3*i)] = &glyphRecord{data: data, xMax: 900, yMax: 800, points: 40, contours: 3}
	}
	return encodeGlyphs(m, nil, 0)
}

// What opening a face's cache file costs (its index checked) against
// decoding it whole, as version 3 did at the face's first subset; and one
// glyph's lookup and decoding, paid per glyph a document uses.
func BenchmarkGlyphCacheFile(b *testing.B) {
	data := syntheticGlyphFile()
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			if _, err := checkGlyphIndex(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-all", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := decodeGlyphs(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-glyph", func(b *testing.B) {
		n, _ := checkGlyphIndex(data)
		i := 0
		for b.Loop() {
			i = (i + 7) % 7600
			rec := findGlyphRecord(data, n, uint16(3*i))
			if _, err := decodeGlyphRecord(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Pruning removes the files of other versions and old temporary files,
// and keeps this version's, damaged or not, and anything else.
func TestPruneGlyphCache(t *testing.T) {
	dir := t.TempDir()
	current := encodeGlyphs(map[uint16]*glyphRecord{1: {data: []byte{1, 2}}}, nil, 0)
	older := append([]byte("gwglyph\x03"), make([]byte, 40)...)
	files := map[string][]byte{
		"a.glyphs":    current,
		"b.glyphs":    older,
		"c.glyphs":    current[:len(current)-3], // torn: replaced at the next save, not pruned
		"d.glyphs":    []byte("not ours"),
		"notes.txt":   older,
		".tmp-1":      older,
		".tmp-recent": older,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, ".tmp-1"), old, old); err != nil {
		t.Fatal(err)
	}
	n, size, err := PruneGlyphCache(dir)
	if err != nil || n != 2 || size != int64(2*len(older)) {
		t.Errorf("pruned %d files, %d bytes, %v; want 2, %d", n, size, err, 2*len(older))
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := err != nil; gone != (name == "b.glyphs" || name == ".tmp-1") {
			t.Errorf("%s: removed %v", name, gone)
		}
	}
	if n, _, err := PruneGlyphCache(filepath.Join(dir, "absent")); n != 0 || err != nil {
		t.Errorf("absent directory: %d, %v", n, err)
	}
}
