package report_test

import (
	"io"

	"gongwen/render"
	"gongwen/report"
)

type renderDoc = render.Document

func renderDump(w io.Writer, o *report.Outcome) error {
	if o.Document == nil {
		return nil
	}
	return render.Dump(w, o.Document)
}
