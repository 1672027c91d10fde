package layout_test

import (
	"reflect"
	"testing"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// stableFonts lets layout remember cells set with the fake fonts.
type stableFonts struct{ *layouttest.Fonts }

func (stableFonts) SegmentsStable() {}

// TestRememberedCellsSetAsFresh lays out tables of labels with fonts whose
// cells layout remembers, again and again and with changed widths and
// title words, and compares each result with the same document laid out
// with fonts it does not remember cells for.
func TestRememberedCellsSetAsFresh(t *testing.T) {
	fresh := layouttest.NewFonts()
	remembered := stableFonts{fresh}
	doc := func(scale float64, words []string) *render.Document {
		tbl := layouttest.TableB()
		for i := range tbl.Columns {
			tbl.Columns[i] *= scale
		}
		return &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles(), TitleWords: words, Blocks: []render.Block{tbl}}
	}
	for round := range 2 {
		for _, scale := range []float64{1, 0.7, 0.5} {
			for _, words := range [][]string{nil, {"社会公益", "法律服务"}} {
				want, err := layout.Layout(doc(scale, words), fresh)
				if err != nil {
					t.Fatal(err)
				}
				got, err := layout.Layout(doc(scale, words), remembered)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d, scale %v, words %q: remembered cells set differently", round, scale, words)
				}
			}
		}
	}
}
