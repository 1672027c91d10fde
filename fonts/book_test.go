package fonts

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongwen/internal/testkit"
)

// requireFonts returns the default book, skipping when the fonts installed by
// scripts/setup-fonts.sh are absent (failing instead under
// GONGWEN_REQUIRE_TOOLS=1, as CI sets).
func requireFonts(t testing.TB) *Book {
	t.Helper()
	b, err := testBook()
	if err == nil {
		for _, name := range []string{"Noto Serif CJK SC", "FandolFang"} {
			if b.Lookup(name) == nil {
				err = errors.New(name + " is not installed")
			}
		}
	}
	if err != nil {
		testkit.Missing(t, "fonts (run scripts/setup-fonts.sh): %v", err)
	}
	return b
}

var testBookCache struct {
	b   *Book
	err error
}

func testBook() (*Book, error) {
	if testBookCache.b == nil && testBookCache.err == nil {
		cfg, err := LoadConfig("")
		if err != nil {
			return nil, err
		}
		testBookCache.b, testBookCache.err = Open(cfg)
	}
	return testBookCache.b, testBookCache.err
}

func TestLookupCollectionFaces(t *testing.T) {
	b := requireFonts(t)
	tests := []struct {
		name      string
		wantFile  string
		wantIndex int
		wantStyle string
	}{
		// Noto CJK collections hold JP, KR, SC, TC, HK faces; SC is index 2.
		{"Noto Serif CJK SC", "NotoSerifCJK-Regular.ttc", 2, "Regular"},
		{"noto serif cjk sc", "NotoSerifCJK-Regular.ttc", 2, "Regular"},
		{"Noto Serif CJK JP", "NotoSerifCJK-Regular.ttc", 0, "Regular"},
		{"Noto Serif CJK TC", "NotoSerifCJK-Regular.ttc", 3, "Regular"},
		{"Noto Serif CJK SC Bold", "NotoSerifCJK-Bold.ttc", 2, "Bold"},
		{"NotoSerifCJKsc-Bold", "NotoSerifCJK-Bold.ttc", 2, "Bold"}, // PostScript name
		{"Noto Sans CJK SC", "NotoSansCJK-Regular.ttc", 2, "Regular"},
		{"FandolFang", "FandolFang-Regular.otf", 0, "Regular"},
		{"FandolSong Bold", "FandolSong-Bold.otf", 0, "Bold"},
		{"FandolSong", "FandolSong-Regular.otf", 0, "Regular"}, // bare family picks the regular face
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := b.Lookup(tt.name)
			if f == nil {
				t.Fatalf("Lookup(%q) = nil", tt.name)
			}
			if !strings.HasSuffix(f.File(), "/"+tt.wantFile) || f.Index() != tt.wantIndex || f.Style() != tt.wantStyle {
				t.Errorf("Lookup(%q) = %s#%d %q, want %s#%d %q", tt.name, f.File(), f.Index(), f.Style(), tt.wantFile, tt.wantIndex, tt.wantStyle)
			}
		})
	}
	if f := b.Lookup("No Such Font 不存在"); f != nil {
		t.Errorf("Lookup of an absent font = %v", f)
	}
}

func TestChineseNameRecords(t *testing.T) {
	b := requireFonts(t)
	if b.Lookup("LXGW WenKai") == nil {
		t.Skip("LXGW WenKai not installed")
	}
	zh, en := b.Lookup("霞鹜文楷"), b.Lookup("LXGW WenKai")
	if zh == nil || zh != en {
		t.Fatalf("Lookup(霞鹜文楷) = %v, want the LXGW WenKai face %v", zh, en)
	}
	if zh.FamilyZh() != "霞鹜文楷" {
		t.Errorf("FamilyZh = %q", zh.FamilyZh())
	}
}

func TestFaceCoverageAndMetrics(t *testing.T) {
	b := requireFonts(t)
	fang := b.Lookup("FandolFang")
	noto := b.Lookup("Noto Serif CJK SC")
	tests := []struct {
		face *Face
		r    rune
		want bool
	}{
		{fang, '嘉', true},
		{fang, 'A', true},
		{fang, '7', true},
		{fang, '，', true},
		{fang, '啰', false}, // not in GB 2312
		{fang, '瞭', false},
		{fang, 0x25532, false},
		{noto, 0x25532, true}, // 𥔲, outside the BMP
		{noto, '啰', true},
		{noto, '瞭', true},
		{noto, 0x10FFFF, false},
		{noto, -1, false},
	}
	for _, tt := range tests {
		if got := tt.face.HasRune(tt.r); got != tt.want {
			t.Errorf("%s.HasRune(%U) = %v, want %v", tt.face.FullName(), tt.r, got, tt.want)
		}
		if adv := tt.face.Advance(tt.r); (adv > 0) != tt.want {
			t.Errorf("%s.Advance(%U) = %d", tt.face.FullName(), tt.r, adv)
		}
	}
	if got := noto.Advance('中'); got != 1000 {
		t.Errorf("Noto Advance(中) = %d, want 1000 (full em)", got)
	}
	if got := noto.UnitsPerEm(); got != 1000 {
		t.Errorf("Noto UnitsPerEm = %d", got)
	}
	for _, name := range []string{"FandolSong", "FandolFang", "Noto Serif CJK SC"} {
		a, d := b.Lookup(name).Metrics()
		if a <= 0 || d >= 0 {
			t.Errorf("%s Metrics = %d, %d; want ascent > 0, descent < 0", name, a, d)
		}
	}
}

func TestSegmentFallbackOrder(t *testing.T) {
	b := requireFonts(t)
	spans, err := b.Segment(RoleBody, "𥔲嘉镇啰 ABC 123，瞭")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range spans {
		got = append(got, s.Face.Family()+":"+s.Text)
	}
	want := []string{
		"Noto Serif CJK SC:𥔲", // FandolFang lacks it; Noto Serif is the first fallback
		"FandolFang:嘉镇",
		"Noto Serif CJK SC:啰",
		"FandolFang: ABC 123，",
		"Noto Serif CJK SC:瞭",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Segment =\n %q\nwant\n %q", got, want)
	}
}

func TestSegmentCustomChain(t *testing.T) {
	requireFonts(t)
	cfg := Config{
		Roles:    map[string][]string{"x": {"Absent Font", "DejaVu Sans", "Noto Sans CJK SC"}},
		Official: map[string]string{"x": "Absent Font"},
	}
	b, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if b.Lookup("DejaVu Sans") == nil {
		t.Skip("DejaVu Sans not installed")
	}
	chain, err := b.Chain("x")
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 2 || chain[0].Family() != "DejaVu Sans" || chain[1].Family() != "Noto Sans CJK SC" {
		t.Fatalf("Chain = %v", chain)
	}
	spans, err := b.Segment("x", "Año 2024年")
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 || spans[0].Text != "Año 2024" || spans[1].Text != "年" {
		t.Errorf("Segment = %+v", spans)
	}
	if _, err := b.Chain("nope"); !errors.Is(err, ErrUnknownRole) {
		t.Errorf("Chain(nope) error = %v, want ErrUnknownRole", err)
	}
	if b.OfficialName("x") != "Absent Font" {
		t.Errorf("OfficialName = %q", b.OfficialName("x"))
	}
}

func TestMissingGlyphError(t *testing.T) {
	b := requireFonts(t)
	// U+10FFFD is a private-use character no configured font has.
	text := "正文\U0010FFFD字\U0010FFFD"
	_, err := b.Segment(RoleBody, text)
	var mg *MissingGlyphError
	if !errors.As(err, &mg) {
		t.Fatalf("Segment error = %v, want *MissingGlyphError", err)
	}
	if len(mg.Runes) != 1 || mg.Runes[0] != 0x10FFFD || mg.Role != RoleBody {
		t.Errorf("MissingGlyphError = %+v", mg)
	}
	if msg := err.Error(); !strings.Contains(msg, "U+10FFFD") || !strings.Contains(msg, "没有任何已配置的字体包含") {
		t.Errorf("message %q does not name the code point", msg)
	}
	if got := b.Missing(RoleBody, text); len(got) != 1 || got[0] != 0x10FFFD {
		t.Errorf("Missing = %U", got)
	}
	if got := b.Missing(RoleBody, "𥔲嘉镇啰瞭"); len(got) != 0 {
		t.Errorf("Missing(covered text) = %U", got)
	}
	msg := (&MissingGlyphError{Runes: []rune{'𠀀'}}).Error()
	if msg != "字符“𠀀”（U+20000）没有任何已配置的字体包含" {
		t.Errorf("message = %q", msg)
	}
}

func TestConfigOverride(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/fonts.json"
	if err := os.WriteFile(path, []byte(`{"dirs":["/opt/fonts"],"roles":{"body":["仿宋_GB2312","My Fang"]},"official":{"body":"仿宋"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvConfig, path)
	t.Setenv(EnvDirs, "/a:/b")
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Dirs, ","); got != "/a,/b,/opt/fonts" {
		t.Errorf("Dirs = %s", got)
	}
	if got := strings.Join(cfg.Roles[RoleBody], ","); got != "仿宋_GB2312,My Fang" {
		t.Errorf("body = %s", got)
	}
	if cfg.Official[RoleBody] != "仿宋" || cfg.Official[RoleTitle] != "方正小标宋简体" {
		t.Errorf("Official = %v", cfg.Official)
	}
	if len(cfg.Roles[RoleTitle]) == 0 {
		t.Error("roles absent from the override file must keep their defaults")
	}
	for name, content := range map[string]string{
		"absent.json": "",
		"typo.json":   `{"role":{"body":["仿宋"]}}`,
		"empty.json":  `{"roles":{"body":[]}}`,
		"blank.json":  `{"roles":{"body":["", "FandolFang"]}}`,
		"broken.json": `{"roles":`,
	} {
		p := dir + "/" + name
		if content != "" {
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Setenv(EnvConfig, p)
		if _, err := DefaultConfig(); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestEmbeddedConfigHasEveryRole(t *testing.T) {
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range Roles {
		if len(cfg.Roles[role]) == 0 || cfg.Official[role] == "" {
			t.Errorf("role %s: families %v, official %q", role, cfg.Roles[role], cfg.Official[role])
		}
		if cfg.Roles[role][0] != cfg.Official[role] {
			t.Errorf("role %s: the official face %q must come first, not %q", role, cfg.Official[role], cfg.Roles[role][0])
		}
	}
}

// TestDefaultBookStartup logs what a process pays at start: opening the
// default book (name tables only) and warming every role (cmaps, metrics).
// Run it alone in a fresh process to see the figure: go test -run Startup -v
func TestDefaultBookStartup(t *testing.T) {
	requireFonts(t)
	t0 := time.Now()
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Since(t0)
	if err := b.Warm(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Default(): %v for %d faces; Warm(): %v more", opened, len(b.Faces()), time.Since(t0)-opened)
	if again, _ := Default(); again != b {
		t.Error("Default() built a second book")
	}
}

// TestTitlePrefersNotoSerifBlack: without 方正小标宋, the title role takes
// Noto Serif CJK SC Black (Source Han Serif Heavy, fonts-noto-cjk-extra,
// which scripts/setup-fonts.sh installs): its heavy strokes are much closer
// to 小标宋 than the Bold weight.
func TestTitlePrefersNotoSerifBlack(t *testing.T) {
	b := requireFonts(t)
	if b.Lookup(b.OfficialName("title")) != nil {
		t.Skip("the official title face is installed")
	}
	black := b.Lookup("Noto Serif CJK SC Black")
	if black == nil {
		testkit.Missing(t, "Noto Serif CJK SC Black (apt-get install fonts-noto-cjk-extra; scripts/setup-fonts.sh)")
	}
	chain, err := b.Chain("title")
	if err != nil {
		t.Fatal(err)
	}
	if chain[0] != black {
		t.Errorf("title role uses %v, want %v", chain[0], black)
	}
	if black.Weight() < 800 {
		t.Errorf("%v has weight %d, want a Black (≥ 800)", black, black.Weight())
	}
}

// Indexing and loading decode only the name ids they read (faceNameIDs,
// and the notices subsets keep); for every installed face the result must
// be what decoding the whole name table gives, so an id that setNames or
// the notices start reading cannot be missed.
func TestNamesFromTheirIDsOnly(t *testing.T) {
	b := requireFonts(t)
	for _, f := range b.Faces() {
		r, err := f.file.open()
		if err != nil {
			t.Fatal(err)
		}
		tab, err := readTable(r, f.dir, "name")
		if err != nil {
			t.Fatal(err)
		}
		var all Face
		all.setNames(parseNames(tab))
		if all.family != f.family || all.familyZh != f.familyZh || all.style != f.style || all.fullName != f.fullName ||
			all.psName != f.psName || !slices.Equal(all.keys, f.keys) || !maps.Equal(all.exact, f.exact) {
			t.Errorf("%s: names from ids %v differ from the whole table's: %q %q %q %q %q %q, whole %q %q %q %q %q %q", f.file.path, faceNameIDs,
				f.family, f.familyZh, f.style, f.fullName, f.psName, f.keys, all.family, all.familyZh, all.style, all.fullName, all.psName, all.keys)
		}
		if err := f.load(); err != nil {
			continue // unreadable faces are Chain's business
		}
		for _, rec := range parseNames(tab) {
			if rec.id == 0 || rec.id == 14 { // the notices subsets keep
				if f.m.notices[rec.id] == "" {
					t.Errorf("%s: name id %d present but no notice kept", f.file.path, rec.id)
				}
			}
		}
	}
}

// A chain reads its first face at once and the others when a character
// needs them; its faces are those an eager reading of every candidate
// would keep (readable, licence allowing embedding), in the same order.
func TestChainReadsFallbacksOnDemand(t *testing.T) {
	requireFonts(t)
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer lazy.Close()
	eager, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer eager.Close()
	chain, err := lazy.Chain("body")
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) < 2 || chain[0].m == nil {
		t.Fatalf("body chain of %d faces, first read: %v", len(chain), chain[0].m != nil)
	}
	for _, f := range chain[1:] {
		if f.m != nil {
			t.Errorf("%s read before any character needed it", f)
		}
	}
	// A character the first face lacks reads the faces after it, in
	// order, until one has it.
	var r rune
	var want *Face
	for _, f := range eager.chains["body"] {
		if f.load() != nil || !f.Embeddable() {
			continue
		}
		if r == 0 {
			for c := rune(0x3400); c < 0x2FFFF && r == 0; c++ {
				if !f.HasRune(c) && !isPrivateUse(c) {
					r = c
				}
			}
			continue
		}
		if f.HasRune(r) && want == nil {
			want = f
		}
	}
	t.Logf("U+%04X is not in %s; expected from %v", r, chain[0], want)
	spans, err := lazy.Segment("body", string(r))
	if want == nil {
		if err == nil {
			t.Errorf("U+%04X: no face has it, Segment gave %v", r, spans)
		}
	} else if err != nil || len(spans) != 1 || spans[0].Face.FullName() != want.FullName() {
		t.Errorf("U+%04X: spans %v, %v; want %s", r, spans, err, want)
	}
	for _, role := range slices.Sorted(maps.Keys(cfg.Roles)) {
		got, err := lazy.Chain(role)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, f := range eager.chains[role] {
			if f.load() == nil && f.Embeddable() {
				keep = append(keep, f.PostScriptName())
			}
		}
		var names []string
		for _, f := range got {
			names = append(names, f.PostScriptName())
		}
		if !slices.Equal(names, keep) {
			t.Errorf("%s: chain %v, every candidate read %v", role, names, keep)
		}
	}
	if err := lazy.WarmFirst(); err != nil {
		t.Error(err)
	}
}

// A font file reached by several paths (two directories linking to it, a
// link beside it) is indexed once.
func TestFileIndexedOnceWhateverItsPaths(t *testing.T) {
	b := requireFonts(t)
	real := b.Lookup("FandolFang").File()
	dir := t.TempDir()
	for _, p := range []string{"a/FandolFang.otf", "b/same.otf", "a/again.otf"} {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, p); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	one, err := Open(Config{Dirs: []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}, NoSystemDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	if n := len(one.Faces()); n != 1 {
		t.Errorf("%d faces from three links to one single-face file, want 1", n)
	}
}
