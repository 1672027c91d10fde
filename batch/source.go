package batch

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Item is one report input.
type Item struct {
	// Path identifies the input in the manifest and in messages: a file
	// path as given ("in/a.json"), a zip entry ("in.zip!/2024/a.json"), or
	// a line of an NDJSON stream ("stdin:3").
	Path string
	// Err is set when the input could not be listed or read at all (an
	// unreadable file, an unsafe zip); such an item is recorded as failed.
	Err  error
	read func() ([]byte, error)
}

// Read returns the raw report. Items from files and zip archives read
// lazily and may be read again; items from streams hold their bytes.
func (it Item) Read() ([]byte, error) {
	if it.Err != nil {
		return nil, it.Err
	}
	if it.read == nil {
		return nil, errors.New("batch: item has no content")
	}
	return it.read()
}

// ItemBytes is an item whose content is already in memory.
func ItemBytes(path string, data []byte) Item {
	return Item{Path: path, read: func() ([]byte, error) { return data, nil }}
}

// Source yields inputs in a deterministic order.
type Source interface {
	// Next returns the next item, or io.EOF after the last. Any other
	// error means the source itself broke (a dropped connection) and no
	// further item can be trusted; problems of a single input are carried
	// by Item.Err instead.
	Next() (Item, error)
	// Close releases temporary files and open archives.
	Close() error
}

// sliceSource yields a fixed list of items.
type sliceSource struct {
	items  []Item
	closer []io.Closer
}

func (s *sliceSource) Next() (Item, error) {
	if len(s.items) == 0 {
		return Item{}, io.EOF
	}
	it := s.items[0]
	s.items = s.items[1:]
	return it, nil
}

func (s *sliceSource) Close() error {
	var errs []error
	for _, c := range s.closer {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Items is a Source over a fixed list (tests, callers with their own list).
func Items(items ...Item) Source { return &sliceSource{items: items} }

// ErrTooLarge is wrapped by errors for inputs over Limits.MaxReportBytes.
var ErrTooLarge = errors.New("input too large")

// readLimited reads all of r, failing when it holds more than max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}

func fileItem(path, display string, limits Limits) Item {
	return Item{Path: display, read: func() ([]byte, error) {
		f, err := openRegular(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLimited(f, limits.MaxReportBytes)
	}}
}

// ErrNotRegular is wrapped for a named pipe, device or socket given or
// found as an input: reading one could block for ever (a FIFO waits for a
// writer), so it is skipped, as a failed input saying why.
var ErrNotRegular = errors.New("not a regular file")

func notRegular(mode fs.FileMode) error {
	kind := "special file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		kind = "socket"
	case mode&fs.ModeDevice != 0:
		kind = "device"
	}
	return fmt.Errorf("%w: a %s, skipped", ErrNotRegular, kind)
}

// openRegular opens a file for reading without ever blocking on it: the
// open is non-blocking (a FIFO that replaced the file since it was listed
// opens at once instead of waiting for a writer) and anything but a
// regular file is refused.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(info.Mode())
	}
	return f, nil
}

// OpenInputs builds the source for the command line: each arg is a report
// file, a directory (searched recursively for *.json, skipping hidden
// entries and the paths in exclude, such as the output directory), a .zip
// of reports, or "-" for NDJSON on stdin. Problems with one argument (a
// missing file, an unsafe zip) become failed items; the batch goes on.
func OpenInputs(args []string, stdin io.Reader, exclude []string, limits Limits) (Source, error) {
	limits = limits.withDefaults()
	src := &sliceSource{}
	excluded := map[string]bool{}
	for _, e := range exclude {
		if abs, err := filepath.Abs(e); err == nil {
			excluded[abs] = true
		}
	}
	stdinUsed := false
	for _, arg := range args {
		if arg == "-" {
			if stdinUsed {
				src.items = append(src.items, Item{Path: "stdin", Err: errors.New("stdin (-) given more than once")})
				continue
			}
			stdinUsed = true
			nd, err := spoolNDJSON(stdin, "stdin", limits)
			if err != nil {
				src.Close()
				return nil, fmt.Errorf("reading NDJSON from stdin: %w", err)
			}
			src.items = append(src.items, nd.items...)
			src.closer = append(src.closer, nd)
			continue
		}
		display := filepath.ToSlash(arg)
		info, err := os.Stat(arg)
		switch {
		case err != nil:
			src.items = append(src.items, Item{Path: display, Err: err})
		case info.IsDir():
			src.items = append(src.items, walkDir(arg, excluded, limits)...)
		case !info.Mode().IsRegular():
			src.items = append(src.items, Item{Path: display, Err: notRegular(info.Mode())})
		case isZipName(arg):
			items, closer := openZipFile(arg, display, limits)
			src.items = append(src.items, items...)
			if closer != nil {
				src.closer = append(src.closer, closer)
			}
		default:
			src.items = append(src.items, fileItem(arg, display, limits))
		}
	}
	return src, nil
}

func isZipName(name string) bool { return strings.EqualFold(filepath.Ext(name), ".zip") }

func isReportName(name string) bool { return strings.EqualFold(filepath.Ext(name), ".json") }

// walkDir lists *.json under root in lexical order (filepath.WalkDir's),
// skipping hidden files and directories (.git, editor backups) and the
// excluded directories (the output directory holds manifest.json, which is
// not a report).
func walkDir(root string, excluded map[string]bool, limits Limits) []Item {
	var items []Item
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			items = append(items, Item{Path: filepath.ToSlash(p), Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if abs, err := filepath.Abs(p); err == nil && excluded[abs] {
				return fs.SkipDir
			}
			return nil
		}
		if !isReportName(d.Name()) {
			return nil
		}
		if t := d.Type(); t&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0 {
			items = append(items, Item{Path: filepath.ToSlash(p), Err: notRegular(t)})
			return nil
		}
		items = append(items, fileItem(p, filepath.ToSlash(p), limits))
		return nil
	})
	if err != nil {
		items = append(items, Item{Path: filepath.ToSlash(root), Err: err})
	}
	return items
}

// openZipFile lists the reports of a zip archive on disk after checking it
// is safe; an unsafe archive is one failed item naming the reason.
func openZipFile(path, display string, limits Limits) ([]Item, io.Closer) {
	f, err := os.Open(path)
	if err != nil {
		return []Item{{Path: display, Err: err}}, nil
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return []Item{{Path: display, Err: err}}, nil
	}
	items, err := zipItems(f, info.Size(), display, limits)
	if err != nil {
		f.Close()
		return []Item{{Path: display, Err: err}}, nil
	}
	return items, f
}

// zipItems checks the archive and lists its *.json entries in name order.
func zipItems(r io.ReaderAt, size int64, display string, limits Limits) ([]Item, error) {
	limits = limits.withDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &ZipError{Reason: "not a readable zip archive: " + err.Error(), ReasonZH: "不是可读取的 zip 压缩包"}
	}
	entries, err := CheckZip(zr, size, limits)
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(entries))
	for _, e := range entries {
		f, name := e.file, e.name
		items = append(items, Item{Path: display + "!/" + e.name, read: func() ([]byte, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			// The declared size was checked; the limit here also stops an
			// entry that decompresses to more than it declares. Either way
			// (archive/zip notices it too, as ErrFormat) the entry is bad,
			// not the batch: a failed input, which a rerun will not retry.
			data, err := readLimited(rc, min(limits.MaxReportBytes, int64(f.UncompressedSize64)))
			if err != nil {
				return nil, &ZipError{Entry: name, Reason: "does not decompress to the size its header declares, or its data is corrupt: " + err.Error(),
					ReasonZH: "解压出的内容与压缩包记录的大小不符，或数据已损坏"}
			}
			return data, nil
		}})
	}
	return items, nil
}

// ndjsonSpool holds an NDJSON stream in a temporary file so that its items
// can be read again (the command line scans inputs before rendering them).
type ndjsonSpool struct {
	file  *os.File
	items []Item
}

func (s *ndjsonSpool) Close() error {
	err := s.file.Close()
	os.Remove(s.file.Name())
	return err
}

func spoolNDJSON(r io.Reader, name string, limits Limits) (*ndjsonSpool, error) {
	f, err := os.CreateTemp("", "gongwen-ndjson-*")
	if err != nil {
		return nil, err
	}
	s := &ndjsonSpool{file: f}
	var offset int64
	lines := NDJSON(r, name, limits)
	for {
		it, err := lines.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.Close()
			return nil, err
		}
		if it.Err != nil {
			s.items = append(s.items, it)
			continue
		}
		data, _ := it.Read()
		if _, err := f.Write(data); err != nil {
			s.Close()
			return nil, err
		}
		off, n := offset, int64(len(data))
		offset += n
		s.items = append(s.items, Item{Path: it.Path, read: func() ([]byte, error) {
			buf := make([]byte, n)
			_, err := f.ReadAt(buf, off)
			return buf, err
		}})
	}
	return s, nil
}

// ndjsonSource reads one report per line; blank lines are skipped, and a
// line over the report size limit is a failed item, not the end of the
// stream.
type ndjsonSource struct {
	r      *bufio.Reader
	name   string
	line   int
	limits Limits
	count  int
}

// NDJSON is a Source over newline-delimited JSON: one report per line,
// named name:LINE (line numbers from 1).
func NDJSON(r io.Reader, name string, limits Limits) Source {
	return &ndjsonSource{r: bufio.NewReaderSize(r, 64<<10), name: name, limits: limits.withDefaults()}
}

func (s *ndjsonSource) Next() (Item, error) {
	for {
		line, tooLong, err := s.readLine()
		if err != nil {
			return Item{}, err
		}
		s.line++
		path := fmt.Sprintf("%s:%d", s.name, s.line)
		if tooLong {
			return Item{Path: path, Err: fmt.Errorf("%w: line longer than %d bytes", ErrTooLarge, s.limits.MaxReportBytes)}, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if s.count++; s.count > s.limits.MaxInputs {
			return Item{}, fmt.Errorf("%w: more than %d reports", ErrTooManyInputs, s.limits.MaxInputs)
		}
		return ItemBytes(path, line), nil
	}
}

// readLine returns the next line without its newline. A line over the
// limit is consumed and reported as tooLong without being kept in memory.
func (s *ndjsonSource) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if !tooLong {
			buf = append(buf, chunk...)
			if int64(len(buf)) > s.limits.MaxReportBytes+1 { // +1: the newline
				tooLong, buf = true, nil
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return bytes.TrimSuffix(buf, []byte("\n")), tooLong, nil
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimSuffix(buf, []byte("\n")), tooLong, nil
	}
}

func (s *ndjsonSource) Close() error { return nil }

// ErrTooManyInputs is wrapped when a stream holds more reports than
// Limits.MaxInputs.
var ErrTooManyInputs = errors.New("too many inputs")
