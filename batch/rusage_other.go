//go:build !unix

package batch

import "time"

// PeakRSS is unknown here.
func PeakRSS() int64 { return 0 }

// CPUTime is unknown here.
func CPUTime() time.Duration { return 0 }
