package api

import (
	"context"
	"fmt"
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
