//go:build unix

package batch

import "syscall"

// oNonblock makes opening a FIFO return at once (see openRegular).
const oNonblock = syscall.O_NONBLOCK
