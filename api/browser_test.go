package api

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"os/exec"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gongwen/internal/testkit"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/report"
)

// The browser tests drive the clerk's page in headless Chromium against
// the real engine, as a clerk would: find inputs by their accessible name,
// type, read the messages beside the cells, press keys, download files.
// Screenshots go to $GONGWEN_SCREENSHOT_DIR (default: the test's temp dir;
// the README's are made with GONGWEN_SCREENSHOT_DIR=docs/screenshots).

// tab is one browser tab on the page under test.
type tab struct {
	t     *testing.T
	ctx   context.Context
	url   string
	shots string
}

// chromium finds Debian's chromium; a missing browser is a skip on a bare
// machine and a failure in CI (GONGWEN_REQUIRE_TOOLS=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testkit.Missing(t, "chromium not installed (scripts/setup.sh test)")
	return ""
}

// openPage starts a browser of the given window size on a fresh profile
// and opens the page of a server running the real engine.
func openPage(t *testing.T, width, height int) *tab {
	t.Helper()
	exe := chromium(t)
	p := realEngine(t)
	ts := newTestServer(t, New(p, Config{Logger: discardLogger()}))
	shots := os.Getenv("GONGWEN_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	root, cancelRoot := chromedp.NewContext(alloc)
	// The first Run starts the browser and must not carry a timeout.
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(root, 150*time.Second)
	t.Cleanup(func() { cancel(); cancelRoot(); cancelAlloc() })
	b := &tab{t: t, ctx: ctx, url: ts.URL, shots: shots}
	b.must("open page", chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)), chromedp.Navigate(ts.URL+"/")))
	b.poll("page ready", `document.body.dataset.ready === "true"`)
	return b
}

func (b *tab) must(what string, err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.must(what, chromedp.Do(b.ctx, actions...))
}

// pollWithin waits until expr is true, failing after d.
func (b *tab) pollWithin(what, expr string, d time.Duration) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		b.t.Fatalf("%s: not within %v (%s): %v", what, d, expr, err)
	}
}

func (b *tab) poll(what, expr string) { b.t.Helper(); b.pollWithin(what, expr, 30*time.Second) }

// eval evaluates expr (awaiting a promise) into a value of type T.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	b.must("evaluate "+expr, err)
	return v
}

func (b *tab) str(expr string) string { b.t.Helper(); return eval[string](b, expr) }

func js(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }

// idle waits for the check the last action started.
func (b *tab) idle() {
	b.t.Helper()
	b.poll("check finished", `!gongwen.state.checkPending && document.body.dataset.checked === String(gongwen.state.seq) && !document.querySelector("#status.busy")`)
}

// shoot saves the viewport as a PNG at 70 % (the README's screenshots,
// kept small).
func (b *tab) shoot(name string) {
	b.t.Helper()
	w, h := eval[float64](b, `innerWidth`), eval[float64](b, `innerHeight`)
	r, err := chromedp.Call(b.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng,
		Clip: &page.Viewport{Width: w, Height: h, Scale: 0.7}})
	b.must("screenshot", err)
	img := r.Data
	path := filepath.Join(b.shots, name)
	b.must("writing screenshot", os.WriteFile(path, img, 0o644))
	b.t.Logf("screenshot: %s (%d KB)", path, len(img)/1024)
}

// byName is the CSS selector of the input with this accessible name.
func byName(name string) string { return `input[aria-label="` + name + `"]` }

// typeInto replaces the value of the input named name as a clerk would:
// focus, select all, type.
func (b *tab) typeInto(name, text string) { b.t.Helper(); b.typeAt(byName(name), text) }

// typeAt is typeInto for the input a CSS selector finds.
func (b *tab) typeAt(sel, text string) {
	b.t.Helper()
	b.focus(sel)
	b.run("type into "+sel, js(`document.activeElement.select()`), chromedp.KeyEvent(kb.Delete), chromedp.KeyEvent(text))
}

// focus moves the focus to the element a CSS selector finds (by script:
// chromedp's node ids go stale when the form is rebuilt).
func (b *tab) focus(sel string) {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	if !eval[bool](b, `(() => { const e = document.querySelector(`+string(q)+`); if (!e) return false; e.focus(); return document.activeElement === e; })()`) {
		b.t.Fatalf("cannot focus %s", sel)
	}
}

// axe runs axe-core (npm, installed by scripts/setup.sh test outside the
// repository) on the page and fails on serious or critical violations.
func (b *tab) axe(when string) {
	b.t.Helper()
	dir := os.Getenv("GONGWEN_AXE_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			testkit.Missing(b.t, "axe-core: no cache directory: %v", err)
		}
		dir = filepath.Join(cache, "gongwen", "axe")
	}
	src, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testkit.Missing(b.t, "axe-core in %s (scripts/setup.sh test): %v", dir, err)
		return
	}
	// Injected through the DevTools protocol: the page's own CSP allows
	// only its own scripts, and the page must not need changing for a test.
	if !eval[bool](b, `typeof axe === "object"`) {
		eval[bool](b, string(src)+"\n;true")
	}
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	}
	violations := eval[[]violation](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`)
	bad := 0
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			b.t.Logf("axe (%s): %s %s: %s (%d)", when, v.Impact, v.ID, v.Help, len(v.Nodes))
			continue
		}
		bad++
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		b.t.Errorf("axe (%s): %s %s: %s\n  %s", when, v.Impact, v.ID, v.Help, strings.Join(where, "\n  "))
	}
	b.t.Logf("axe (%s): %d violations, %d serious or critical", when, len(violations), bad)
}

// loadExample starts the report from the template's example.
func (b *tab) loadExample() {
	b.t.Helper()
	b.run("load example", chromedp.Click(chromedp.CSS("#load-example")))
	b.poll("example loaded", `Object.keys(gongwen.state.data).length > 3`)
	b.idle()
}

const disclosedNatural = "表三 （一）予以公开 自然人"

// TestBrowserEditor: type a wrong count into a cell found by its
// accessible name, see the message beside it within a second, fix it, see
// it cleared, render and download; axe finds no serious problem either
// way; a reload offers the draft back.
func TestBrowserEditor(t *testing.T) {
	b := openPage(t, 1440, 1000)
	p := realEngine(t)
	b.axe("empty form")
	b.loadExample()
	if s := b.str(`document.getElementById("status").textContent`); !strings.Contains(s, "检查通过") {
		t.Errorf("status after the example: %q", s)
	}
	orig := b.str(`document.querySelector('` + byName(disclosedNatural) + `').value`)
	if orig == "" {
		t.Fatalf("the example's %s is empty", disclosedNatural)
	}
	var wrong int
	fmt.Sscan(orig, &wrong)
	wrong += 7

	// A wrong count: the sums of 表三 no longer add up (R1/R2).
	// The issue asks for the message within one second of typing. CI runs
	// other packages' LibreOffice and Chromium on the same two cores, which
	// can stall one attempt, so the bound holds for the best of three: a
	// page that is slow every time still fails.
	cell := `document.querySelector('` + byName(disclosedNatural) + `')`
	invalid := cell + `.getAttribute("aria-invalid") === "true"`
	cleared := cell + `.getAttribute("aria-invalid") === null && !document.querySelector("#form .msg.error")`
	var best time.Duration
	for attempt := 1; ; attempt++ {
		b.typeInto(disclosedNatural, fmt.Sprint(wrong))
		start := time.Now()
		b.pollWithin("aria-invalid on the typed cell", invalid, 15*time.Second)
		if took := time.Since(start); best == 0 || took < best {
			best = took
		}
		if best <= time.Second || attempt == 3 {
			break
		}
		b.typeInto(disclosedNatural, orig)
		b.pollWithin("mark cleared before the next attempt", cleared, 15*time.Second)
	}
	t.Logf("message shown %v after typing", best.Round(time.Millisecond))
	if best > time.Second {
		t.Errorf("the message took %v to appear (best of 3); the issue asks for at most 1 s", best.Round(time.Millisecond))
	}
	msg := b.str(`(() => { const c = ` + cell + `;
		const ids = (c.getAttribute("aria-describedby") || "").split(" ").filter(id => id.startsWith("msg-"));
		return ids.map(id => document.getElementById(id).textContent).join("\n"); })()`)
	if !strings.Contains(msg, "（七）总计") || !strings.Contains(msg, "自然人") {
		t.Errorf("the cell's message is not R1/R2 for 自然人: %q", msg)
	}
	// Beside the cell: in the row under the cell's own row, visible.
	beside := eval[bool](b, `(() => { const c = `+cell+`; const id = c.getAttribute("aria-describedby").split(" ")[0];
		const m = document.getElementById(id); const row = c.closest("tr").nextElementSibling;
		return row.classList.contains("msg-row") && row.contains(m) && m.offsetHeight > 0; })()`)
	if !beside {
		t.Error("the message is not in the row under the cell")
	}
	for _, bad := range []string{"/requests", "allowProblems", "JSON Pointer", "total/natural"} {
		if page := b.str(`document.getElementById("side").textContent + document.getElementById("form").textContent`); strings.Contains(page, bad) {
			t.Errorf("the page speaks API language to the clerk: %q", bad)
		}
	}
	if !eval[bool](b, `document.getElementById("render-pdf").disabled`) {
		t.Error("生成 PDF is enabled with errors")
	}
	b.axe("with problems")
	b.shoot("browser-errors-1440.png")

	// Fixed: the mark and the message go. Typing into one input within a
	// second is one undo step (app.js beforeChange): the fix waits that
	// second out, so that it is a step of its own for the undo below — on
	// a fast quiet machine the checks above take less than a second.
	time.Sleep(1100 * time.Millisecond)
	b.typeInto(disclosedNatural, orig)
	// The one second is for the message to appear; clearing is
	// given more so that a loaded CI machine does not fail the test.
	b.pollWithin("mark cleared", cleared, 5*time.Second)
	b.idle()
	if eval[bool](b, `document.getElementById("render-pdf").disabled`) {
		t.Error("生成 PDF is disabled without errors")
	}
	b.axe("without problems")

	// The PDF shown in the page is what the engine makes of the example.
	b.run("render", chromedp.Click(chromedp.CSS("#render-pdf")))
	b.poll("pdf ready", `document.body.dataset.pdf === "ready"`)
	b64 := b.str(`gongwen.lastPDF.blob.arrayBuffer().then(b => {
		let s = ""; const u = new Uint8Array(b);
		for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
		return btoa(s);
	})`)
	got, err := base64.StdEncoding.DecodeString(b64)
	b.must("decode PDF", err)
	// The page sends the report as it holds it (re-serialised), and the
	// PDF records a hash of what it was made from: render the same bytes.
	sent := b.str(`JSON.stringify(gongwen.state.data)`)
	want, _, err := p.Render(context.Background(), []byte(sent), report.PDF, report.DefaultOptions())
	b.must("direct render", err)
	if !bytes.Equal(got, want) {
		t.Errorf("the page's PDF (%d bytes) differs from a direct render (%d bytes)", len(got), len(want))
	}
	checkPDF(t, got)
	b.run("back to the form", chromedp.Click(chromedp.CSS("#tab-form")))

	// 下载 PDF and 保存 JSON download under the report's own name.
	downloads := t.TempDir()
	_, err = chromedp.CallBrowser(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
	b.must("allow downloads", err)
	b.run("download pdf", chromedp.Click(chromedp.CSS("#download-pdf")))
	waitFile(t, filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.pdf"), []byte("%PDF-"))
	b.run("download docx", chromedp.Click(chromedp.CSS("#download-docx")))
	embeddedDOCX := waitFile(t, filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.docx"), []byte("PK\x03\x04"))
	// 不嵌入 (docxFonts=named): the same document without font parts.
	docxPath := filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.docx")
	b.must("remove the first DOCX", os.Remove(docxPath))
	b.run("docx fonts named", chromedp.SetValue(chromedp.CSS("#docx-fonts"), "named"))
	b.run("download docx named", chromedp.Click(chromedp.CSS("#download-docx")))
	namedDOCX := waitFile(t, docxPath, []byte("PK\x03\x04"))
	if zr, err := zip.NewReader(bytes.NewReader(namedDOCX), int64(len(namedDOCX))); err != nil {
		t.Errorf("the page's DOCX with named fonts: %v", err)
	} else {
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "word/fonts/") {
				t.Errorf("不嵌入 downloaded a DOCX embedding %s (%d bytes; embedded %d)", f.Name, len(namedDOCX), len(embeddedDOCX))
			}
		}
	}
	b.run("download ofd", chromedp.Click(chromedp.CSS("#download-ofd")))
	ofdFile := waitFile(t, filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.ofd"), []byte("PK\x03\x04"))
	if _, err := ofdcheck.Check(ofdFile); err != nil {
		t.Errorf("the page's OFD: %v", err)
	}
	b.run("save json", chromedp.Click(chromedp.CSS("#save-json")))
	saved := waitFile(t, filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.json"), []byte("{"))
	var m map[string]any
	if err := json.Unmarshal(saved, &m); err != nil || m["organ"] != "𥔲嘉镇人民政府" {
		t.Errorf("saved JSON: %v %.80s", err, saved)
	}

	// Undo brings back the wrong count; redo the fix.
	b.run("undo", chromedp.Click(chromedp.CSS("#undo")))
	b.pollWithin("undone", cell+`.value === "`+fmt.Sprint(wrong)+`"`, 10*time.Second)
	b.run("redo", chromedp.Click(chromedp.CSS("#redo")))
	b.pollWithin("redone", cell+`.value === "`+orig+`"`, 10*time.Second)

	// An edit, a reload: the draft is offered back and restored.
	b.typeAt(`input[data-path="/organ"]`, "某某县人民政府办公室")
	b.typeInto(disclosedNatural, "12345")
	b.idle()
	b.run("reload", chromedp.Reload())
	b.poll("page ready again", `document.body.dataset.ready === "true"`)
	b.poll("draft offered", `!document.getElementById("draft-banner").hidden`)
	b.run("restore", chromedp.Click(chromedp.CSS("#restore-draft")))
	b.poll("draft restored", cell+`.value === "12345" && document.querySelector('input[data-path="/organ"]').value === "某某县人民政府办公室"`)
	b.idle()

	// Loading the example over unsaved work asks first; cancel keeps it.
	b.run("load example over the draft", chromedp.Click(chromedp.CSS("#load-example")))
	b.poll("asked", `document.getElementById("confirm").open`)
	b.run("cancel", chromedp.Click(chromedp.CSS(`#confirm button[value="cancel"]`)))
	b.poll("kept", `!document.getElementById("confirm").open && `+cell+`.value === "12345"`)
}

func waitFile(t *testing.T, path string, prefix []byte) []byte {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && bytes.HasPrefix(b, prefix) {
			return b
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(filepath.Dir(path))
			t.Fatalf("no %s downloaded; the folder has %v", filepath.Base(path), entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserLastYear: "以去年报告为基础" makes this year's draft from last
// year's report (year + 1, counts empty, 上年结转 = last year's 结转下年度),
// and this year's figures are then checked against last year's.
func TestBrowserLastYear(t *testing.T) {
	b := openPage(t, 1440, 1000)
	p := realEngine(t)
	last := mutate(t, realExample(t, p), func(m map[string]any) {
		cf := m["requests"].(map[string]any)["carriedForward"].(map[string]any)
		cf["natural"], cf["commercial"], cf["total"] = 4, 1, 5
	})
	file := filepath.Join(t.TempDir(), "2024.json")
	b.must("write last year", os.WriteFile(file, last, 0o644))
	b.run("start from last year", chromedp.SetUploadFiles(chromedp.CSS("#last-year-file"), []string{file}))
	b.poll("draft made", `gongwen.state.data.year === 2025`)
	b.idle()
	carried := "表三 二、上年结转政府信息公开申请数量 "
	for name, want := range map[string]string{carried + "自然人": "4", carried + "法人或其他组织 商业企业": "1",
		carried + "法人或其他组织 科研机构": "0", disclosedNatural: "", "报告年度": "2025", "报告机关": "𥔲嘉镇人民政府"} {
		sel := byName(name)
		if name == "报告年度" || name == "报告机关" {
			sel = `input[data-path="/` + map[string]string{"报告年度": "year", "报告机关": "organ"}[name] + `"]`
		}
		if got := b.str(`document.querySelector('` + sel + `').value`); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := b.str(`document.querySelector('` + byName(carried+"总计") + `').placeholder`); got != "5" {
		t.Errorf("the computed 上年结转 总计 shows %q, want 5", got)
	}
	if prose := b.str(`document.querySelector('textarea[data-path="/overview/0/text"]').value`); prose == "" {
		t.Error("last year's prose was not kept")
	}
	if s := b.str(`document.getElementById("previous-name").textContent`); s != "2024.json" {
		t.Errorf("previous report shown as %q", s)
	}
	// A 上年结转 that differs from last year's is a warning beside the cell.
	b.typeInto(carried+"自然人", "6")
	b.pollWithin("cross-year warning", `document.querySelector('`+byName(carried+"自然人")+`').classList.contains("has-warning")`, 5*time.Second)
	if list := b.str(`document.getElementById("problems").textContent`); !strings.Contains(list, "上年报告") {
		t.Errorf("no cross-year warning in the list: %s", list)
	}
}

// TestBrowserKeyboard walks every count cell of every table with Tab in
// reading order (as the form description lists them), then checks Enter
// and the arrow keys.
func TestBrowserKeyboard(t *testing.T) {
	b := openPage(t, 1024, 800)
	p := realEngine(t)
	for _, ti := range p.Templates() {
		if ti.Form == nil {
			continue
		}
		var want []string
		for _, blk := range ti.Form.Blocks {
			if blk.Table == nil {
				continue
			}
			for _, row := range blk.Table.Rows {
				for _, c := range row {
					if c.Path != "" {
						want = append(want, c.Name)
					}
				}
			}
		}
		if len(want) == 0 {
			continue
		}
		t.Run(ti.ID, func(t *testing.T) {
			b.t = t
			b.chooseTemplate(ti.ID)
			b.focus(byName(want[0]))
			var got []string
			for i := 0; len(got) < len(want) && i < 3*len(want)+200; i++ {
				name := b.str(`document.activeElement.closest("table.form-table") ? document.activeElement.getAttribute("aria-label") : ""`)
				if name != "" && (len(got) == 0 || got[len(got)-1] != name) {
					got = append(got, name)
				}
				b.run("tab", chromedp.KeyEvent(kb.Tab))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				for i := range want {
					if i >= len(got) || got[i] != want[i] {
						t.Fatalf("cell %d by Tab: %q, want %q (walked %d of %d)", i, at(got, i), want[i], len(got), len(want))
					}
				}
			}
			t.Logf("%s: %d count cells by Tab in reading order", ti.ID, len(got))
		})
	}
	b.t = t
	// Enter goes down the column, the arrows along rows and columns.
	b.chooseTemplate("gov-info-disclosure-annual/2021")
	steps := []struct {
		key  string
		want string
	}{
		{kb.Enter, "表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） 自然人"},
		{kb.ArrowDown, "表三 （三）不予公开 1.属于国家秘密 自然人"},
		{kb.ArrowRight, "表三 （三）不予公开 1.属于国家秘密 法人或其他组织 商业企业"},
		{kb.ArrowUp, "表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） 法人或其他组织 商业企业"},
		{kb.ArrowLeft, "表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） 自然人"},
	}
	b.focus(byName(disclosedNatural))
	for _, s := range steps {
		b.run("key", chromedp.KeyEvent(s.key))
		if got := b.str(`document.activeElement.getAttribute("aria-label")`); got != s.want {
			t.Errorf("after %q: focus on %q, want %q", s.key, got, s.want)
		}
	}
	// The focus ring is visible: an outline of a real width.
	if w := b.str(`getComputedStyle(document.activeElement).outlineWidth`); w == "0px" || w == "" {
		t.Errorf("no visible focus ring: outline %q", w)
	}
}

// chooseTemplate picks a template in the page's list, as a clerk would,
// and waits for its empty form.
func (b *tab) chooseTemplate(id string) {
	b.t.Helper()
	b.run("choose template "+id, js(`document.body.dataset.checked = ""`), chromedp.SetValue(chromedp.CSS("#template"), id),
		js(`document.getElementById("template").dispatchEvent(new Event("change"))`))
	b.poll("form built", `document.body.dataset.checked !== "" && gongwen.state.template.id === "`+id+`"`)
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestBrowserScreenshots takes the README's pictures: the empty, the
// erroneous and the valid form at 1024 and 1440 px, and measures what the
// page costs: bytes transferred and time until it can be used.
func TestBrowserScreenshots(t *testing.T) {
	for _, w := range []int{1024, 1440} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			b := openPage(t, w, 800)
			type costs struct {
				Bytes, APIBytes, Interactive, Ready float64
			}
			perf := eval[costs](b, `(() => { const n = performance.getEntriesByType("navigation")[0];
				const r = performance.getEntriesByType("resource");
				const sum = (es) => es.reduce((a, e) => a + e.transferSize, 0);
				return {Bytes: n.transferSize + sum(r.filter(e => !e.name.includes("/api/"))),
					APIBytes: sum(r.filter(e => e.name.includes("/api/"))),
					Interactive: n.domInteractive, Ready: gongwen.readyAt}; })()`)
			t.Logf("%d px: page and assets %.0f KB transferred, the template's description %.0f KB; DOM interactive at %.0f ms, form ready at %.0f ms",
				w, perf.Bytes/1024, perf.APIBytes/1024, perf.Interactive, perf.Ready)
			if perf.Bytes > 100<<10 {
				t.Errorf("the page weighs %.0f KB: it must stay light", perf.Bytes/1024)
			}
			b.shoot(fmt.Sprintf("editor-empty-%d.png", w))
			b.loadExample()
			b.run("scroll to 表三", js(`document.querySelector('`+byName(disclosedNatural)+`').scrollIntoView({block: "center"})`))
			b.shoot(fmt.Sprintf("editor-valid-%d.png", w))
			b.typeInto(disclosedNatural, "9")
			b.pollWithin("error shown", `document.querySelector('`+byName(disclosedNatural)+`').getAttribute("aria-invalid") === "true"`, 5*time.Second)
			b.idle()
			b.run("scroll to the message", js(`document.querySelector('`+byName(disclosedNatural)+`').scrollIntoView({block: "center"})`))
			b.shoot(fmt.Sprintf("editor-errors-%d.png", w))
		})
	}
}

// TestBrowserJSONAndProse: the JSON tab and the form follow each other;
// broken JSON is reported where it breaks and blocks rendering; prose
// sections take and lose paragraphs.
func TestBrowserJSONAndProse(t *testing.T) {
	b := openPage(t, 1280, 900)
	b.loadExample()

	// JSON → form.
	setJSON := func(text string) {
		b.t.Helper()
		q, _ := json.Marshal(text)
		b.run("edit the JSON", chromedp.Click(chromedp.CSS("#tab-json")),
			js(`(() => { const ta = document.getElementById("report"); ta.focus(); ta.value = `+string(q)+`;
				ta.dispatchEvent(new Event("input")); })()`))
	}
	var data map[string]any
	b.must("decode", json.Unmarshal([]byte(b.str(`JSON.stringify(gongwen.state.data)`)), &data))
	data["organ"] = "某某街道办事处"
	edited, _ := json.MarshalIndent(data, "", "  ")
	setJSON(string(edited))
	b.poll("form follows the JSON", `document.querySelector('input[data-path="/organ"]').value === "某某街道办事处"`)
	b.idle()

	// Broken JSON: said where, in Chinese; nothing can be rendered.
	setJSON(strings.Replace(string(edited), `"organ": "某某街道办事处",`, `"organ": "某某街道办事处",,`, 1))
	b.poll("broken JSON reported", `!document.getElementById("json-broken").hidden && document.getElementById("problems").textContent.includes("行")`)
	b.idle()
	if !eval[bool](b, `document.getElementById("render-pdf").disabled`) {
		t.Error("生成 PDF is enabled with broken JSON")
	}
	if list := b.str(`document.getElementById("problems").textContent`); strings.ContainsAny(list, "abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("English in the clerk's problem list: %s", list)
	}
	setJSON(string(edited))
	b.poll("mended", `document.getElementById("json-broken").hidden`)
	b.idle()

	// Form → JSON.
	b.run("back to the form", chromedp.Click(chromedp.CSS("#tab-form")))
	b.typeAt(`input[data-path="/organ"]`, "某某镇人民政府")
	b.run("to the JSON", chromedp.Click(chromedp.CSS("#tab-json")))
	b.poll("JSON follows the form", `document.getElementById("report").value.includes('"organ": "某某镇人民政府"')`)
	b.run("back to the form", chromedp.Click(chromedp.CSS("#tab-form")))

	// A paragraph added after 一、总体情况's first, typed, then removed.
	n := eval[int](b, `gongwen.state.data.overview.length`)
	b.run("add a paragraph", chromedp.Click(chromedp.CSS(`button[aria-label="一、总体情况 第1段：在下面加一段"]`)))
	b.poll("added", `gongwen.state.data.overview.length === `+fmt.Sprint(n+1)+` && document.activeElement.getAttribute("aria-label") === "一、总体情况 第2段"`)
	b.run("type", chromedp.KeyEvent("新增的一段。"))
	b.poll("typed", `gongwen.state.data.overview[1].text === "新增的一段。"`)
	b.typeAt(`input[aria-label="一、总体情况 第2段 小标题（可选）"]`, "（一）新的小标题")
	b.poll("run-in heading", `gongwen.state.data.overview[1].heading === "（一）新的小标题"`)
	b.run("remove it", chromedp.Click(chromedp.CSS(`button[aria-label="一、总体情况 第2段：删除此段"]`)))
	b.poll("removed", `gongwen.state.data.overview.length === `+fmt.Sprint(n)+` && !gongwen.state.data.overview.some(p => p.text === "新增的一段。")`)
	b.idle()
	if s := b.str(`document.getElementById("status").textContent`); !strings.Contains(s, "检查通过") {
		t.Errorf("status after the round trip: %q", s)
	}
}

// TestBrowserEveryTemplate: each template's example, loaded into the form
// built from its description, checks clean, shows every value the form
// has an input for, and passes axe.
func TestBrowserEveryTemplate(t *testing.T) {
	b := openPage(t, 1280, 900)
	p := realEngine(t)
	for _, ti := range p.Templates() {
		t.Run(ti.ID, func(t *testing.T) {
			b.t = t
			b.chooseTemplate(ti.ID)
			b.loadExample()
			if n := eval[int](b, `gongwen.state.problems.filter(p => p.severity === "error").length`); n != 0 {
				t.Errorf("the example shows %d errors: %s", n, b.str(`document.getElementById("problems").textContent`))
			}
			// Every input shows what the report holds there.
			wrong := b.str(`(() => { const bad = [];
				for (const el of document.querySelectorAll("#form [data-path]")) {
					const v = el.dataset.path.slice(1).split("/").reduce((o, k) => o == null ? undefined : o[k.replace(/~1/g, "/").replace(/~0/g, "~")], gongwen.state.data);
					const want = el.type === "checkbox" ? v === true : Array.isArray(v) ? v.join("\n") : v == null ? "" : String(v);
					const got = el.type === "checkbox" ? el.checked : el.value;
					if (got !== want) bad.push(el.dataset.path + "=" + JSON.stringify(got) + " want " + JSON.stringify(want));
				}
				return bad.join("; "); })()`)
			if wrong != "" {
				t.Errorf("inputs that do not show the report: %s", wrong)
			}
			if src := b.str(`document.getElementById("form").textContent`); strings.Contains(src, "{{") {
				t.Errorf("template source shown to the clerk")
			}
			b.axe(ti.ID + " example")
			b.shoot("template-" + strings.ReplaceAll(ti.ID, "/", "-") + ".png")
		})
	}
}
