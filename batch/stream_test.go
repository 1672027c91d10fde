package batch

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gongwen/gen/reportgen"
	"gongwen/report"
)

func ndjsonOf(t testing.TB, seed uint64, n int, extra ...string) string {
	var b strings.Builder
	for i := range n {
		var line bytes.Buffer
		if err := compactJSON(&line, reportgen.Generate(seed, i).JSON()); err != nil {
			t.Fatal(err)
		}
		b.Write(line.Bytes())
		b.WriteByte('\n')
	}
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}

func readZip(t *testing.T, data []byte) (names []string, files map[string][]byte, m *Manifest) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("response is not a zip: %v", err)
	}
	files = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	if names[len(names)-1] != "manifest.json" {
		t.Fatalf("last entry is %s, want manifest.json", names[len(names)-1])
	}
	if m, err = decodeManifest(files["manifest.json"]); err != nil {
		t.Fatal(err)
	}
	return names, files, m
}

func stream(t *testing.T, engine report.Engine, src Source, opts StreamOptions) []byte {
	t.Helper()
	var out bytes.Buffer
	if opts.Now == nil {
		opts.Now = fixedNow // streams compare byte for byte
	}
	if _, err := StreamZip(context.Background(), engine, src, nil, opts, &out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestStreamZipFromNDJSON(t *testing.T) {
	body := ndjsonOf(t, 4, 25, `{"organ":"坏镇人民政府","year":2024,"fakeError":1}`, `not json`)
	src, err := OpenRequest("application/x-ndjson", strings.NewReader(body), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	a := stream(t, &fakeEngine{}, src, StreamOptions{Jobs: 3, Version: "test"})
	names, files, m := readZip(t, a)
	if m.Summary.Inputs != 27 || m.Summary.Failed != 2 || m.Summary.Outputs != 50 || len(names) != 51 || !m.Complete {
		t.Fatalf("summary %+v, %d entries", m.Summary, len(names))
	}
	for _, e := range m.Inputs {
		for _, o := range e.Outputs {
			if !bytes.Equal(files[o.Path], fakeOutput(mustRaw(t, body, e.Path), o.Format, 0)) {
				t.Fatalf("%s: wrong content", o.Path)
			}
		}
	}
	if m.Inputs[25].Path != "line:26" || m.Inputs[25].Status != StatusFailed || m.Inputs[26].Status != StatusFailed {
		t.Fatalf("failures: %+v %+v", m.Inputs[25], m.Inputs[26])
	}
	// Deterministic: another run with other parallelism gives the same bytes.
	src2, _ := OpenRequest("application/x-ndjson", strings.NewReader(body), Limits{})
	if b := stream(t, &fakeEngine{}, src2, StreamOptions{Jobs: 1, Version: "test"}); !bytes.Equal(a, b) {
		t.Fatal("two streams of the same inputs differ")
	}
}

func mustRaw(t *testing.T, body, path string) []byte {
	var n int
	fmt.Sscanf(path, "line:%d", &n)
	return []byte(strings.Split(body, "\n")[n-1])
}

func TestStreamZipFromMultipartAndZip(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	add := func(name string, data []byte) {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	add("a.json", reportgen.Generate(1, 0).JSON())
	add("inner.zip", buildZip(t, zipEntrySpec{name: "x/b.json", body: reportgen.Generate(1, 1).JSON()}, zipEntrySpec{name: "x/c.json", body: reportgen.Generate(1, 2).JSON()}))
	add("evil.zip", buildZip(t, zipEntrySpec{name: "../evil.json", body: []byte(tinyReport)}))
	add("d.json", reportgen.Generate(1, 3).JSON())
	mw.Close()
	src, err := OpenRequest(mw.FormDataContentType(), &body, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, _, m := readZip(t, stream(t, &fakeEngine{}, src, StreamOptions{Version: "test"}))
	var got []string
	for _, e := range m.Inputs {
		got = append(got, fmt.Sprintf("%s=%s", e.Path, e.Status))
	}
	want := "a.json=rendered inner.zip!/x/b.json=rendered inner.zip!/x/c.json=rendered evil.zip=failed d.json=rendered"
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if !strings.Contains(m.Inputs[3].Error, "zip-slip") {
		t.Fatalf("evil.zip: %q", m.Inputs[3].Error)
	}

	// A whole-body zip that is unsafe is refused before anything is sent.
	_, err = OpenRequest("application/zip", bytes.NewReader(buildZip(t, zipEntrySpec{name: "/etc/x.json"})), Limits{})
	if !errors.Is(err, ErrUnsafeZip) {
		t.Fatalf("unsafe zip upload: %v", err)
	}
	zsrc, err := OpenRequest("application/zip", bytes.NewReader(buildZip(t, zipEntrySpec{name: "r.json", body: reportgen.Generate(2, 0).JSON()})), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer zsrc.Close()
	if _, _, m := readZip(t, stream(t, &fakeEngine{}, zsrc, StreamOptions{})); m.Summary.Outputs != 2 {
		t.Fatalf("zip upload: %+v", m.Summary)
	}
	if _, err := OpenRequest("text/plain", strings.NewReader(""), Limits{}); !errors.Is(err, ErrUnsupportedInput) {
		t.Fatalf("text/plain: %v", err)
	}
}

// Bad zips inside a multipart upload are failures of their input, never
// retryable errors, and an inner zip over the report limit stops the
// stream with complete:false and the reason (issue 14 item 29).
func TestStreamZipBadInnerZips(t *testing.T) {
	lying := buildZip(t, zipEntrySpec{name: "a.json", body: bytes.Repeat([]byte(" "), 5000)})
	cd := bytes.LastIndex(lying, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(lying[cd+24:], 10) // declares 10 bytes, inflates to 5,000
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	add := func(name string, data []byte) {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(data)
	}
	add("a.json", reportgen.Generate(1, 0).JSON())
	add("lying.zip", lying)
	add("many.zip", buildZip(t, zipEntrySpec{name: "1.json", body: []byte(tinyReport)}, zipEntrySpec{name: "2.json", body: []byte(tinyReport)},
		zipEntrySpec{name: "3.json", body: []byte(tinyReport)}, zipEntrySpec{name: "4.json", body: []byte(tinyReport)}, zipEntrySpec{name: "5.json", body: []byte(tinyReport)}))
	add("z.json", reportgen.Generate(1, 1).JSON())
	mw.Close()
	src, err := OpenRequest(mw.FormDataContentType(), &body, Limits{MaxInputs: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, _, m := readZip(t, stream(t, &fakeEngine{}, src, StreamOptions{Version: "test"}))
	var got []string
	for _, e := range m.Inputs {
		got = append(got, fmt.Sprintf("%s=%s", e.Path, e.Status))
		if e.Status == StatusError || strings.Contains(e.Error, "internal error") {
			t.Errorf("%s: %s %q: a bad zip is a failure, not an error a rerun retries", e.Path, e.Status, e.Error)
		}
	}
	if want := "a.json=rendered lying.zip!/a.json=failed"; strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if m.Complete || !strings.Contains(m.Error, "many.zip") || !strings.Contains(m.Error, "more than the limit") {
		t.Errorf("complete %v, error %q; want false and the inner zip over the limit named", m.Complete, m.Error)
	}
}

// countingSource counts the items taken and blocks nothing.
type countingSource struct {
	Source
	taken atomic.Int64
}

func (c *countingSource) Next() (Item, error) {
	it, err := c.Source.Next()
	if err == nil {
		c.taken.Add(1)
	}
	return it, err
}

// gateEngine holds the first report until released, so that later ones
// finish first and must wait for their turn in the zip.
type gateEngine struct {
	fakeEngine
	gate chan struct{}
}

func (g *gateEngine) Render(ctx context.Context, raw []byte, f report.Format, o report.Options) ([]byte, *report.Outcome, error) {
	if bytes.Contains(raw, []byte(`"gate"`)) {
		<-g.gate
	}
	return g.fakeEngine.Render(ctx, raw, f, o)
}

// The stream holds a bounded window of inputs, however many finish while
// an early one is slow: memory does not grow with the batch.
func TestStreamZipBoundsMemory(t *testing.T) {
	body := `{"organ":"慢镇人民政府","year":2024,"gate":1}` + "\n" + ndjsonOf(t, 6, 200)
	src := &countingSource{Source: NDJSON(strings.NewReader(body), "line", Limits{})}
	eng := &gateEngine{gate: make(chan struct{})}
	done := make(chan []byte)
	go func() {
		var out bytes.Buffer
		StreamZip(context.Background(), eng, src, nil, StreamOptions{Jobs: 2}, &out)
		done <- out.Bytes()
	}()
	time.Sleep(300 * time.Millisecond)
	if n := src.taken.Load(); n > 2*2+1 {
		t.Fatalf("%d inputs taken while the first is still rendering; the window is 4", n)
	}
	close(eng.gate)
	_, _, m := readZip(t, <-done)
	if m.Summary.Inputs != 201 || m.Summary.Failed != 0 {
		t.Fatalf("%+v", m.Summary)
	}
}

type brokenReader struct{ r io.Reader }

func (b *brokenReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset by peer")
	}
	return n, err
}

// A source that breaks mid-stream still yields a valid zip whose manifest
// says so; it is not an error of the stream.
func TestStreamZipSourceBreaks(t *testing.T) {
	src := NDJSON(&brokenReader{strings.NewReader(ndjsonOf(t, 7, 5))}, "line", Limits{})
	var out bytes.Buffer
	if _, err := StreamZip(context.Background(), &fakeEngine{}, src, nil, StreamOptions{}, &out); err != nil {
		t.Fatalf("the zip was completed, yet: %v", err)
	}
	_, _, m := readZip(t, out.Bytes())
	if m.Complete || !strings.Contains(m.Error, "connection reset") || m.Summary.Inputs != 5 {
		t.Fatalf("manifest: complete=%v error=%q %+v", m.Complete, m.Error, m.Summary)
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("client went away")
	}
	return len(p), nil
}

func TestStreamZipWriterFails(t *testing.T) {
	defer goleak.VerifyNone(t) // every worker and the reader exit
	src := NDJSON(strings.NewReader(ndjsonOf(t, 8, 50)), "line", Limits{})
	_, err := StreamZip(context.Background(), &fakeEngine{}, src, nil, StreamOptions{}, &failingWriter{n: 2000})
	if err == nil || !strings.Contains(err.Error(), "client went away") {
		t.Fatalf("err = %v", err)
	}
}

// Uploads over the report count are refused before the response starts.
func TestOpenRequestCountsReportsFirst(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := range 3 {
		w, _ := mw.CreateFormFile("files", fmt.Sprintf("%d.json", i))
		w.Write([]byte(tinyReport))
	}
	mw.Close()
	if _, err := OpenRequest(mw.FormDataContentType(), &body, Limits{MaxInputs: 2}); !errors.Is(err, ErrTooManyInputs) {
		t.Fatalf("multipart: %v", err)
	}
	if _, err := OpenRequest("application/x-ndjson", strings.NewReader("{}\n\n{}\n{}\n"), Limits{MaxInputs: 2}); !errors.Is(err, ErrTooManyInputs) {
		t.Fatalf("ndjson: %v", err)
	}
	src, err := OpenRequest("application/x-ndjson", strings.NewReader("{}\n\n{}\n"), Limits{MaxInputs: 2})
	if err != nil {
		t.Fatalf("ndjson at the limit: %v", err)
	}
	src.Close()
	if _, err := OpenRequest("application/x-ndjson", strings.NewReader(strings.Repeat("{}\n", 100)), Limits{MaxZipTotal: 50}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("upload over the size limit: %v", err)
	}
}
