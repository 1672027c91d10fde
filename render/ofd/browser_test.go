package ofd_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongwen/gen/reportgen"
	"gongwen/internal/testkit"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// ofdJSVersion is the reader the browser test uses: ofd.js 0.2.6 (Apache
// 2.0). npm's later versions are a different, licensed viewer.
const ofdJSVersion = "0.2.6"

// ofdJS finds the ofd.js bundle scripts/setup.sh test installs outside the
// repository: $GONGWEN_OFDJS_DIR, else $XDG_CACHE_HOME/gongwen/ofdjs (or
// ~/.cache/gongwen/ofdjs), holding node_modules/ofd.js.
func ofdJS(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GONGWEN_OFDJS_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			testkit.Missing(t, "ofd.js: no cache directory: %v", err)
		}
		dir = filepath.Join(cache, "gongwen", "ofdjs")
	}
	pkg := filepath.Join(dir, "node_modules", "ofd.js")
	manifest, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		testkit.Missing(t, "ofd.js %s in %s (scripts/setup.sh test): %v", ofdJSVersion, dir, err)
	}
	if !strings.Contains(string(manifest), `"version": "`+ofdJSVersion+`"`) {
		t.Fatalf("%s is not ofd.js %s; run scripts/setup.sh test", pkg, ofdJSVersion)
	}
	return testkit.File(t, filepath.Join(pkg, "lib", "ofd.umd.min.js"))
}

// readerPage loads ofd.js and offers readOFD(url): each page rendered by
// ofd.renderOfd, as the number of drawn SVG elements and the text of its
// <text> elements in order.
const readerPage = `<!doctype html><meta charset="utf-8"><title>ofd.js</title>
<script src="/ofd.js"></script>
<body><div id="pages"></div>
<script>
function readOFD(url) {
  return fetch(url).then(r => r.arrayBuffer()).then(buf => new Promise((resolve, reject) => {
    ofd.parseOfdDocument({ofd: buf, success(res) {
      try {
        const holder = document.getElementById("pages");
        holder.replaceChildren();
        const divs = ofd.renderOfd(794, res[0]);
        const pages = divs.map(div => {
          holder.appendChild(div);
          const texts = Array.from(div.querySelectorAll("text"));
          return {svgs: div.querySelectorAll("svg").length, chars: texts.length,
            text: texts.map(t => t.textContent).join(""), height: div.getBoundingClientRect().height};
        });
        resolve(JSON.stringify(pages));
      } catch (e) { reject(e); }
    }, fail(err) { reject(new Error(String(err))); }});
  }));
}
</script>`

type readerPageResult struct {
	SVGs   int     `json:"svgs"`
	Chars  int     `json:"chars"`
	Text   string  `json:"text"`
	Height float64 `json:"height"`
}

// TestOFDJSReadsOutputs renders the example and 20 generated reports with
// ofd.js in headless Chromium: every page renders, its text read back from
// the SVG is the document's text in order, and there are as many pages as
// in the PDF.
func TestOFDJSReadsOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	exe := testkit.Tool(t, "chromium")
	script := ofdJS(t)
	r := renderer(t)

	type input struct {
		name string
		raw  []byte
	}
	inputs := []input{{"example", exampleJSON(t)}}
	for i := range 20 {
		inputs = append(inputs, input{"generated " + strconv.Itoa(i), reportgen.Generate(2026, i).JSON()})
	}
	var mu sync.Mutex
	files := map[string][]byte{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(readerPage))
	})
	mux.HandleFunc("/ofd.js", func(w http.ResponseWriter, req *http.Request) { http.ServeFile(w, req, script) })
	mux.HandleFunc("/f/", func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		data, ok := files[strings.TrimPrefix(req.URL.Path, "/f/")]
		mu.Unlock()
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Write(data)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(900, 1200),
	)
	defer cancelAlloc()
	root, cancelRoot := chromedp.NewContext(alloc)
	defer cancelRoot()
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(root, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof ofd === "object" && typeof ofd.parseOfdDocument === "function"`)); err != nil || !ok {
		t.Fatalf("ofd.js did not load (%v)", err)
	}

	for i, in := range inputs {
		doc := reportDocument(t, in.raw)
		out, err := r.Render(doc, ofd.Options{Standard: ofd.StandardA, Source: &ofd.Attachment{Name: "r.json", Data: in.raw}})
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		check(t, in.name, out)
		pdfOut, err := pdf.Render(doc, pdf.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pdfPages := pdfPageCount(t, pdfOut)
		name := strconv.Itoa(i) + ".ofd"
		mu.Lock()
		files[name] = out
		mu.Unlock()
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`readOFD("/f/`+name+`")`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: ofd.js: %v", in.name, err)
		}
		var pages []readerPageResult
		if err := jsonUnmarshal(js, &pages); err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		want := pageTexts(layoutOf(t, doc))
		if len(pages) != pdfPages || len(pages) != len(want) {
			t.Errorf("%s: ofd.js shows %d pages; the PDF has %d, the layout %d", in.name, len(pages), pdfPages, len(want))
			continue
		}
		for j, pg := range pages {
			if pg.SVGs == 0 || pg.Chars == 0 || pg.Height < 1000 {
				t.Errorf("%s page %d: not rendered (%d svg, %d characters, %.0f px high)", in.name, j+1, pg.SVGs, pg.Chars, pg.Height)
			}
			if pg.Text != want[j] {
				t.Errorf("%s page %d: ofd.js reads\n%s\nwant\n%s", in.name, j+1, pg.Text, want[j])
			}
		}
		if i == 0 {
			// Pages 1 and 3 of the example (text; tables) as the reader drew them.
			dir := os.Getenv("GONGWEN_SCREENSHOT_DIR")
			if dir == "" {
				dir = t.TempDir()
			}
			for _, k := range []string{"1", "3"} {
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#pages > div:nth-child("+k+")")))
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				p := filepath.Join(dir, "ofdjs-example-page"+k+".png")
				if err := os.WriteFile(p, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", p)
			}
		}
	}
}
