package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongwen/batch"
	"gongwen/problem"
	"gongwen/report"
)

// Batch-specific errors; classify maps them with the rest.
var errBatchBusy = errors.New("batch slots taken")

// batchRender streams a zip of many reports' outputs (batch.StreamZip):
// the upload is spooled and checked first, so every refusal (415, 413, an
// unsafe zip) is a problem document before the first byte of the zip; one
// bad report inside is a failed entry of the manifest, never an HTTP error.
func (s *Server) batchRender(c *gin.Context) {
	formats, err := batch.ParseFormats(c.Query("format"))
	if err != nil {
		s.fail(c, &paramError{Name: "format", Value: c.Query("format"), Allowed: report.FormatList + ", comma-separated (pdf,docx)"}, nil)
		return
	}
	opts, err := options(c)
	if err != nil {
		s.fail(c, err, nil)
		return
	}
	if c.Request.ContentLength > s.cfg.BatchMaxBytes {
		s.fail(c, fmt.Errorf("%w: batch of %d bytes", errBodyTooLarge, c.Request.ContentLength), nil)
		return
	}
	// Read the whole upload first, at the client's pace but no slower than
	// BatchMinRate, and only then take a batch slot: a client sending a
	// byte a second must not keep every other batch at 503.
	rc := http.NewResponseController(c.Writer)
	body := &minRateReader{r: http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.BatchMaxBytes), rc: rc,
		start: time.Now(), grace: s.cfg.ReadTimeout, minRate: s.cfg.BatchMinRate, limit: s.cfg.BatchTimeout}
	upload, err := batch.SpoolRequest(c.GetHeader("Content-Type"), body, batch.Limits{MaxZipTotal: s.cfg.BatchMaxBytes, MaxInputs: s.cfg.BatchMaxInputs})
	if err != nil {
		if errors.Is(err, batch.ErrUploadBroken) {
			err = bodyError(err)
		}
		s.fail(c, err, zipProblems(err, opts.Lang))
		return
	}
	// A batch holds its slot for the whole stream; single renders keep the
	// render pool. One more batch than allowed waits for nobody: 503.
	select {
	case s.batches <- struct{}{}:
		defer func() { <-s.batches }()
	default:
		upload.Close()
		s.fail(c, errBatchBusy, nil)
		return
	}
	// The server's write timeout is sized for single renders; a batch
	// legitimately streams for longer.
	_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.BatchTimeout))
	src, err := upload.Open()
	if err != nil {
		s.fail(c, err, zipProblems(err, opts.Lang))
		return
	}
	defer src.Close()

	log := requestLogger(c, s.log)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="gongwen-batch.zip"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	s.metrics.batchesRunning.Inc()
	defer s.metrics.batchesRunning.Dec()
	m, err := batch.StreamZip(c.Request.Context(), s.engine, src, formats, batch.StreamOptions{
		Options: opts,
		Timeout: s.cfg.RequestTimeout,
		Version: s.cfg.Version,
		LogError: func(path string, err error) {
			log.Error("batch input failed", "input", path, "err", err.Error())
		},
	}, c.Writer)
	if m != nil {
		log.Info("batch", "inputs", m.Summary.Inputs, "rendered", m.Summary.Rendered, "failed", m.Summary.Failed, "outputs", m.Summary.Outputs)
	}
	if err != nil {
		// StreamZip fails only when the zip itself could not be completed
		// (inputs that stop early are recorded in a whole zip's manifest).
		// The 200 and part of the zip are sent: cutting the connection is
		// the only way left to tell the client the zip is not whole.
		if c.Request.Context().Err() != nil {
			// The client hung up mid-download: its doing, not a fault.
			log.Info("client fault: went away during the batch stream", "err", err.Error())
		} else {
			log.Error("batch stream broken", "err", err.Error())
		}
		panic(http.ErrAbortHandler)
	}
}

// minRateReader reads a request body under a read deadline that starts at
// grace (the server's normal read timeout) and grows by one second per
// minRate bytes received, never past limit: an upload may take as long as
// its size needs at minRate, and a stalled or trickling one is cut off
// (the read fails with a timeout: 408).
type minRateReader struct {
	r       io.Reader
	rc      *http.ResponseController
	start   time.Time
	grace   time.Duration
	minRate int64 // bytes per second
	limit   time.Duration
	got     int64
}

func (m *minRateReader) Read(p []byte) (int, error) {
	allowed := m.grace + time.Duration(float64(m.got)/float64(m.minRate)*float64(time.Second))
	_ = m.rc.SetReadDeadline(m.start.Add(min(allowed, m.limit)))
	n, err := m.r.Read(p)
	m.got += int64(n)
	return n, err
}

// zipProblems names the refused entry of an unsafe or over-limit archive
// and why, in the problems array of the refusal.
func zipProblems(err error, lang string) []problem.Problem {
	var ze *batch.ZipError
	if !errors.As(err, &ze) {
		return nil
	}
	return []problem.Problem{{Severity: problem.Error, Rule: "zip", Message: problem.Pick(lang, ze.Message(), ze.Error())}}
}
