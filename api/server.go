package api

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gongwen/report"
)

func init() {
	// Debug mode prints every route at start-up and warns on stdout; the
	// service logs through slog instead. GIN_MODE still wins when set.
	if os.Getenv(gin.EnvGinMode) == "" {
		gin.SetMode(gin.ReleaseMode)
	}
}

//go:embed openapi.json
var openAPIDocument []byte

// Server is the HTTP service over one report.Engine. Create it with New;
// it is safe for concurrent use.
type Server struct {
	engine   report.Engine
	cfg      Config
	log      *slog.Logger
	pool     *pool
	metrics  *metrics
	router   *gin.Engine
	handler  http.Handler // router wrapped in withConventions
	assets   map[string]asset
	batches  chan struct{} // one token per running batch
	draining atomic.Bool   // set at shutdown: /readyz fails so load balancers stop sending
	idle     idleTracker   // returns memory to the OS after a burst (Config.IdleFreeAfter)
}

// New builds the server. It does not listen; use Handler or ListenAndServe.
func New(engine report.Engine, cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		engine:  engine,
		cfg:     cfg,
		log:     cfg.Logger,
		pool:    newPool(cfg.PoolSize, cfg.QueueDepth),
		assets:  loadAssets(),
		batches: make(chan struct{}, cfg.BatchConcurrency),
	}
	s.metrics = newMetrics(s.pool)
	s.router = s.routes()
	s.handler = withConventions(s.router)
	return s
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false // a POST redirect would lose its body
	r.RedirectFixedPath = false
	// Log the peer address, not a client-supplied X-Forwarded-For: by
	// default gin trusts every proxy header.
	_ = r.SetTrustedProxies(nil)
	r.Use(s.requestID, s.recoverPanic, s.observe, s.cors)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNoRoute, nil) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethodNotAllowed, nil) })

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/", s.index)
	r.GET("/assets/:name", s.asset)
	r.GET("/problems/*kind", s.problemTypes) // what a problem type URI resolves to

	protected := r.Group("/", s.requireToken)
	protected.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})))
	v1 := protected.Group("/api/v1")
	v1.POST("/render", s.render)
	v1.POST("/validate", s.validate)
	v1.POST("/preview", s.preview)
	v1.POST("/next-year", s.nextYear)
	v1.POST("/batch", s.batchRender)
	v1.GET("/templates", s.listTemplates)
	v1.GET("/templates/*id", s.getTemplate) // ids contain a slash: gov-info-disclosure-annual/2021
	v1.GET("/openapi.json", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
	})
	return r
}

// Handler is the complete HTTP handler, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on addr and serves until ctx is done, then shuts
// down gracefully: /readyz starts failing, the listener closes, and
// in-flight requests (renders included) finish within ShutdownTimeout.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve is ListenAndServe on an existing listener, which it closes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		// Long enough for a request that queued and rendered to its deadline.
		WriteTimeout:   s.cfg.RequestTimeout + 15*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("listening", "addr", ln.Addr().String(), "pool", s.cfg.PoolSize, "queue", s.cfg.QueueDepth,
		"max_body_bytes", s.cfg.MaxBodyBytes, "auth", s.cfg.Token != "", "cors", len(s.cfg.CORSOrigins) > 0)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	idleCtx, stopIdle := context.WithCancel(ctx)
	idleDone := make(chan struct{})
	go func() { defer close(idleDone); s.idle.watch(idleCtx, s.cfg.IdleFreeAfter) }()
	defer func() { stopIdle(); <-idleDone }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down", "in_flight", s.pool.busy(), "waiting", s.pool.waiting())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("graceful shutdown: %w", err), hs.Close())
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	s.log.Info("stopped")
	return err
}
