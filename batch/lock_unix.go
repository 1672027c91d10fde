//go:build unix

package batch

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

var errUnsupportedSync = syscall.EINVAL

// lockShard takes an exclusive lock so that two runs cannot write the same
// shard of one output directory at once (the second would sweep the first's
// temporary files). The kernel drops the lock when the process dies, even by
// SIGKILL, so a crashed run never blocks the next.
func lockShard(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another gongwen batch is writing to this output directory (lock %s)", path)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
