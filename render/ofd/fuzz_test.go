package ofd_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"gongwen/render/ofd"
)

// FuzzReadArchived: verify and extract hand ReadArchived files users give
// them; whatever the bytes, it returns a record or an error, never panics.
func FuzzReadArchived(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"OFD.xml":                       `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" DocType="OFD-A"><ofd:DocBody><ofd:DocInfo><ofd:CustomDatas><ofd:CustomData Name="gongwen.template">t</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
		"Doc_0/Document.xml":            `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>`,
		"Doc_0/Attachs/Attachments.xml": `<ofd:Attachments xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Attachment ID="1" Name="r.json" Usage="Source" CreationDate="2025-01-20T09:30:00+08:00"><ofd:FileLoc>../../x/../Doc_0/Attachs/source.json</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`,
		"Doc_0/Attachs/source.json":     `{"a":1}`,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ofd.ReadArchived(b)
		if err == nil && a == nil {
			t.Fatal("no record and no error")
		}
	})
}
