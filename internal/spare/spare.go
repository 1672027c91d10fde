// Package spare runs a render's side work — compressing the programs of a
// new report's font subsets — on the cores the render's own goroutine
// leaves idle, as soon as each piece is known, so that it overlaps the
// rest of the render instead of following it.
package spare

import (
	"runtime"
	"sync"
)

// maxQueued bounds the items waiting for a helper; past it (a document of
// many faces) Add does the work itself.
const maxQueued = 16

// Work is a queue of items that runtime.GOMAXPROCS(0)-1 helper goroutines
// take work on. One helper per spare core, not one per item: a font
// compressor is a megabyte of tables, and a cold process spent 10 ms
// making five.
type Work[T any] struct {
	queue   chan T
	do      func(T) error
	helpers sync.WaitGroup
	started int // helpers started: one per item added, up to the spare cores
	closed  bool
	mu      sync.Mutex
	err     error
}

// Start prepares the queue; do is called once for every item added.
// Helpers start with the items (a render whose subsets all come from the
// cache adds none and starts none).
func Start[T any](do func(T) error) *Work[T] {
	return &Work[T]{queue: make(chan T, maxQueued), do: do}
}

// Add hands v to a helper, or does its work now when the queue is full.
// Only the goroutine that started the work adds, and not after Close.
func (w *Work[T]) Add(v T) {
	if w.started < runtime.GOMAXPROCS(0)-1 {
		w.started++
		w.helpers.Go(w.drain)
	}
	select {
	case w.queue <- v:
	default:
		w.run(v)
	}
}

// Close says every item has been added.
func (w *Work[T]) Close() {
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
}

// Finish closes the queue, does what no helper has taken yet, waits for
// the helpers and returns the first error. It may be called more than once.
func (w *Work[T]) Finish() error {
	w.Close()
	w.drain()
	w.helpers.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *Work[T]) drain() {
	for v := range w.queue {
		w.run(v)
	}
}

func (w *Work[T]) run(v T) {
	if err := w.do(v); err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
}
