package http

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/arv-project/arv"
)

// Defaults of the Server's options.
const (
	DefaultAddr         = "127.0.0.1:8080"
	DefaultSessionTTL   = 12 * time.Hour
	DefaultMaxBodyBytes = 64 << 10
)

// shutdownTimeout is how long Close waits for requests in flight.
const shutdownTimeout = 10 * time.Second

// heartbeatInterval is how often an idle event stream sends a comment.
const heartbeatInterval = 15 * time.Second

// SessionCookie is the name of the session cookie.
const SessionCookie = "arv_session"

// CSRFHeader is the request header that must carry the session's CSRF
// token on unsafe requests.
const CSRFHeader = "X-CSRF-Token"

// Server serves arv.Services over HTTP: the JSON API and the pages. Set its fields before calling
// Handler or Open; they must not change afterwards.
type Server struct {
	// Services does the work. Each route checks its permission before
	// its handler runs, and the services check every permission again.
	Services arv.Services
	// Events feeds GET /api/v1/events; nil answers it with
	// not_implemented.
	Events arv.EventService
	// Now returns the time (default time.Now); tests set it to control
	// sign-in rate limiting and default query ranges.
	Now func() time.Time
	// Logger receives internal errors (default slog.Default()).
	Logger *slog.Logger
	// Addr is the address Open listens on (default DefaultAddr);
	// "127.0.0.1:0" picks a free port.
	Addr string
	// SessionTTL is the life of a session (default 12 hours).
	SessionTTL time.Duration
	// Secure sets the Secure flag on the session cookie and sends
	// Strict-Transport-Security: set it when clients reach the server over
	// TLS (directly or through a proxy).
	Secure bool
	// Roads are drawn on the control-room map (GET /map); without them
	// the map page says no map is loaded.
	Roads []MapLine
	// Planner makes the planning page's reports, kept through Services;
	// nil: no planning page.
	Planner Planner
	// PlanTimeout bounds one plan run from the planning page (default
	// DefaultPlanTimeout).
	PlanTimeout time.Duration
	// MaxBodyBytes limits request bodies (default 64 KiB); larger bodies
	// are refused with too_large.
	MaxBodyBytes int64

	initOnce  sync.Once
	handler   http.Handler
	mux       *http.ServeMux
	limiter   *loginLimiter
	roadLayer roadLayer
	plans     planRunner
	heartbeat time.Duration
	// closing is closed by Close, ending event streams.
	closing chan struct{}

	mu       sync.Mutex
	ln       net.Listener
	srv      *http.Server
	closed   bool
	closeErr error
}

// NewServer returns a server with the default options.
func NewServer() *Server {
	return &Server{
		Now:          time.Now,
		Logger:       slog.Default(),
		Addr:         DefaultAddr,
		SessionTTL:   DefaultSessionTTL,
		MaxBodyBytes: DefaultMaxBodyBytes,
	}
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Server) sessionTTL() time.Duration {
	if s.SessionTTL <= 0 {
		return DefaultSessionTTL
	}
	return s.SessionTTL
}

func (s *Server) maxBodyBytes() int64 {
	if s.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return s.MaxBodyBytes
}

// init builds the handler once.
func (s *Server) init() {
	s.initOnce.Do(func() {
		s.limiter = newLoginLimiter()
		if s.heartbeat <= 0 {
			s.heartbeat = heartbeatInterval
		}
		s.mu.Lock()
		if s.closing == nil {
			s.closing = make(chan struct{})
		}
		s.mu.Unlock()
		s.mux = http.NewServeMux()
		for _, rt := range routes {
			s.mux.Handle(rt.Method+" "+rt.Pattern, s.route(rt))
		}
		s.mux.HandleFunc("/", s.handleNoRoute)
		s.handler = http.HandlerFunc(s.serveHTTP)
	})
}

// Handler returns the server's handler, for tests and for serving it
// behind another server.
func (s *Server) Handler() http.Handler {
	s.init()
	return s.handler
}

// Open listens on Addr and serves in a goroutine until Close.
func (s *Server) Open() error {
	h := s.Handler()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("http: server closed")
	}
	if s.ln != nil {
		return errors.New("http: server already open")
	}
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
	go func(srv *http.Server) {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger().Error("http serve", "err", err)
		}
	}(s.srv)
	return nil
}

// URL returns the base URL the server listens on ("http://127.0.0.1:PORT"),
// or "" before Open. An unspecified host (":8080") is given as localhost.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	host, port, err := net.SplitHostPort(s.ln.Addr().String())
	if err != nil {
		return "http://" + s.ln.Addr().String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Close ends event streams and shuts the server down gracefully, waiting
// up to ten seconds for requests in flight. It is safe to call more than
// once; later calls return the first call's result.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		defer s.mu.Unlock()
		return s.closeErr
	}
	s.closed = true
	if s.closing == nil {
		s.closing = make(chan struct{})
	}
	close(s.closing)
	srv := s.srv
	s.mu.Unlock()

	// A plan running in the background is cancelled and waited for.
	s.plans.close()
	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err = srv.Shutdown(ctx); err != nil {
			err = errors.Join(err, srv.Close())
		}
	}
	s.mu.Lock()
	s.closeErr = err
	s.mu.Unlock()
	return err
}

// done returns a channel closed when Close is called.
func (s *Server) done() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// serveHTTP sets the security headers of every response, recovers from
// panics outside the routes (which recover their own, to answer in their
// kind), and hands the request to the router.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if s.Secure {
		h.Set("Strict-Transport-Security", "max-age=63072000")
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.writeError(w, r, panicError{v})
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// panicError carries a recovered panic to the log.
type panicError struct{ v any }

func (e panicError) Error() string { return "panic: " + slog.AnyValue(e.v).String() }

// handleHealth answers GET /healthz.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// handleNoRoute answers paths no route matches: 405 with Allow when the
// path exists for other methods, 404 otherwise.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeError(w, r, withStatus(http.StatusMethodNotAllowed, arv.EINVALID, "Method %s is not allowed here; use %s.", r.Method, strings.Join(allow, ", ")))
		return
	}
	s.writeError(w, r, arv.Errorf(arv.ENOTFOUND, "No such endpoint."))
}
