// Package render holds the semantic document model shared by every backend.
//
// A template executed against report data yields a *Document: blocks of
// styled paragraphs and tables with merged cells, plus page setup and named
// styles. Backends (render/pdf, render/docx) are plain functions of a finished
// Document; the PDF backend lays it out itself, the DOCX backend leaves layout
// to Word. Nothing in this package knows about a particular template.
package render
