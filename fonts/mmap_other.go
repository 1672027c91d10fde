//go:build !unix

package fonts

import (
	"errors"
	"os"
)

func mapFile(*os.File) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapFile([]byte) error { return nil }
