package api

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

// The web page is plain HTML, JS and CSS compiled into the binary: no CDN,
// no build step, so it works on an intranet with no way out.
//
//go:embed web
var webFS embed.FS

// assetTypes is explicit rather than mime.TypeByExtension, which reads the
// host's mime.types and so could differ between machines.
var assetTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

func loadAssets() map[string]asset {
	m := map[string]asset{}
	entries, err := fs.ReadDir(webFS, "web")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	for _, e := range entries {
		b, err := webFS.ReadFile("web/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ct, ok := assetTypes[path.Ext(e.Name())]
		if !ok {
			ct = "application/octet-stream"
		}
		m[e.Name()] = asset{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return m
}

func (s *Server) index(c *gin.Context) { s.serveAsset(c, "index.html") }

func (s *Server) asset(c *gin.Context) { s.serveAsset(c, c.Param("name")) }

func (s *Server) serveAsset(c *gin.Context, name string) {
	a, ok := s.assets[name]
	if !ok {
		s.fail(c, errNoRoute, nil)
		return
	}
	h := c.Writer.Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if name == "index.html" {
		// The page loads only its own files and talks only to this origin;
		// blob: is the rendered PDF shown in the page.
		h.Set("Content-Security-Policy", "default-src 'self'; object-src 'self' blob:; frame-src 'self' blob:; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	}
	if c.GetHeader("If-None-Match") == a.etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}
