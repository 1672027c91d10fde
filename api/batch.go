package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongwen/batch"
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
		s.fail(c, &paramError{Name: "format", Value: c.Query("format"), Allowed: "pdf, docx, or both as pdf,docx"}, nil)
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
	// A batch holds its slot for the whole stream; single renders keep the
	// render pool. One more batch than allowed waits for nobody: 503.
	select {
	case s.batches <- struct{}{}:
		defer func() { <-s.batches }()
	default:
		s.fail(c, errBatchBusy, nil)
		return
	}
	// The server's read and write timeouts are sized for single renders; a
	// batch legitimately uploads and streams for longer.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Now().Add(s.cfg.BatchTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.BatchTimeout))

	body := http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.BatchMaxBytes)
	src, err := batch.OpenRequest(c.GetHeader("Content-Type"), body, batch.Limits{MaxZipTotal: s.cfg.BatchMaxBytes, MaxInputs: s.cfg.BatchMaxInputs})
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = fmt.Errorf("%w: %w", errBodyTooLarge, err)
		}
		s.fail(c, err, nil)
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
		log.Error("batch stream broken", "err", err.Error())
		panic(http.ErrAbortHandler)
	}
}
