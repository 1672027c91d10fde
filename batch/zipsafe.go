package batch

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits bound what one batch may make the process read. Zero fields take
// the defaults.
type Limits struct {
	MaxReportBytes int64   // one report (default 8 MiB)
	MaxInputs      int     // reports in one stream or archive (default 100,000)
	MaxZipEntries  int     // entries of one archive, reports or not (default 100,000)
	MaxZipTotal    int64   // declared uncompressed size of one archive (default 4 GiB)
	MaxZipRatio    float64 // uncompressed/compressed for an entry over 1 MiB, and for the whole archive (default 200)
}

// DefaultLimits are what the command line uses.
func DefaultLimits() Limits {
	return Limits{MaxReportBytes: 8 << 20, MaxInputs: 100_000, MaxZipEntries: 100_000, MaxZipTotal: 4 << 30, MaxZipRatio: 200}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxReportBytes <= 0 {
		l.MaxReportBytes = d.MaxReportBytes
	}
	if l.MaxInputs <= 0 {
		l.MaxInputs = d.MaxInputs
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = d.MaxZipEntries
	}
	if l.MaxZipTotal <= 0 {
		l.MaxZipTotal = d.MaxZipTotal
	}
	if l.MaxZipRatio <= 0 {
		l.MaxZipRatio = d.MaxZipRatio
	}
	return l
}

// ErrUnsafeZip is wrapped by every rejection of an archive; the message
// says which entry and why.
var ErrUnsafeZip = errors.New("unsafe zip archive")

// ZipError is one reason to reject an archive. It wraps ErrUnsafeZip, or
// for an archive that is merely over a limit of this service (a report too
// large, too many reports) ErrTooLarge or ErrTooManyInputs instead, so that
// an HTTP front end can answer 413 rather than 400.
type ZipError struct {
	Entry  string // the entry name as stored (quoted with %q in Error)
	Reason string
	Limit  error // ErrTooLarge or ErrTooManyInputs; nil: ErrUnsafeZip
}

func (e *ZipError) Error() string {
	if e.Entry == "" {
		return "zip: " + e.Reason
	}
	return fmt.Sprintf("zip: entry %q: %s", e.Entry, e.Reason)
}

func (e *ZipError) Unwrap() error {
	if e.Limit != nil {
		return e.Limit
	}
	return ErrUnsafeZip
}

// zipEntry is a report entry that passed the checks.
type zipEntry struct {
	name string // cleaned, slash-separated
	file *zip.File
}

// ratioFloor: entries smaller than this are not held to the ratio limit;
// small JSON compresses well and cannot hurt.
const ratioFloor = 1 << 20

// CheckZip rejects archives that are unsafe to read, and lists the report
// entries (*.json, not directories, not macOS resource forks) in name
// order. size is the archive's size in bytes. Every entry is checked, not
// only the reports: an archive crafted to attack one tool is not trusted
// for the rest of its content either.
func CheckZip(zr *zip.Reader, size int64, limits Limits) ([]zipEntry, error) {
	limits = limits.withDefaults()
	if len(zr.File) > limits.MaxZipEntries {
		return nil, &ZipError{Reason: fmt.Sprintf("%d entries, more than the limit of %d (possible zip bomb)", len(zr.File), limits.MaxZipEntries)}
	}
	var total uint64
	seen := map[string]string{}
	var reports []zipEntry
	for _, f := range zr.File {
		name, err := checkEntryName(f)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(norm.NFC.String(strings.TrimSuffix(name, "/")))
		if prev, dup := seen[key]; dup {
			if prev == f.Name {
				return nil, &ZipError{Entry: f.Name, Reason: "appears twice in the archive; which copy is meant is ambiguous"}
			}
			return nil, &ZipError{Entry: f.Name, Reason: fmt.Sprintf("duplicates entry %q (names differing only in letter case or Unicode normalisation collide on Windows and macOS)", prev)}
		}
		seen[key] = f.Name

		total += f.UncompressedSize64
		if total > uint64(limits.MaxZipTotal) {
			return nil, &ZipError{Entry: f.Name, Reason: fmt.Sprintf("archive expands to more than %d bytes (possible zip bomb)", limits.MaxZipTotal)}
		}
		if f.UncompressedSize64 > ratioFloor && float64(f.UncompressedSize64) > limits.MaxZipRatio*float64(max(f.CompressedSize64, 1)) {
			return nil, &ZipError{Entry: f.Name, Reason: fmt.Sprintf("compression ratio %.0f:1 is over the limit of %.0f:1 (possible zip bomb)",
				float64(f.UncompressedSize64)/float64(max(f.CompressedSize64, 1)), limits.MaxZipRatio)}
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, &ZipError{Entry: f.Name, Reason: fmt.Sprintf("unsupported compression method %d (only stored and deflated entries are read)", f.Method)}
		}
		if f.Flags&0x1 != 0 {
			return nil, &ZipError{Entry: f.Name, Reason: "is encrypted"}
		}
		if f.Mode().IsDir() || strings.HasSuffix(name, "/") || !isReport(name) {
			continue
		}
		if int64(f.UncompressedSize64) > limits.MaxReportBytes {
			return nil, &ZipError{Entry: f.Name, Reason: fmt.Sprintf("report of %d bytes is over the limit of %d", f.UncompressedSize64, limits.MaxReportBytes), Limit: ErrTooLarge}
		}
		reports = append(reports, zipEntry{name: name, file: f})
	}
	if total > ratioFloor && float64(total) > limits.MaxZipRatio*float64(max(size, 1)) {
		return nil, &ZipError{Reason: fmt.Sprintf("archive of %d bytes expands to %d bytes, a ratio over %.0f:1 (possible zip bomb)", size, total, limits.MaxZipRatio)}
	}
	if err := checkOverlap(zr.File); err != nil {
		return nil, err
	}
	if len(reports) > limits.MaxInputs {
		return nil, &ZipError{Reason: fmt.Sprintf("%d reports, more than the limit of %d", len(reports), limits.MaxInputs), Limit: ErrTooManyInputs}
	}
	slices.SortFunc(reports, func(a, b zipEntry) int { return strings.Compare(a.name, b.name) })
	return reports, nil
}

// isReport: *.json, except macOS metadata (__MACOSX/, ._name) that Finder
// adds to archives and that is not JSON.
func isReport(name string) bool {
	if strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), "._") {
		return false
	}
	return isReportName(name)
}

// checkEntryName rejects names that would escape the folder they are
// extracted into (zip-slip), that are not UTF-8, or that no file system can
// hold; it returns the cleaned name.
func checkEntryName(f *zip.File) (string, error) {
	name := f.Name
	reject := func(reason string) (string, error) { return "", &ZipError{Entry: name, Reason: reason} }
	switch {
	case name == "":
		return reject("has an empty name")
	case !utf8.ValidString(name):
		return reject("name is not UTF-8 (probably GBK from a Windows zip tool); re-create the archive with UTF-8 names, e.g. 7-Zip with -mcu=on")
	case strings.ContainsRune(name, '\\'):
		return reject("name contains a backslash, which Windows tools extract as a folder separator (can escape the folder: zip-slip)")
	case strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':'):
		return reject("name is an absolute path (escapes the folder: zip-slip)")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		return reject("name contains control characters")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == ".." {
			return reject(`name contains ".." (escapes the folder: zip-slip)`)
		}
	}
	clean := path.Clean(name)
	if clean == "." || strings.HasPrefix(clean, "../") || clean == ".." {
		return reject("name escapes the folder (zip-slip)")
	}
	if strings.HasSuffix(name, "/") {
		clean += "/"
	}
	if t := f.Mode().Type(); t != 0 && t != fs.ModeDir {
		// Symbolic links, devices, named pipes: an extracted symlink can
		// point anywhere.
		return reject(fmt.Sprintf("is a %s, not a regular file", f.Mode().Type()))
	}
	return clean, nil
}

// checkOverlap rejects archives whose entries share compressed data, the
// trick of "non-recursive" zip bombs that make many large entries out of one
// small stream.
func checkOverlap(files []*zip.File) error {
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return &ZipError{Entry: f.Name, Reason: "has an unreadable local header: " + err.Error()}
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64), f.Name})
	}
	slices.SortFunc(spans, func(a, b span) int { return int(min(max(a.start-b.start, -1), 1)) })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return &ZipError{Entry: spans[i].name, Reason: fmt.Sprintf("overlaps entry %q (entries sharing compressed data: a zip bomb technique)", spans[i-1].name)}
		}
	}
	return nil
}
