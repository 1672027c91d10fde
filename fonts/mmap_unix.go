//go:build unix

package fonts

import (
	"errors"
	"os"
	"syscall"
)

// mapFile maps a font file read-only. The CFF table of a Noto CJK
// collection is 16 MB; mapping it instead of reading it keeps it out of the
// Go heap and costs only the pages of the glyphs a document uses. Debian
// replaces font files by rename on upgrade, so a mapped file never shrinks
// under us.
func mapFile(f *os.File) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size <= 0 || size > 1<<31 {
		return nil, errors.New("font file size out of range for mapping")
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(b []byte) error { return syscall.Munmap(b) }
