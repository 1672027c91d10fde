//go:build !unix

package batch

// oNonblock: no non-blocking open here; openRegular still refuses what
// Stat says is not a regular file.
const oNonblock = 0
