package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/fonts"
	"gongwen/internal/testkit"
)

// `gongwen fonts warm` fills the glyph cache so that rendering a
// template's example converts nothing: the cache files are not rewritten.
// One CFF face for every role keeps it to ~7,600 conversions (about a
// second); the fallbacks are TrueType, which is never converted.
func TestFontsWarm(t *testing.T) {
	prev, err := fonts.Default()
	if err != nil || prev.Lookup("Noto Serif CJK SC Regular") == nil || prev.Lookup("LXGW WenKai Regular") == nil {
		testkit.Missing(t, "fonts Noto Serif CJK SC Regular and LXGW WenKai (scripts/setup-fonts.sh)")
	}
	t.Cleanup(func() { fonts.SetDefault(prev) }) // --font-config replaces the process default
	dir := t.TempDir()
	cfg := filepath.Join(dir, "fonts.json")
	roles := `["Noto Serif CJK SC Regular"]`
	var b strings.Builder
	b.WriteString(`{"roles": {`)
	for i, role := range fonts.Roles {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + role + `": ` + roles)
	}
	b.WriteString(`}, "fallback": ["LXGW WenKai Regular", "BabelStone Han"]}`)
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, "glyphs")

	t.Setenv(fonts.EnvGlyphCache, "off")
	if code, _, errs := runCLI("fonts", "warm", "--font-config", cfg); code != 2 || !strings.Contains(errs, fonts.EnvGlyphCache) {
		t.Errorf("warm with the cache off: exit %d, %s", code, errs)
	}

	t.Setenv(fonts.EnvGlyphCache, cache)
	stale := filepath.Join(cache, "0123.glyphs") // a file of an older version
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, append([]byte("gwglyph\x01"), make([]byte, 20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("fonts", "warm", "--font-config", cfg)
	if code != 0 || !strings.Contains(out, "Noto Serif CJK SC Regular") {
		t.Fatalf("fonts warm: exit %d\n%s%s", code, out, errs)
	}
	t.Log(out)
	if _, err := os.Stat(stale); err == nil || !strings.Contains(out, "删除其他版本的缓存文件 1 个") {
		t.Errorf("the older version's file was not removed:\n%s", out)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "*.glyphs"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want Noto Serif CJK SC Regular's", files)
	}
	warmed, _ := os.ReadFile(files[0])
	st, _ := os.Stat(files[0])

	pdf := filepath.Join(dir, "example.pdf")
	if code, _, errs := runCLI("render", example, "-o", pdf, "--font-config", cfg); code != 0 {
		t.Fatalf("render: exit %d: %s", code, errs)
	}
	after, _ := os.ReadFile(files[0])
	st2, _ := os.Stat(files[0])
	if !bytes.Equal(warmed, after) || !st.ModTime().Equal(st2.ModTime()) {
		t.Error("rendering the example after fonts warm converted glyphs (the cache file was rewritten)")
	}

	code, out, _ = runCLI("fonts", "warm", "--font-config", cfg)
	if code != 0 || !strings.Contains(out, "新转换 0，") {
		t.Errorf("second fonts warm: exit %d, want nothing converted\n%s", code, out)
	}
}
