package api

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// rssKB is the process's resident set from /proc (0 where there is none).
func rssKB() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var n int64
			for _, c := range strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")) {
				n = n*10 + int64(c-'0')
			}
			return n
		}
	}
	return 0
}

// After a burst of renders the server returns the memory it no longer uses
// once it has been idle for IdleFreeAfter (issue 14 item 30).
func TestIdleReturnsMemory(t *testing.T) {
	p := realEngine(t)
	example := realExample(t, p)
	defer debug.SetGCPercent(debug.SetGCPercent(300)) // as gongwen serve runs
	s := New(p, Config{Logger: discardLogger(), IdleFreeAfter: 300 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	retained := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapIdle - m.HeapReleased // heap the process holds but does not use
	}
	idleRSS := rssKB()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				resp, err := client.Post("http://"+ln.Addr().String()+"/api/v1/render?format=pdf", "application/json", bytes.NewReader(example))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	runtime.GC() // what the burst left is garbage now; is it given back?
	afterLoad, loadRSS := retained(), rssKB()
	deadline := time.Now().Add(5 * time.Second)
	for s.idle.releases.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	afterIdle, idleAgainRSS := retained(), rssKB()
	t.Logf("RSS: before %d MB, after 60 renders %d MB, idle %d MB; heap held unused: %d MB → %d MB",
		idleRSS>>10, loadRSS>>10, idleAgainRSS>>10, afterLoad>>20, afterIdle>>20)
	if s.idle.releases.Load() == 0 {
		t.Fatal("memory was never returned while idle")
	}
	if afterIdle > 4<<20 && afterIdle > afterLoad/4 {
		t.Errorf("after idle the heap still holds %d MB unused (%d MB after load)", afterIdle>>20, afterLoad>>20)
	}
}
