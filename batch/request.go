package batch

import (
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"os"
	"slices"
	"strings"

	"gongwen/report"
)

// ErrUnsupportedInput is wrapped when a batch upload is none of the
// accepted kinds (HTTP 415).
var ErrUnsupportedInput = errors.New("unsupported batch input")

// OpenRequest reads a batch upload by its Content-Type:
//
//   - application/zip: a zip of reports, checked as a whole (CheckZip)
//     before anything is rendered: an unsafe archive is refused with an
//     error wrapping ErrUnsafeZip before any output is sent;
//   - multipart/form-data: every part is a report, or a .zip of reports
//     (by file name or part Content-Type); an unsafe inner zip is one
//     failed input in the manifest;
//   - application/x-ndjson (also application/jsonl, application/ndjson):
//     one report per line.
//
// The whole upload (at most limits.MaxZipTotal bytes) is first spooled to
// a temporary file, not memory. Streaming the response while the request
// is still arriving would need a full-duplex client: Go's HTTP/1 server
// closes the request body once the response starts, and a client that
// sends everything before reading (most do) would deadlock against the
// bounded render window. Spooling also means a too-large upload is refused
// (ErrTooLarge, HTTP 413) before the response starts. Close the source to
// remove the temporary files.
func OpenRequest(contentType string, body io.Reader, limits Limits) (Source, error) {
	u, err := SpoolRequest(contentType, body, limits)
	if err != nil {
		return nil, err
	}
	return u.Open()
}

// ErrUploadBroken wraps an error reading the request body while spooling
// (the client hung up, sent a broken chunked encoding, or was too slow for
// the read deadline): the client's fault, not the service's.
var ErrUploadBroken = errors.New("reading the upload")

// An Upload is a batch request body spooled to a temporary file and
// checked (type, size, report count), not yet opened: a server reads the
// upload at the client's pace before it takes a batch slot, so a slow
// uploader holds no slot (SpoolRequest, then Open under the slot). Open or
// Close it.
type Upload struct {
	file *os.File
	open func(f *os.File) (Source, error)
}

// Close removes the spool file of an upload that is not opened.
func (u *Upload) Close() error { return removeSpool(u.file) }

// Open returns the upload's reports; closing the Source removes the spool.
func (u *Upload) Open() (Source, error) {
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		removeSpool(u.file)
		return nil, err
	}
	src, err := u.open(u.file)
	if err != nil {
		removeSpool(u.file)
		return nil, err
	}
	return &spooledSource{Source: src, file: u.file}, nil
}

// SpoolRequest is the first half of OpenRequest: check the Content-Type
// (before reading anything), read the body into a spool file, count the
// reports. A read error from body is returned as it is (wrapped), so the
// caller can tell a client's timeout or hang-up from a server fault.
func SpoolRequest(contentType string, body io.Reader, limits Limits) (*Upload, error) {
	limits = limits.withDefaults()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("%w: Content-Type %q", ErrUnsupportedInput, contentType)
	}
	var open func(f *os.File) (Source, error)
	var count func(f *os.File) (int, error)
	switch mt {
	case "application/zip", "application/x-zip-compressed":
		open = func(f *os.File) (Source, error) {
			info, err := f.Stat()
			if err != nil {
				return nil, err
			}
			items, err := zipItems(f, info.Size(), "upload.zip", limits)
			if err != nil {
				return nil, err
			}
			return &sliceSource{items: items}, nil
		}
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, fmt.Errorf("%w: multipart without boundary", ErrUnsupportedInput)
		}
		open = func(f *os.File) (Source, error) {
			return &multipartSource{mr: multipart.NewReader(f, params["boundary"]), limits: limits}, nil
		}
		count = func(f *os.File) (int, error) {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return 0, err
			}
			mr := multipart.NewReader(f, params["boundary"])
			n := 0
			for {
				_, err := mr.NextPart()
				if err == io.EOF {
					return n, nil
				}
				if err != nil {
					// A malformed body is reported by the stream itself,
					// in the manifest, with the parts before it rendered.
					return n, nil
				}
				n++
			}
		}
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines":
		open = func(f *os.File) (Source, error) { return NDJSON(f, "line", limits), nil }
		count = func(f *os.File) (int, error) {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return 0, err
			}
			n := 0
			lines := NDJSON(f, "line", Limits{MaxReportBytes: limits.MaxReportBytes, MaxInputs: math.MaxInt})
			for {
				if _, err := lines.Next(); err != nil {
					if err == io.EOF {
						err = nil
					}
					return n, err
				}
				n++
			}
		}
	default:
		return nil, fmt.Errorf("%w: %s (want application/zip, multipart/form-data or application/x-ndjson)", ErrUnsupportedInput, mt)
	}
	f, err := spool(body, limits.MaxZipTotal)
	if err != nil {
		return nil, err
	}
	// Count the reports before the response starts, so that an upload over
	// the limit is a clean refusal (413), not a zip cut short. The parts of
	// an inner zip are counted by CheckZip and while streaming.
	if count != nil {
		n, err := count(f)
		if err == nil && n > limits.MaxInputs {
			err = fmt.Errorf("%w: %d reports, more than the limit of %d", ErrTooManyInputs, n, limits.MaxInputs)
		}
		if err != nil {
			removeSpool(f)
			return nil, err
		}
	}
	return &Upload{file: f, open: open}, nil
}

// spooledSource removes its spool file on Close.
type spooledSource struct {
	Source
	file *os.File
}

func (s *spooledSource) Close() error {
	return errors.Join(s.Source.Close(), removeSpool(s.file))
}

func spool(r io.Reader, max int64) (*os.File, error) {
	f, err := os.CreateTemp("", "gongwen-upload-*")
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUploadBroken, err)
	} else if n > max {
		err = fmt.Errorf("%w: upload larger than %d bytes", ErrTooLarge, max)
	}
	if err != nil {
		removeSpool(f)
		return nil, err
	}
	return f, nil
}

type spoolCloser struct{ f *os.File }

func (s spoolCloser) Close() error { return removeSpool(s.f) }

func removeSpool(f *os.File) error {
	err := f.Close()
	os.Remove(f.Name())
	return err
}

// multipartSource yields the parts of a multipart upload in order.
type multipartSource struct {
	mr      *multipart.Reader
	limits  Limits
	part    int
	count   int
	queued  []Item // the reports of an inner zip
	closers []io.Closer
}

func (s *multipartSource) Next() (Item, error) {
	for {
		if len(s.queued) > 0 {
			it := s.queued[0]
			s.queued = s.queued[1:]
			return s.counted(it)
		}
		p, err := s.mr.NextPart()
		if err != nil {
			return Item{}, err // io.EOF at the end
		}
		s.part++
		name := p.FileName()
		if name == "" {
			name = fmt.Sprintf("part %d (%s)", s.part, p.FormName())
		}
		if isZipName(name) || strings.HasPrefix(p.Header.Get("Content-Type"), "application/zip") {
			f, err := spool(p, s.limits.MaxZipTotal)
			if err != nil {
				if errors.Is(err, ErrTooLarge) {
					s.queued = append(s.queued, Item{Path: name, Err: err})
					continue
				}
				return Item{}, err
			}
			s.closers = append(s.closers, spoolCloser{f})
			info, err := f.Stat()
			if err != nil {
				return Item{}, err
			}
			items, err := zipItems(f, info.Size(), name, s.limits)
			if errors.Is(err, ErrTooManyInputs) {
				// Over the batch's report limit: the stream stops here and
				// the manifest says why (complete: false), as for a count
				// over the limit across parts.
				return Item{}, fmt.Errorf("%s: %w", name, err)
			}
			if err != nil {
				items = []Item{{Path: name, Err: err}}
			}
			s.queued = append(s.queued, items...)
			continue
		}
		data, err := readLimited(p, s.limits.MaxReportBytes)
		if errors.Is(err, ErrTooLarge) {
			return s.counted(Item{Path: name, Err: err})
		}
		if err != nil {
			return Item{}, err
		}
		return s.counted(ItemBytes(name, data))
	}
}

func (s *multipartSource) counted(it Item) (Item, error) {
	if s.count++; s.count > s.limits.MaxInputs {
		return Item{}, fmt.Errorf("%w: more than %d reports", ErrTooManyInputs, s.limits.MaxInputs)
	}
	return it, nil
}

func (s *multipartSource) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// ParseFormats reads a comma-separated list of output formats ("pdf,docx",
// the query parameter and the --format flag); an empty list is both.
func ParseFormats(s string) ([]report.Format, error) {
	var fs []report.Format
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch report.Format(f) {
		case report.PDF, report.DOCX, report.OFD:
			if !slices.Contains(fs, report.Format(f)) {
				fs = append(fs, report.Format(f))
			}
		case "":
		default:
			return nil, fmt.Errorf("%w: %q (valid: pdf, docx, ofd)", report.ErrUnsupportedFormat, f)
		}
	}
	if len(fs) == 0 {
		fs = []report.Format{report.PDF, report.DOCX}
	}
	return fs, nil
}
