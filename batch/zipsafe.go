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

	"golang.org/x/text/encoding/simplifiedchinese"
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
	Entry    string // the entry name (decoded from GB18030 when stored so), quoted with %q in Error
	Reason   string
	ReasonZH string // the same in Chinese, for the clerk (Message)
	Limit    error  // ErrTooLarge or ErrTooManyInputs; nil: ErrUnsafeZip
}

// Message says in Chinese which entry was refused and why.
func (e *ZipError) Message() string {
	reason := e.ReasonZH
	if reason == "" {
		reason = e.Reason
	}
	if e.Entry == "" {
		return "压缩包被拒绝：" + reason
	}
	return fmt.Sprintf("压缩包中的“%s”被拒绝：%s", e.Entry, reason)
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
		return nil, &ZipError{Reason: fmt.Sprintf("%d entries, more than the limit of %d (possible zip bomb)", len(zr.File), limits.MaxZipEntries),
			ReasonZH: fmt.Sprintf("共 %d 个条目，超过上限 %d（疑似压缩炸弹）", len(zr.File), limits.MaxZipEntries)}
	}
	var total uint64
	seen := map[string]string{}
	var reports []zipEntry
	for _, f := range zr.File {
		shown := displayName(f)
		name, err := checkEntryName(f)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(norm.NFC.String(strings.TrimSuffix(name, "/")))
		if prev, dup := seen[key]; dup {
			if prev == shown {
				return nil, &ZipError{Entry: shown, Reason: "appears twice in the archive; which copy is meant is ambiguous",
					ReasonZH: "在压缩包中出现了两次，无法确定用哪一份"}
			}
			return nil, &ZipError{Entry: shown, Reason: fmt.Sprintf("duplicates entry %q (names differing only in letter case or Unicode normalisation collide on Windows and macOS)", prev),
				ReasonZH: fmt.Sprintf("与“%s”重名（仅大小写或 Unicode 写法不同的文件名在 Windows 和 macOS 上会相互覆盖）", prev)}
		}
		seen[key] = shown

		total += f.UncompressedSize64
		if total > uint64(limits.MaxZipTotal) {
			return nil, &ZipError{Entry: shown, Reason: fmt.Sprintf("archive expands to more than %d bytes (possible zip bomb)", limits.MaxZipTotal),
				ReasonZH: fmt.Sprintf("解压后超过 %d 字节（疑似压缩炸弹）", limits.MaxZipTotal)}
		}
		if f.UncompressedSize64 > ratioFloor && float64(f.UncompressedSize64) > limits.MaxZipRatio*float64(max(f.CompressedSize64, 1)) {
			ratio := float64(f.UncompressedSize64) / float64(max(f.CompressedSize64, 1))
			return nil, &ZipError{Entry: shown, Reason: fmt.Sprintf("compression ratio %.0f:1 is over the limit of %.0f:1 (possible zip bomb)", ratio, limits.MaxZipRatio),
				ReasonZH: fmt.Sprintf("压缩比 %.0f:1 超过上限 %.0f:1（疑似压缩炸弹）", ratio, limits.MaxZipRatio)}
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, &ZipError{Entry: shown, Reason: fmt.Sprintf("unsupported compression method %d (only stored and deflated entries are read)", f.Method),
				ReasonZH: fmt.Sprintf("使用了不支持的压缩方法 %d（只支持“存储”和“Deflate”）", f.Method)}
		}
		if f.Flags&0x1 != 0 {
			return nil, &ZipError{Entry: shown, Reason: "is encrypted", ReasonZH: "已加密，无法读取"}
		}
		if f.Mode().IsDir() || strings.HasSuffix(name, "/") || !isReport(name) {
			continue
		}
		if int64(f.UncompressedSize64) > limits.MaxReportBytes {
			return nil, &ZipError{Entry: shown, Reason: fmt.Sprintf("report of %d bytes is over the limit of %d", f.UncompressedSize64, limits.MaxReportBytes),
				ReasonZH: fmt.Sprintf("报告有 %d 字节，超过上限 %d 字节", f.UncompressedSize64, limits.MaxReportBytes), Limit: ErrTooLarge}
		}
		reports = append(reports, zipEntry{name: name, file: f})
	}
	if total > ratioFloor && float64(total) > limits.MaxZipRatio*float64(max(size, 1)) {
		return nil, &ZipError{Reason: fmt.Sprintf("archive of %d bytes expands to %d bytes, a ratio over %.0f:1 (possible zip bomb)", size, total, limits.MaxZipRatio),
			ReasonZH: fmt.Sprintf("压缩包 %d 字节，解压后 %d 字节，压缩比超过 %.0f:1（疑似压缩炸弹）", size, total, limits.MaxZipRatio)}
	}
	if err := checkOverlap(zr.File); err != nil {
		return nil, err
	}
	if len(reports) > limits.MaxInputs {
		return nil, &ZipError{Reason: fmt.Sprintf("%d reports, more than the limit of %d", len(reports), limits.MaxInputs),
			ReasonZH: fmt.Sprintf("含 %d 份报告，超过上限 %d 份", len(reports), limits.MaxInputs), Limit: ErrTooManyInputs}
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

// displayName is the entry's name as the clerk's tool wrote it: UTF-8,
// or, for archives made by Windows' own compressor and most Chinese zip
// tools (GBK/GB18030 names without the UTF-8 flag), decoded from GB18030.
// A name that is neither is returned as stored (checkEntryName refuses it).
func displayName(f *zip.File) string {
	name, _ := decodeEntryName(f)
	return name
}

func decodeEntryName(f *zip.File) (string, string) {
	name := f.Name
	if utf8.ValidString(name) {
		return name, ""
	}
	if f.Flags&0x800 != 0 {
		return name, "name is not UTF-8 although the archive says it is"
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().String(name)
	if err != nil || !utf8.ValidString(dec) || strings.ContainsRune(dec, utf8.RuneError) {
		return name, "name is neither UTF-8 nor GB18030"
	}
	return dec, ""
}

// checkEntryName rejects names that would escape the folder they are
// extracted into (zip-slip), that cannot be decoded, or that no file system
// can hold; it returns the cleaned name. The checks run on the decoded
// name: a GBK character's second byte may be 0x5C, a backslash only
// before decoding.
func checkEntryName(f *zip.File) (string, error) {
	name, bad := decodeEntryName(f)
	reject := func(reason, zh string) (string, error) {
		return "", &ZipError{Entry: name, Reason: reason, ReasonZH: zh}
	}
	switch {
	case bad != "":
		return reject(bad, "文件名既不是 UTF-8 也不是 GBK/GB18030 编码，无法识别")
	case name == "":
		return reject("has an empty name", "文件名为空")
	case strings.ContainsRune(name, '\\'):
		return reject("name contains a backslash, which Windows tools extract as a folder separator (can escape the folder: zip-slip)",
			"文件名含反斜杠，Windows 解压时会当作文件夹分隔符（可能越出解压目录）")
	case strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':'):
		return reject("name is an absolute path (escapes the folder: zip-slip)", "文件名是绝对路径（会越出解压目录）")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		return reject("name contains control characters", "文件名含控制字符")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == ".." {
			return reject(`name contains ".." (escapes the folder: zip-slip)`, "文件名含“..”（会越出解压目录）")
		}
	}
	clean := path.Clean(name)
	if clean == "." || strings.HasPrefix(clean, "../") || clean == ".." {
		return reject("name escapes the folder (zip-slip)", "文件名会越出解压目录")
	}
	if strings.HasSuffix(name, "/") {
		clean += "/"
	}
	if t := f.Mode().Type(); t != 0 && t != fs.ModeDir {
		// Symbolic links, devices, named pipes: an extracted symlink can
		// point anywhere.
		return reject(fmt.Sprintf("is a %s, not a regular file", f.Mode().Type()), "不是普通文件（链接、设备或管道）")
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
			return &ZipError{Entry: displayName(f), Reason: "has an unreadable local header: " + err.Error(), ReasonZH: "本地文件头损坏，无法读取"}
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64), displayName(f)})
	}
	slices.SortFunc(spans, func(a, b span) int { return int(min(max(a.start-b.start, -1), 1)) })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return &ZipError{Entry: spans[i].name, Reason: fmt.Sprintf("overlaps entry %q (entries sharing compressed data: a zip bomb technique)", spans[i-1].name),
				ReasonZH: fmt.Sprintf("与“%s”共用压缩数据（压缩炸弹的手法）", spans[i-1].name)}
		}
	}
	return nil
}
