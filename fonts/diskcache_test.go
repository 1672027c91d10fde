package fonts

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
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
