package api

import (
	"context"
	"fmt"
	"runtime"
)

// pool bounds concurrent engine calls. Rendering is CPU-bound: running more
// at once than the machine has cores only adds latency and memory, so
// callers beyond size wait in a bounded queue, and callers beyond the queue
// are turned away at once (503) rather than piling up.
type pool struct {
	slots    chan struct{} // held while running; capacity = size
	admitted chan struct{} // held while waiting or running; capacity = size + queue
}

func newPool(size, queue int) *pool {
	return &pool{slots: make(chan struct{}, size), admitted: make(chan struct{}, size+queue)}
}

// acquire waits for a slot until ctx is done. It returns errSaturated when
// the queue is full or the wait outlives ctx's deadline, ctx.Err() when the
// client went away. The returned release must be called exactly once.
func (p *pool) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.admitted <- struct{}{}:
	default:
		return nil, errSaturated
	}
	select {
	case p.slots <- struct{}{}:
		// Let requests that have arrived meanwhile join the queue before
		// this one renders. With every P rendering, Go notices a ready
		// connection only when sysmon polls the network (every 10 ms) and
		// puts its goroutine on the global run queue, which a P reads only
		// once its local queue is empty — and the caller woken by a release
		// (through runnext) is always there first. So new requests sat
		// outside the queue until it had drained, and joined it in
		// batches: service in batches, not in order of arrival. Yielding
		// here runs them (they read their bodies and wait behind this one)
		// and costs the render a few microseconds. Measured with make
		// loadtest's breakdown, 7 interleaved pairs at load average 5–9:
		// time outside the handler 15–24 → 4–10 ms, p99 ÷ mean (median of
		// the pairs) 3.6 → 2.9, lower in 6 of the 7; throughput the same
		// within the noise (2,429 and 2,476 renders/s summed).
		runtime.Gosched()
		return func() { <-p.slots; <-p.admitted }, nil
	case <-ctx.Done():
		<-p.admitted
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("%w: waited until the request deadline", errSaturated)
		}
		return nil, ctx.Err()
	}
}

// busy is the number of calls running now.
func (p *pool) busy() int { return len(p.slots) }

// waiting is the number of calls queued for a slot.
func (p *pool) waiting() int { return max(len(p.admitted)-len(p.slots), 0) }
