package ofd

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// Archived is what an OFD written by gongwen says about itself: its
// profile, the source data it carries and the provenance it records.
type Archived struct {
	Standard   Standard    // StandardA for DocType OFD-A
	Source     *Attachment // the attachment with Usage "Source"; nil if none
	Provenance []Property  // the gongwen.* CustomData entries, prefix removed, in file order
	Created    time.Time   // the source attachment's CreationDate, else DocInfo's (a day); zero if neither parses
}

// ErrNotOFD is returned by ReadArchived for input that is not an OFD
// package.
var ErrNotOFD = errors.New("ofd: not a readable OFD package")

// maxPart bounds what ReadArchived inflates of one part.
const maxPart = 64 << 20

// ReadArchived reads back the archival facts of an OFD (`gongwen extract`
// and `gongwen verify` call it). It reads OFD.xml, the document root and
// its attachments; it never panics and never runs as part of Render.
func ReadArchived(file []byte) (*Archived, error) {
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotOFD, err)
	}
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f := parts[name]
		if f == nil {
			return nil, fmt.Errorf("%s is missing", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, maxPart+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(data) > maxPart {
			return nil, fmt.Errorf("%s: larger than %d bytes", name, maxPart)
		}
		return data, nil
	}
	parse := func(name string, v any) error {
		data, err := read(name)
		if err != nil {
			return err
		}
		if err := xml.Unmarshal(data, v); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}

	var root struct {
		DocType string `xml:"DocType,attr"`
		Body    []struct {
			Info struct {
				CreationDate string `xml:"CreationDate"`
				Custom       []struct {
					Name  string `xml:"Name,attr"`
					Value string `xml:",chardata"`
				} `xml:"CustomDatas>CustomData"`
			} `xml:"DocInfo"`
			Root string `xml:"DocRoot"`
		} `xml:"DocBody"`
	}
	if err := parse("OFD.xml", &root); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotOFD, err)
	}
	if len(root.Body) == 0 {
		return nil, fmt.Errorf("%w: OFD.xml has no DocBody", ErrNotOFD)
	}
	a := &Archived{Standard: StandardNone}
	if root.DocType == "OFD-A" {
		a.Standard = StandardA
	}
	body := root.Body[0]
	for _, c := range body.Info.Custom {
		if name, ok := strings.CutPrefix(c.Name, provenancePrefix); ok {
			a.Provenance = append(a.Provenance, Property{Name: name, Value: c.Value})
		}
	}
	if d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(body.Info.CreationDate), china); err == nil {
		a.Created = d
	}

	docPath := partPath("", body.Root)
	var doc struct {
		Attachments []string `xml:"Attachments"`
	}
	if err := parse(docPath, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotOFD, err)
	}
	for _, loc := range doc.Attachments {
		idxPath := partPath(path.Dir(docPath), loc)
		var idx struct {
			List []struct {
				Name         string `xml:"Name,attr"`
				Format       string `xml:"Format,attr"`
				Usage        string `xml:"Usage,attr"`
				CreationDate string `xml:"CreationDate,attr"`
				FileLoc      string `xml:"FileLoc"`
			} `xml:"Attachment"`
		}
		if err := parse(idxPath, &idx); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotOFD, err)
		}
		for _, at := range idx.List {
			if at.Usage != SourceUsage {
				continue
			}
			data, err := read(partPath(path.Dir(idxPath), at.FileLoc))
			if err != nil {
				return nil, fmt.Errorf("%w: attachment: %w", ErrNotOFD, err)
			}
			a.Source = &Attachment{Name: at.Name, Data: data}
			if at.Format == "json" {
				a.Source.MIME = "application/json"
			}
			if t, err := time.Parse(time.RFC3339, at.CreationDate); err == nil {
				a.Created = t
			}
			return a, nil
		}
	}
	return a, nil
}

// partPath is the package path of loc named in a file under dir (absolute
// locations start at the package root).
func partPath(dir, loc string) string {
	loc = strings.TrimSpace(loc)
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, loc)), "/")
}
