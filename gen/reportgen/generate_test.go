package reportgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGeneratedReportsSatisfyR1toR4(t *testing.T) {
	for i := range 2000 {
		raw := Generate(7, i).JSON()
		if v := violations(raw); len(v) > 0 {
			t.Fatalf("report %d breaks %v:\n%s", i, v, raw)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for i := range 50 {
		a, b := Generate(42, i).JSON(), Generate(42, i).JSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("report %d differs between two calls", i)
		}
	}
	if bytes.Equal(Generate(1, 0).JSON(), Generate(2, 0).JSON()) {
		t.Fatal("seeds 1 and 2 gave the same report 0")
	}
}

// TestGoldenSeries pins a few reports byte for byte, so a change to the
// generator that would silently change every benchmark and golden input
// elsewhere is noticed here.
func TestGoldenSeries(t *testing.T) {
	var b bytes.Buffer
	for i := range 3 {
		b.Write(Generate(20241231, i).JSON())
	}
	checkGolden(t, "series-20241231-0-2.json", b.Bytes())
}

// TestVariety checks that a modest series exercises everything the
// renderers and checks must cope with.
func TestVariety(t *testing.T) {
	seen := map[string]int{}
	years := map[float64]bool{}
	for i := range 500 {
		raw := Generate(3, i).JSON()
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		s := string(raw)
		organ := m["organ"].(string)
		years[m["year"].(float64)] = true
		mark := func(name string, ok bool) {
			if ok {
				seen[name]++
			}
		}
		mark("non-BMP organ", strings.ContainsFunc(organ, func(r rune) bool { return r > 0xFFFF }))
		mark("non-BMP prose", strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) && !strings.ContainsFunc(organ, func(r rune) bool { return r > 0xFFFF }))
		mark("ministry", strings.HasSuffix(organ, "部") || strings.HasSuffix(organ, "总局") || strings.HasSuffix(organ, "总署"))
		mark("township", strings.Contains(organ, "镇") || strings.Contains(organ, "乡") || strings.Contains(organ, "街道"))
		mark("department", strings.HasSuffix(organ, "局") && !strings.HasSuffix(organ, "总局"))
		mark("county", strings.HasSuffix(organ, "县人民政府"))
		mark("null cell", strings.Contains(s, ": null"))
		mark("slash cell", strings.Contains(s, `"/"`))
		mark("quoted amount", strings.Contains(s, `"fees": "`))
		mark("number amount", !strings.Contains(s, `"fees": "`))
		mark("no requests", m["requests"] == nil)
		mark("empty rows", strings.Contains(s, `"newlyReceived": {}`))
		mark("computed results total", m["requests"] != nil && !strings.Contains(s, `"total": {`))
		mark("omitted row total", strings.Contains(s, `"newlyReceived": {`) && !strings.Contains(s[strings.Index(s, `"newlyReceived"`):strings.Index(s, `"carriedOver"`)], `"total"`))
		mark("no reviewLitigation", m["reviewLitigation"] == nil)
		mark("run-in heading", strings.Contains(s, `"heading": "（一）`))
		mark("ASCII heading", strings.Contains(s, `"heading": "(一)`))
		mark("multi-paragraph text", strings.Contains(s, `\n`))
		mark("large figures", strings.Contains(s, `"total": 1`) && len(s) > 0 && hasLargeCount(m))
		mark("default preface", m["preface"] == nil)
		mark("title override", m["title"] != nil)
		mark("no template", m["template"] == nil)
		mark("long prose", utf8.RuneCountInString(paragraphText(m["overview"])) > 600)
		mark("short prose", utf8.RuneCountInString(paragraphText(m["overview"])) < 120)
		mark("decimal places", strings.Contains(s, `"fees": "`) && strings.Count(s[strings.Index(s, `"fees"`):], ".") > 0)
	}
	for y := 2021; y <= 2025; y++ {
		if !years[float64(y)] {
			t.Errorf("no report for year %d", y)
		}
	}
	for _, want := range []string{"non-BMP organ", "non-BMP prose", "ministry", "township", "department", "county",
		"null cell", "slash cell", "quoted amount", "number amount", "no requests", "empty rows",
		"computed results total", "omitted row total", "no reviewLitigation", "run-in heading", "ASCII heading",
		"multi-paragraph text", "large figures", "default preface", "title override", "no template",
		"long prose", "short prose", "decimal places"} {
		if seen[want] == 0 {
			t.Errorf("500 reports never show %q", want)
		}
	}
	t.Logf("variety: %v", seen)
}

func hasLargeCount(m map[string]any) bool {
	b, _ := json.Marshal(m["requests"])
	var big bool
	json.Unmarshal(b, &struct{}{})
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case float64:
			if x >= 1000 {
				big = true
			}
		}
	}
	walk(m["requests"])
	return big
}

func paragraphText(v any) string {
	var b strings.Builder
	ps, _ := v.([]any)
	for _, p := range ps {
		pm, _ := p.(map[string]any)
		h, _ := pm["heading"].(string)
		x, _ := pm["text"].(string)
		b.WriteString(h + x)
	}
	return b.String()
}

func TestBreakViolatesExactlyTheRule(t *testing.T) {
	for _, rule := range Rules {
		for i := range 200 {
			rep := Generate(11, i)
			if err := Break(rep, rule, 11, i); err != nil {
				t.Fatal(err)
			}
			v := violations(rep.JSON())
			if len(v) == 0 {
				t.Fatalf("%s: report %d still consistent", rule, i)
			}
			for _, x := range v {
				if !strings.HasPrefix(x, string(rule)+" ") {
					t.Fatalf("%s: report %d also breaks %q (all: %v)", rule, i, x, v)
				}
			}
		}
	}
	if err := Break(Generate(1, 1), "R9", 1, 1); err == nil {
		t.Fatal("unknown rule accepted")
	}
}

// TestCheckerCatchesErrors makes sure the independent checker above can
// fail: a checker that accepts everything would make the R1–R4 test pass
// for any generator.
func TestCheckerCatchesErrors(t *testing.T) {
	raw := Generate(5, 0).JSON()
	var m map[string]any
	json.Unmarshal(raw, &m)
	m["requests"] = map[string]any{"newlyReceived": map[string]any{"natural": 3, "total": 3}}
	b, _ := json.Marshal(m)
	if v := violations(b); len(v) == 0 || !strings.HasPrefix(v[0], "R1") {
		t.Fatalf("R1 not caught: %v", v)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = Generate(1, i).JSON()
	}
}
