package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"gongwen/problem"
	"gongwen/report"
)

// chromium finds Debian's chromium; a missing browser is a skip on a bare
// machine and a failure in CI (GONGWEN_REQUIRE_TOOLS=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GONGWEN_REQUIRE_TOOLS") != "" {
		t.Fatal("chromium not installed (scripts/setup.sh test)")
	}
	t.Skip("chromium not installed")
	return ""
}

// TestBrowser drives the page as a clerk would in headless Chromium: load
// the example, see no problems, render and receive the PDF in the page;
// then load a broken report and see the problem text and the marked cell.
// Screenshots go to $GONGWEN_SCREENSHOT_DIR (default: the test's temp dir).
func TestBrowser(t *testing.T) {
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
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	)
	defer cancelAlloc()
	root, cancelRoot := chromedp.NewContext(alloc)
	defer cancelRoot()
	// The first Run starts the browser and must not carry a timeout.
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(root, 90*time.Second)
	defer cancel()

	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100) /* 100 = PNG */)
		must("screenshot", err)
		path := filepath.Join(shots, name)
		must("writing screenshot", os.WriteFile(path, png, 0o644))
		t.Logf("screenshot: %s", path)
	}
	poll := func(what, expr string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
		must(what, err)
	}

	// 1. The page loads with the templates, entirely from this server.
	must("open page", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitReady(chromedp.CSS("#template option"))))
	poll("page ready", `document.body.dataset.ready === "true" && document.querySelector("#template option") !== null`)
	// A first visit starts with the example, ready to render (README).
	poll("example preloaded", `document.getElementById("report").value.includes("\"organ\"")`)

	// 2. Load the example: it validates without errors and its tables show.
	// The preloaded example was checked already: wait for the check this
	// click starts, not the earlier one.
	poll("preloaded example checked", `document.body.dataset.checked !== undefined`)
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.checked`))
	must("check count", err)
	must("load example", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#load-example"))))
	poll("example checked", `document.body.dataset.checked !== "`+before+`" && document.querySelectorAll("#doc-view td[data-path]").length > 0`)
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	must("status", err)
	if !strings.Contains(status, "校验通过") {
		t.Errorf("status after the example: %q", status)
	}
	nErrors, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#problems li.error").length`))
	must("count errors", err)
	if nErrors != 0 {
		t.Errorf("the example shows %d errors", nErrors)
	}
	tables, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#doc-view table").length`))
	must("count tables", err)
	if tables != 3 {
		t.Errorf("%d tables drawn, want 3", tables)
	}

	// 3. Render: the PDF arrives in the page and is what the engine makes.
	must("render", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#render-pdf"))))
	poll("pdf ready", `document.body.dataset.pdf === "ready"`)
	status, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	must("status", err)
	if !strings.HasPrefix(status, "已生成 PDF") || strings.Contains(status, "错误") {
		t.Errorf("status after rendering the example: %q", status)
	}
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`gongwen.lastPDF.blob.arrayBuffer().then(b => {
		let s = ""; const u = new Uint8Array(b);
		for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
		return btoa(s);
	})`, chromedp.EvalAwaitPromise))
	must("read PDF from the page", err)
	got, err := base64.StdEncoding.DecodeString(b64)
	must("decode PDF", err)
	example := realExample(t, p)
	want, _, err := p.Render(context.Background(), example, report.PDF, report.DefaultOptions())
	must("direct render", err)
	if !bytes.Equal(got, want) {
		t.Errorf("the page's PDF (%d bytes) differs from a direct render (%d bytes)", len(got), len(want))
	}
	checkPDF(t, got)
	name, err := chromedp.Run(ctx, chromedp.Evaluate[string](`gongwen.lastPDF.name`))
	must("file name", err)
	if name != "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.pdf" {
		t.Errorf("file name in the page: %q", name)
	}
	time.Sleep(500 * time.Millisecond) // let the PDF viewer paint for the screenshot
	shoot("browser-1-pdf.png")

	// The Word button downloads a DOCX under the report's own name.
	downloads := t.TempDir()
	_, err = chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
	must("allow downloads", err)
	must("download docx", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#download-docx"))))
	docxPath := filepath.Join(downloads, "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.docx")
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(docxPath); err == nil && bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(downloads)
			t.Fatalf("no %s downloaded; the folder has %v", filepath.Base(docxPath), entries)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// 4. A broken report: the problem text appears and its cell is marked.
	broken := brokenReport(t, example)
	outcome, err := p.Validate(context.Background(), broken, report.DefaultOptions())
	must("validate broken", err)
	var wantErr []problem.Problem
	for _, pr := range outcome.Problems {
		if pr.Severity == problem.Error {
			wantErr = append(wantErr, pr)
		}
	}
	if len(wantErr) == 0 {
		t.Fatal("the broken report has no errors")
	}
	// Opened as a file, as a clerk would with the JSON their office sent.
	brokenFile := filepath.Join(t.TempDir(), "broken.json")
	must("write broken report", os.WriteFile(brokenFile, broken, 0o644))
	must("open broken report", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#tab-doc")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{brokenFile}),
	))
	poll("problems shown", `document.querySelectorAll("#problems li.error").length > 0`)
	listed, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#problems")))
	must("problem list", err)
	for _, pr := range wantErr {
		if !strings.Contains(listed, pr.Message) {
			t.Errorf("problem not on the page: %q\npage lists:\n%s", pr.Message, listed)
		}
	}
	marked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#doc-view td.has-error").length`))
	must("marked cells", err)
	if marked == 0 {
		t.Errorf("no table cell marked for %s", wantErr[0].Path)
	}
	must("reveal", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#problems li.error"))))
	time.Sleep(700 * time.Millisecond) // smooth scroll
	shoot("browser-2-problems.png")

	// Pasted text works the same way, and the broken report survives a reload.
	must("paste and reload", chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#report"), string(broken)),
		chromedp.Click(chromedp.CSS("#format")),
		chromedp.Reload(),
	))
	poll("draft restored", `document.body.dataset.ready === "true" && document.querySelector("#report").value.includes('"natural": 3')`)
	poll("problems shown again", `document.querySelectorAll("#problems li.error").length > 0`)

	// 5. Rendering the broken report is refused, and says why.
	must("render broken", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#render-pdf"))))
	poll("refused", `document.querySelector("#status").className === "error" && document.querySelector("#status").textContent.includes("未生成")`)
}
