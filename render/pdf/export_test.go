package pdf

import (
	"gongwen/render"
	"gongwen/render/layout"
)

// RenderColoured renders doc with the default renderer after colouring the
// laid-out text of the first page and every other rule GB/T 9704 red, so
// that the writer's colour operators are tested before templates set
// colours through styles.
func RenderColoured(doc *render.Document, opts Options) ([]byte, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	res, err := layout.Layout(doc, bookFonts{r.book})
	if err != nil {
		return nil, err
	}
	red := render.Color{R: 0xE6, G: 0x00, B: 0x12}
	for i := range res.Pages {
		pg := &res.Pages[i]
		for k := range pg.Texts {
			if i == 0 && k < 3 {
				pg.Texts[k].Color = red
			}
		}
		for k := range pg.Rules {
			if k%2 == 0 {
				pg.Rules[k].Color = red
			}
		}
	}
	return r.write(doc, res, opts)
}
