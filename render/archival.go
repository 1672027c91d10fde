package render

// Attachment is a file an exporter carries inside the document it writes:
// the report data as received, under PDF/A-3b and OFD-A, so that an archive
// can extract it and render it again (gongwen extract, gongwen verify).
// The PDF and OFD exporters share this one type.
type Attachment struct {
	Name        string // file name shown by readers, e.g. "𥔲嘉镇2024年度报告.json"
	MIME        string // e.g. "application/json"
	Description string
	Data        []byte
}
