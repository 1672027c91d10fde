package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	ctxRequestID = "gongwen.requestID"
	ctxLogger    = "gongwen.logger"
	headerReqID  = "X-Request-Id"
)

// requestID must come first: every later log line and error body carries
// the id. A sane id from a proxy in front is kept so logs join up.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(headerReqID)
	if !saneRequestID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(ctxRequestID, id)
	c.Set(ctxLogger, s.log.With("request_id", id))
	c.Header(headerReqID, id)
	c.Next()
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func requestLogger(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger)
	}
	if fallback != nil {
		return fallback
	}
	return slog.Default()
}

// observe logs one line per request and records request metrics, labelled
// by route pattern (never the raw path: unbounded label values would grow
// the registry without limit).
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.idle.begin()
	defer s.idle.end()
	// Deferred so that a request aborted by panic(http.ErrAbortHandler) (a
	// batch stream cut short) is still logged and counted.
	defer s.record(c, start)
	c.Next()
}

func (s *Server) record(c *gin.Context, start time.Time) {
	elapsed := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	code := strconv.Itoa(status)
	s.metrics.requests.WithLabelValues(route, c.Request.Method, code).Inc()
	s.metrics.requestDuration.WithLabelValues(route, c.Request.Method, code).Observe(elapsed.Seconds())
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	requestLogger(c, s.log).LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("remote", c.ClientIP()),
	)
}

// recoverPanic turns a panic in a handler into a 500 problem document and a
// logged stack; the engine promises never to panic, this is the net below.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			requestLogger(c, s.log).Error("panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.fail(c, fmt.Errorf("panic: %v", v), nil)
			} else {
				c.Abort()
			}
		}
	}()
	c.Next()
}

// requireToken enforces Config.Token. Health probes stay open so that
// orchestrators need no secret; the static page stays open because a
// browser cannot attach a bearer token to a navigation (the page asks for
// the token and sends it with its API calls).
func (s *Server) requireToken(c *gin.Context) {
	if s.cfg.Token == "" || c.Request.Method == http.MethodOptions {
		c.Next()
		return
	}
	got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.cfg.Token)) != 1 {
		s.fail(c, errUnauthorized, nil)
		return
	}
	c.Next()
}

// cors answers only for configured origins; with none configured (the
// default) it adds nothing, so browsers enforce the same-origin policy.
func (s *Server) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if len(s.cfg.CORSOrigins) == 0 || origin == "" {
		c.Next()
		return
	}
	if !slices.Contains(s.cfg.CORSOrigins, "*") && !slices.Contains(s.cfg.CORSOrigins, origin) {
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Content-Disposition, X-Request-Id, Retry-After, Gongwen-Errors")
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
		h.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}
