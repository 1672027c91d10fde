//go:build !unix

package batch

import "errors"

var errUnsupportedSync = errors.New("unsupported")

// lockShard is a no-op where flock is unavailable; do not run two batches
// of the same shard into one directory there.
func lockShard(path string) (func(), error) { return func() {}, nil }
