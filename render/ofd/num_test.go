package ofd

import (
	"strconv"
	"testing"
)

// num must write what strconv writes for the value rounded to 3 decimals.
func TestNum(t *testing.T) {
	var w writer
	for _, v := range []float64{0, -0.0, 1, 12.5, 7.8, 0.0004, 0.0005, -0.0004, -3.2105, 210, 297.00001, 5.6444999, 1e6 + 0.001, -12.345} {
		got := string(w.num(nil, v))
		r := round3(v)
		if r == 0 {
			r = 0
		}
		if want := strconv.FormatFloat(r, 'f', -1, 64); got != want {
			t.Errorf("num(%v) = %s, want %s", v, got, want)
		}
	}
}
