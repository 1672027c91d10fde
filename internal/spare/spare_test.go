package spare

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestWork(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		items   int
		failAt  int // item whose work fails; -1 for none
		wantErr error
	}{
		{"none", 0, -1, nil},
		{"few", 3, -1, nil},
		{"more than the queue holds", 5 * maxQueued, -1, nil},
		{"one fails", 40, 7, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var done atomic.Int64
			seen := make([]atomic.Int32, tc.items)
			w := Start(func(i int) error {
				seen[i].Add(1)
				done.Add(1)
				if i == tc.failAt {
					return boom
				}
				return nil
			})
			for i := range tc.items {
				w.Add(i)
			}
			w.Close()
			if err := w.Finish(); !errors.Is(err, tc.wantErr) {
				t.Fatalf("Finish: %v, want %v", err, tc.wantErr)
			}
			if err := w.Finish(); !errors.Is(err, tc.wantErr) { // again: the same answer
				t.Fatalf("second Finish: %v, want %v", err, tc.wantErr)
			}
			if got := done.Load(); got != int64(tc.items) {
				t.Fatalf("%d items worked on, want %d", got, tc.items)
			}
			for i := range seen {
				if n := seen[i].Load(); n != 1 {
					t.Fatalf("item %d worked on %d times", i, n)
				}
			}
		})
	}
}
