package reportgen

import "math/rand/v2"

// rng draws from a PCG stream. The helpers are written here, over Uint64
// only, rather than using rand.Rand's IntN and friends, because the series
// must stay byte-identical across Go releases and only the PCG algorithm
// itself is specified.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64, index int, stream uint64) *rng {
	// Mixing the stream into the second word keeps report i of seed s
	// independent of report i of seed s+1 (a plain add would not).
	return &rng{src: rand.NewPCG(seed, uint64(index)*0x9E3779B97F4A7C15^stream)}
}

// intn returns a number in [0, n); n <= 0 gives 0.
func (r *rng) intn(n int64) int64 {
	if n <= 0 {
		return 0
	}
	// Rejection sampling keeps the result exactly uniform.
	max := ^uint64(0) - ^uint64(0)%uint64(n)
	for {
		v := r.src.Uint64()
		if v < max {
			return int64(v % uint64(n))
		}
	}
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// chance is true with probability p/100.
func (r *rng) chance(percent int64) bool { return r.intn(100) < percent }

// unit is a float in [0, 1).
func (r *rng) unit() float64 { return float64(r.src.Uint64()>>11) / (1 << 53) }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(int64(len(xs)))] }

// weighted returns an index drawn with the given weights.
func (r *rng) weighted(weights []int64) int {
	var total int64
	for _, w := range weights {
		total += w
	}
	x := r.intn(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
