package api

import (
	"context"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// idleTracker notices when the server has had no request for a while, so
// the memory a burst of renders took can go back to the OS (see
// Config.IdleFreeAfter for why the runtime does not do it soon enough).
type idleTracker struct {
	active   atomic.Int64 // requests in progress
	lastDone atomic.Int64 // UnixNano of the last request's end
	freed    atomic.Bool  // memory already returned since the last request
	releases atomic.Int64 // how many times memory was returned (tests, metrics)
}

func (it *idleTracker) begin() {
	it.active.Add(1)
	it.freed.Store(false)
}

func (it *idleTracker) end() {
	it.lastDone.Store(time.Now().UnixNano())
	it.active.Add(-1)
}

// watch returns memory to the OS once per idle period of at least after,
// until ctx is done. It checks every after/4: the release comes between
// after and 1.25 × after of quiet.
func (it *idleTracker) watch(ctx context.Context, after time.Duration) {
	if after <= 0 {
		return
	}
	tick := time.NewTicker(max(after/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if it.active.Load() > 0 || it.freed.Load() || it.lastDone.Load() == 0 {
			continue
		}
		if time.Since(time.Unix(0, it.lastDone.Load())) < after {
			continue
		}
		// A forced GC and a full scavenge: a few milliseconds on a
		// 30–60 MB heap, paid only once the server has gone quiet.
		debug.FreeOSMemory()
		it.freed.Store(true)
		it.releases.Add(1)
	}
}
