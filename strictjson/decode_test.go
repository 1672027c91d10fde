package strictjson

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		fatal    Kind // 0: decodes
		findKind Kind // 0: no finding
		path     string
	}{
		{"object", `{"a":[1,{"b":"𥔲"}]}`, 0, 0, ""},
		{"amount kept as written", `{"a":4166.241619}`, 0, 0, ""},
		{"syntax", `{"a":}`, KindSyntax, 0, ""},
		{"eof", `{"a":[`, KindSyntax, 0, ""},
		{"not object", `"x"`, KindNotObject, 0, ""},
		{"trailing", `{} {}`, KindTrailingData, 0, ""},
		{"too deep", `{"a":` + strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40) + `}`, KindTooDeep, 0, ""},
		{"duplicate", `{"a":1,"b":{"c":1,"c":2}}`, 0, KindDuplicateKey, "/b/c"},
		{"nul", `{"a":["x\u0000"]}`, 0, KindControlChar, "/a/0"},
		{"escape", `{"a":"\u001b[31m"}`, 0, KindControlChar, "/a"},
		{"lone surrogate", `{"a":"\ud800"}`, 0, KindBadText, "/a"},
		{"invalid utf8", "{\"a\":\"\xff\"}", 0, KindBadText, "/a"},
		{"literal replacement char", `{"a":"�"}`, 0, KindBadText, "/a"},
		{"bad key", `{"k\u0001":1}`, 0, KindControlChar, "/k\u0001"},
		{"key with slash", `{"a/b":{"~":"\u0002"}}`, 0, KindControlChar, "/a~1b/~0"},
		{"UTF-8 byte order mark", "\uFEFF{\"a\":1}", 0, 0, ""},
		{"U+FEFF inside a string is left to the engine", "{\"a\":\"\uFEFF\"}", 0, 0, ""},
		{"newline and tab allowed", `{"a":"x\ny\tz\r\n"}`, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, finds, err := Decode([]byte(tt.in), DefaultLimits)
			if tt.fatal != 0 {
				e, ok := err.(*Error)
				if !ok || e.Kind != tt.fatal {
					t.Fatalf("err = %v, want kind %d", err, tt.fatal)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if v == nil {
				t.Fatal("nil value")
			}
			if tt.findKind == 0 {
				if len(finds) != 0 {
					t.Fatalf("findings %v", finds[0])
				}
				return
			}
			if len(finds) != 1 || finds[0].Kind != tt.findKind || finds[0].Path != tt.path {
				t.Fatalf("findings = %+v, want kind %d at %q", finds, tt.findKind, tt.path)
			}
		})
	}
	v, _, _ := Decode([]byte(`{"a":4166.241619}`), DefaultLimits)
	if v["a"] != json.Number("4166.241619") {
		t.Errorf("amount = %#v", v["a"])
	}
}

func TestPointerRoundTrip(t *testing.T) {
	toks := []string{"a/b", "~x", "", "0"}
	p := Pointer(toks)
	if p != "/a~1b/~0x//0" {
		t.Fatalf("Pointer = %q", p)
	}
	back, err := SplitPointer(p)
	if err != nil || strings.Join(back, "|") != strings.Join(toks, "|") {
		t.Fatalf("SplitPointer = %q, %v", back, err)
	}
	doc := map[string]any{}
	if !SetMissing(doc, "/x/y", 1) || SetMissing(doc, "/x/y", 2) {
		t.Fatal("SetMissing must set once and never overwrite")
	}
	if v, ok := Get(doc, "/x/y"); !ok || v != 1 {
		t.Fatalf("Get = %v %v", v, ok)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"𥔲"}]}`, `{"a":"\ud800"}`, `{"a":1,"a":2}`, `[`, `{"a":"\u0000"}`,
		`{"a":"x\"y\\z\/\n\t\r\u4e2d\ud855\udd32","b":[true,false,null,-0,0.5e-3,1E+2,[],{}],"":{"c":""}}`,
		`{"a":"\ud855x"}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a":"\b"}`, "{\"a\":\"\x7f\"}", `{"a":[1,]}`, `{"a":1,}`, `{} `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v, finds, err := Decode(in, DefaultLimits)
		// The fast path answers only for clean input, and as the token
		// decoder does.
		if fast, ok := decodeClean(bytes.TrimPrefix(in, []byte("\uFEFF")), DefaultLimits.MaxDepth); ok {
			slow, sfinds, serr := decodeTokens(bytes.TrimPrefix(in, []byte("\uFEFF")), DefaultLimits)
			if serr != nil || len(sfinds) > 0 || !reflect.DeepEqual(fast, slow) {
				t.Fatalf("fast path: %#v\ntoken decoder: %#v, %v, %v", fast, slow, sfinds, serr)
			}
		}
		if err != nil {
			if v != nil {
				t.Fatal("value with fatal error")
			}
			return
		}
		if !json.Valid(in) {
			t.Fatalf("accepted invalid JSON %q", in)
		}
		if len(finds) == 0 {
			// Everything accepted cleanly is text we can carry faithfully.
			var check func(any)
			check = func(x any) {
				switch y := x.(type) {
				case string:
					if !utf8.ValidString(y) || strings.ContainsRune(y, utf8.RuneError) {
						t.Fatalf("accepted lossy text %q", y)
					}
				case map[string]any:
					for k, e := range y {
						check(k)
						check(e)
					}
				case []any:
					for _, e := range y {
						check(e)
					}
				}
			}
			check(v)
		}
	})
}

func TestNumberRange(t *testing.T) {
	for lit, ok := range map[string]bool{
		"0": true, "-0": true, "0.0": true, "0e999": true, "100.0": true, "1e2": true, "999999999999": true,
		"4166.241619": true, "1e20": true, "99999999999999999999": true, "0.000001": true, "1e-20": true,
		"1e21": false, "1e1000000": false, "-1e1000000": false, "1e-1000000": false, "1E+400": false,
		"100000000000000000000000": false, "1e-21": false, "0.0000000000000000000001": false,
		"1" + strings.Repeat("0", 45) + "e-40": false, // short in value, long in writing
	} {
		if got := numberInRange(lit); got != ok {
			t.Errorf("%s: in range %v, want %v", lit, got, ok)
		}
	}
	data, findings, err := Decode([]byte(`{"a": 1e1000000, "b": [2, -1e999]}`), DefaultLimits)
	if err != nil || len(findings) != 2 || data["a"] != nil || findings[0].Kind != KindNumberRange || findings[0].Path != "/a" || findings[1].Path != "/b/1" {
		t.Fatalf("data %v, findings %v, err %v", data, findings, err)
	}
}

// The fast path and the token decoder make the same values of the
// templates' examples.
func TestCleanInputDecodesAsTokens(t *testing.T) {
	files, _ := filepath.Glob("../templates/*/*/example*.json")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast, ok := decodeClean(raw, DefaultLimits.MaxDepth)
		if !ok {
			t.Errorf("%s: the fast path gave up on a clean example", f)
			continue
		}
		slow, finds, err := decodeTokens(raw, DefaultLimits)
		if err != nil || len(finds) > 0 || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: fast path and token decoder differ (%v, %v)", f, finds, err)
		}
	}
}

// BenchmarkDecode reads the annual report's example: the fast path that
// every clean report takes, and the token decoder that reads the rest.
func BenchmarkDecode(b *testing.B) {
	raw, err := os.ReadFile("../templates/gov-info-disclosure-annual/2021/example.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("clean", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeClean(raw, DefaultLimits.MaxDepth); !ok {
				b.Fatal("gave up")
			}
		}
	})
	b.Run("tokens", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := decodeTokens(raw, DefaultLimits); err != nil {
				b.Fatal(err)
			}
		}
	})
}
