package fonts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// warmSet is a small stand-in for WarmupChars: the tests warm a few dozen
// glyphs, not 38,000.
const warmSet = "嘉镇人民政府2024年度政务公开工作报告，。、（）一二三四五六七八九十章节第条—…"

// warmedBook opens a fresh book (nothing converted in memory) on the
// cache directory dir.
func warmedBook(t *testing.T, dir string) *Book {
	t.Helper()
	requireFonts(t)
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.UseGlyphCache(dir)
	return b
}

// subsetsOf builds, for each role, the subset of text in the role's faces
// (as a document would, Segment then one builder) and returns their
// programs in role order.
func subsetsOf(t *testing.T, b *Book, text string, roles ...string) [][]byte {
	t.Helper()
	sb := b.NewSubsetBuilder()
	for _, role := range roles {
		spans, err := b.Segment(role, text)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range spans {
			sb.Add(s.Face, s.Text)
		}
	}
	subs, err := sb.Build()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, len(subs))
	for i, s := range subs {
		out[i] = s.TTF
	}
	return out
}

// After WarmGlyphs over a set, a document whose characters are in the set
// converts nothing (the CFF tables are not even parsed) and its fonts are
// byte for byte those of a book without any cache; a character outside the
// set is converted.
func TestWarmGlyphs(t *testing.T) {
	dir := t.TempDir()
	warm := warmedBook(t, dir)
	rep, err := warm.WarmGlyphs(warmSet, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Converted() == 0 || len(rep.Faces) == 0 {
		t.Fatalf("warm-up converted %d glyphs in %d faces", rep.Converted(), len(rep.Faces))
	}
	for _, f := range rep.Faces {
		if f.Cached != 0 || f.Converted != f.Glyphs {
			t.Errorf("%s: %+v, want every glyph converted", f.Face, f)
		}
	}
	if again, err := warm.WarmGlyphs(warmSet, 2); err != nil || again.Converted() != 0 {
		t.Errorf("second warm-up converted %d (%v), want 0", again.Converted(), err)
	}

	roles := []string{"title", "body", "heading1", "heading2", "table", "pageNumber"}
	for _, tc := range []struct {
		name, text string
		converts   bool
	}{
		{"whole set", warmSet, false},
		{"part of the set", "政务公开工作，2024年", false},
		{"one character", "嘉", false},
		{"a character outside the set", "政务公开工作，2024年鑫", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cached := warmedBook(t, dir)
			got := subsetsOf(t, cached, tc.text, roles...)
			if n := cached.GlyphsConverted(); (n > 0) != tc.converts {
				t.Errorf("converted %d glyphs, want conversions: %v", n, tc.converts)
			}
			if !tc.converts {
				for _, role := range roles {
					chain, _ := cached.Chain(role)
					if chain[0].glyphs.cff != nil {
						t.Errorf("%s: the CFF table of %s was parsed", role, chain[0])
					}
				}
			}
			want := subsetsOf(t, warmedBook(t, ""), tc.text, roles...)
			if len(got) != len(want) {
				t.Fatalf("%d subsets from the cache, %d without", len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("subset %d differs from the one built without a cache", i)
				}
			}
		})
	}
}

// One worker or several: the same glyphs, the same files.
func TestWarmGlyphsWorkersSameFiles(t *testing.T) {
	files := func(workers int) map[string][]byte {
		dir := t.TempDir()
		if _, err := warmedBook(t, dir).WarmGlyphs(warmSet, workers); err != nil {
			t.Fatal(err)
		}
		paths, _ := filepath.Glob(filepath.Join(dir, "*.glyphs"))
		out := map[string][]byte{}
		for _, p := range paths {
			out[filepath.Base(p)], _ = os.ReadFile(p)
		}
		return out
	}
	one, three := files(1), files(3)
	if len(one) == 0 || len(one) != len(three) {
		t.Fatalf("%d files with one worker, %d with three", len(one), len(three))
	}
	for name, data := range one {
		if !bytes.Equal(data, three[name]) {
			t.Errorf("%s differs between one worker and three", name)
		}
	}
}

// A damaged record costs that glyph's conversion, nothing else; a damaged
// index makes the whole file ignored. Either way the fonts are the same
// and the file is replaced by a sound one.
func TestGlyphCacheDamagedRecord(t *testing.T) {
	dir := t.TempDir()
	const text = "嘉镇人民政府"
	if _, err := warmedBook(t, dir).WarmGlyphs(text, 2); err != nil {
		t.Fatal(err)
	}
	b := warmedBook(t, "")
	chain, _ := b.Chain("body")
	body := chain[0]
	want := subsetsOf(t, b, text, "body")
	path := body.glyphCachePath(dir)
	sound, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := checkGlyphIndex(sound)
	if err != nil {
		t.Fatal(err)
	}
	if n != utf8.RuneCountInString(text)+1 { // and .notdef
		t.Fatalf("%d records, want %d", n, utf8.RuneCountInString(text)+1)
	}
	_, rec := glyphRecordAt(sound, n, n/2)
	recAt := bytes.Index(sound, rec)
	for _, tc := range []struct {
		name     string
		damage   func([]byte)
		converts int64
	}{
		{"record data", func(d []byte) { d[recAt+glyphHeader+1] ^= 0x40 }, 1},
		{"record length", func(d []byte) { d[recAt+15]++ }, 1},
		{"index offset", func(d []byte) { d[glyphFileHeader+5] ^= 1 }, int64(n)},
		{"file length", func(d []byte) { d[glyphFileHeader+glyphIndexEntry*n+3]++ }, int64(n)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := bytes.Clone(sound)
			tc.damage(data)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			b := warmedBook(t, dir)
			got := subsetsOf(t, b, text, "body")
			if !bytes.Equal(got[0], want[0]) {
				t.Error("the subset differs after damage to the cache")
			}
			if c := b.GlyphsConverted(); c != tc.converts {
				t.Errorf("converted %d glyphs, want %d", c, tc.converts)
			}
			if err := b.SaveGlyphCache(); err != nil {
				t.Fatal(err)
			}
			again, _ := os.ReadFile(path)
			if m, err := decodeGlyphs(again); err != nil || len(m) != n {
				t.Errorf("replacement: %d glyphs, %v", len(m), err)
			}
		})
	}
}

// WarmupChars holds GB 2312 whole (hanzi and symbols), ASCII and the
// punctuation official documents use, without private-use characters.
func TestWarmupChars(t *testing.T) {
	set := WarmupChars()
	for _, r := range gb2312Hanzi() {
		if !strings.ContainsRune(set, r) {
			t.Fatalf("GB 2312 hanzi %c missing", r)
		}
	}
	if n := len(gb2312Symbols()); n < 682 {
		t.Errorf("%d GB 2312 symbols, want at least the 682 of rows 1–9", n)
	}
	for _, r := range "A~ ，。、；：？！“”‘’（）《》〈〉【】〔〕—…·①⑴⒈Ⅰ㈠℃％０ｚ￥" {
		if !strings.ContainsRune(set, r) {
			t.Errorf("%c (U+%04X) missing", r, r)
		}
	}
	for _, r := range set {
		if r >= 0xE000 && r <= 0xF8FF {
			t.Errorf("private-use U+%04X in the set", r)
		}
	}
}
