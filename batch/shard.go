package batch

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Shard selects a stable subset of inputs: input k of n is the set of
// inputs whose SHA-256, read as a big-endian number, is k modulo n. The
// choice depends only on each input's content, so every machine of a
// cluster computes the same split without coordination, and adding inputs
// to an archive never moves the others between shards. Index is 0-based so
// that a Kubernetes Indexed Job can pass $JOB_COMPLETION_INDEX directly.
type Shard struct{ Index, Count int }

// All is the trivial shard: every input.
var All = Shard{0, 1}

// ParseShard reads "i/n" with 0 <= i < n.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. 0/8 (i from 0 to n-1)", s)
	}
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return Shard{}, fmt.Errorf("shard %q: want i/n with n >= 1 and 0 <= i < n", s)
	}
	return Shard{idx, cnt}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// IsAll reports whether the shard is every input.
func (s Shard) IsAll() bool { return s.Count <= 1 }

// Contains reports whether the input with this SHA-256 belongs to s.
// Taking the top 64 bits modulo n is uniform to within n/2^64.
func (s Shard) Contains(sum [32]byte) bool {
	if s.IsAll() {
		return true
	}
	return binary.BigEndian.Uint64(sum[:8])%uint64(s.Count) == uint64(s.Index)
}

// tag names the shard in file names: "all", or "3-of-8".
func (s Shard) tag() string {
	if s.IsAll() {
		return "all"
	}
	return fmt.Sprintf("%d-of-%d", s.Index, s.Count)
}

// ManifestName is the manifest's file name in the output directory:
// manifest.json, or manifest-3-of-8.json for a shard, so that the shards of
// one archive can share an output directory.
func (s Shard) ManifestName() string {
	if s.IsAll() {
		return "manifest.json"
	}
	return "manifest-" + s.tag() + ".json"
}
