package fonts

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"hash/crc32"
	"io"
	"testing"
)

// The packed program inflates to the program: as zlib (PDF), and as a raw
// stream with its head replaced (DOCX obfuscation), whose CRC is that of
// the bytes it inflates to.
func TestPackedRoundTrip(t *testing.T) {
	b := requireFonts(t)
	chain, err := b.Chain("body")
	if err != nil {
		t.Fatal(err)
	}
	s := buildOne(t, chain[0], "嘉镇人民政府2024年度政务公开工作报告，。")
	zr, err := zlib.NewReader(bytes.NewReader(s.AppendZlib(nil)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr) // checks the Adler-32
	if err != nil || !bytes.Equal(got, s.TTF) {
		t.Fatalf("zlib: %v, equal %v", err, bytes.Equal(got, s.TTF))
	}
	if s.Packed() != s.Packed() {
		t.Error("compressed twice")
	}
	head := bytes.Repeat([]byte{0xA5}, PackedHead)
	block, tail, crc := s.RawDeflate(head)
	got, err = io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(block), bytes.NewReader(tail))))
	want := append(append([]byte(nil), head...), s.TTF[PackedHead:]...)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("raw: %v, equal %v", err, bytes.Equal(got, want))
	}
	if crc != crc32.ChecksumIEEE(want) {
		t.Error("CRC is not that of the inflated bytes")
	}
}
