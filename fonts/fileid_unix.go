//go:build unix

package fonts

import (
	"os"
	"syscall"
)

// fileID names the file path leads to (symbolic links followed) by device
// and inode: one stat, where resolving the path (filepath.EvalSymlinks)
// took a stat of every directory on the way, for every font file.
func fileID(path string) (string, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileIDByPath(path)
	}
	var b [16]byte
	for i := range 8 {
		b[i] = byte(uint64(st.Dev) >> (8 * i))
		b[8+i] = byte(uint64(st.Ino) >> (8 * i))
	}
	return string(b[:]), true
}
