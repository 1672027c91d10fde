package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"2MiB", 2 << 20, true}, {"512KiB", 512 << 10, true}, {"1MB", 1e6, true}, {"1000", 1000, true},
		{"10 MiB", 10 << 20, true}, {"0", 0, false}, {"-1", 0, false}, {"lots", 0, false}, {"", 0, false},
		{"99999999GiB", 0, false},
	} {
		got, err := parseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseBytes(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestHealthcheckProbe(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			w.WriteHeader(404)
		}
	}))
	defer ok.Close()
	if code, _, stderr := runCLI("serve", "--addr", strings.TrimPrefix(ok.URL, "http://"), "--healthcheck"); code != 0 {
		t.Errorf("healthy server: exit %d: %s", code, stderr)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	if code, _, _ := runCLI("serve", "--addr", dead, "--healthcheck"); code != 1 {
		t.Errorf("no server: exit %d, want 1", code)
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, args := range [][]string{{"serve", "--max-body", "lots"}, {"serve", "--log-level", "loud"}, {"serve", "extra"}} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestServeProcess runs the real binary as an operator would: it serves the
// page and a render, logs JSON, and on SIGTERM drains and exits 0.
func TestServeProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "gongwen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "GONGWEN_API_TOKEN=t0ken")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := make(chan string, 1)
	go func() { b, _ := io.ReadAll(stderr); logs <- string(b) }()
	defer cmd.Process.Kill()

	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	example, err := os.ReadFile("../../templates/gov-info-disclosure-annual/2021/example.json")
	if err != nil {
		t.Fatalf("example: %v", err)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/validate", bytes.NewReader(example))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("without the token: %v %v", err, resp)
	}
	req, _ = http.NewRequest("POST", base+"/api/v1/validate", bytes.NewReader(example))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("validate with the token: %v %v", err, resp)
	}
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	out := <-logs
	var sawRequest, sawStopped bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "{") {
			t.Errorf("log line is not JSON: %s", line)
		}
		sawRequest = sawRequest || strings.Contains(line, `"route":"/api/v1/validate"`) && strings.Contains(line, `"request_id":`)
		sawStopped = sawStopped || strings.Contains(line, `"msg":"stopped"`)
	}
	if !sawRequest || !sawStopped {
		t.Errorf("logs lack the request or the shutdown:\n%s", out)
	}
}
