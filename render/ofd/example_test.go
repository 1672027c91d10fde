package ofd_test

import (
	"fmt"
	"log"
	"os"

	"gongwen/render"
	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
)

// A document rendered as OFD-A with the report it came from attached, then
// read back. (No output is checked: it needs the machine's fonts.)
func ExampleRenderer_Render() {
	var doc *render.Document // from report.Pipeline.Validate
	raw, _ := os.ReadFile("report.json")

	r, err := ofd.Default() // the process-wide font book, parsed once
	if err != nil {
		log.Fatal(err)
	}
	pkg, err := r.Render(doc, ofd.Options{
		Standard: ofd.StandardA,
		Source:   &ofd.Attachment{Name: "report.json", MIME: "application/json", Data: raw},
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := ofdcheck.Check(pkg); err != nil { // tests check every package they write
		log.Fatal(err)
	}
	a, _ := ofd.ReadArchived(pkg)
	fmt.Println(a.Standard, len(a.Source.Data) == len(raw))
}
