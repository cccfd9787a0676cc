package browser

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"synclab/frontend/mirror"
)

// RouterConfig says where a browser context's requests go.
type RouterConfig struct {
	// Routes maps the host the app uses (e.g. "localhost:3000") to the
	// address that really serves it.
	Routes map[string]string
	// Mirror answers the outside addresses it knows (CDNs) from npm
	// packages; nil answers none.
	Mirror *mirror.Mirror
	// Certs lets the proxy answer https:// outside addresses itself; without
	// it every https:// request outside the app fails at once.
	Certs *Certs
	// PassOutside lets outside requests through to the internet (for a
	// student who wants to see the live page); the checks never set it.
	PassOutside bool
	// OnOutside, if set, is called for each outside request as it happens.
	OnOutside func(OutsideRequest)
	// MaxRequests, if above 0, is how many requests the context may make:
	// the ones after it are refused at once, and OnFlood is called once.
	MaxRequests int
	OnFlood     func(limit int)
	// OnRoute, if set, is called for each request to one of Routes as it
	// starts, before it is passed on (host is the one the app used).
	OnRoute func(method, host, path string)
}

// Outcome is what happened to a request outside the app's origins.
type Outcome string

// The outcomes of outside requests.
const (
	// FromMirror: answered by the local mirror of a CDN.
	FromMirror Outcome = "mirror"
	// Unavailable: answered with a network error, at once.
	Unavailable Outcome = "unavailable"
	// Passed: let through to the internet (-net).
	Passed Outcome = "passed"
)

// OutsideRequest is a request the app made outside its two origins.
type OutsideRequest struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	URL    string    `json:"url"`
	// Dest is the browser's Sec-Fetch-Dest (style, script, font, empty, …).
	Dest    string  `json:"dest,omitempty"`
	Outcome Outcome `json:"outcome"`
	// From is where the mirror's answer came from.
	From string `json:"from,omitempty"`
	// Reason says why the mirror had no answer.
	Reason string `json:"reason,omitempty"`
}

// Router is an HTTP proxy for one browser context: it sends requests for the
// origins the app believes in (http://localhost:8080, http://localhost:3000)
// to wherever those servers really listen, answers well-known CDN addresses
// from the local mirror, and answers everything else with a network error at
// once, so that no request leaves the machine and tests can run beside a
// student's own servers on the real ports.
type Router struct {
	cfg    RouterConfig
	routes map[string]*httputil.ReverseProxy // by host:port as the browser asks
	srv    *http.Server
	ln     net.Listener

	// https:// outside requests, once the proxy took over their tunnel.
	tlsSrv *http.Server
	tlsLn  *connListener

	mu      sync.Mutex
	outside []OutsideRequest

	requests atomic.Int64
}

// NewRouter starts a proxy on a free loopback port.
func NewRouter(cfg RouterConfig) (*Router, error) {
	r := &Router{cfg: cfg, routes: map[string]*httputil.ReverseProxy{}}
	for from, to := range cfg.Routes {
		target, err := url.Parse("http://" + to)
		if err != nil {
			return nil, fmt.Errorf("route %s → %s: %w", from, to, err)
		}
		rp := httputil.NewSingleHostReverseProxy(target)
		rp.Transport = &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     30 * time.Second,
		}
		host := from
		rp.Director = func(req *http.Request) {
			req.URL.Scheme = "http"
			req.URL.Host = target.Host
			// The app's servers see the host the browser used.
			req.Host = host
		}
		rp.ErrorHandler = func(w http.ResponseWriter, req *http.Request, err error) {
			// A dropped connection upstream (the lab's "lost answer") must
			// look the same to the browser: drop ours too.
			if !dropConnection(w) {
				http.Error(w, "upstream failed: "+err.Error(), http.StatusBadGateway)
			}
		}
		r.routes[strings.ToLower(from)] = rp
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the browser's proxy: %w", err)
	}
	r.ln = ln
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	if cfg.Certs != nil && !cfg.PassOutside {
		r.tlsLn = newConnListener(ln.Addr())
		r.tlsSrv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			r.serveOutside(w, req, "https")
		}), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = r.tlsSrv.Serve(r.tlsLn) }()
	}
	return r, nil
}

// Requests returns how many requests the context made through the proxy.
func (r *Router) Requests() int64 { return r.requests.Load() }

// Addr is the proxy's address, for --proxy-server.
func (r *Router) Addr() string { return r.ln.Addr().String() }

// Outside lists the requests the app made outside its two origins, in order.
func (r *Router) Outside() []OutsideRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]OutsideRequest(nil), r.outside...)
}

// Refused lists the outside requests answered with a network error.
func (r *Router) Refused() []string {
	var out []string
	for _, o := range r.Outside() {
		if o.Outcome == Unavailable {
			out = append(out, o.Method+" "+o.URL)
		}
	}
	return out
}

// ServeHTTP implements http.Handler.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	n := r.requests.Add(1)
	if limit := int64(r.cfg.MaxRequests); limit > 0 {
		if n == limit+1 && r.cfg.OnFlood != nil {
			r.cfg.OnFlood(r.cfg.MaxRequests)
		}
		if n > limit {
			http.Error(w, "too many requests during the checks", http.StatusTooManyRequests)
			return
		}
	}
	host := strings.ToLower(req.Host)
	if req.URL.Host != "" {
		host = strings.ToLower(req.URL.Host)
	}
	if req.Method == http.MethodConnect {
		r.connect(w, req, host)
		return
	}
	key := host
	if !strings.Contains(key, ":") {
		key += ":80"
	}
	if rp := r.routes[key]; rp != nil {
		if r.cfg.OnRoute != nil {
			r.cfg.OnRoute(req.Method, host, req.URL.Path)
		}
		rp.ServeHTTP(w, req)
		return
	}
	r.serveOutside(w, req, "http")
}

// connect handles a CONNECT tunnel (an https:// request outside the app).
func (r *Router) connect(w http.ResponseWriter, req *http.Request, hostport string) {
	if r.cfg.PassOutside {
		r.tunnel(w, req, hostport)
		return
	}
	if r.cfg.Certs == nil || r.tlsLn == nil {
		r.record(OutsideRequest{Method: "CONNECT", URL: "https://" + hostport, Outcome: Unavailable, Reason: "https is not intercepted"})
		dropConnection(w)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot take over the tunnel", http.StatusBadGateway)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		_ = conn.Close()
		return
	}
	var raw net.Conn = conn
	if buf != nil && buf.Reader.Buffered() > 0 {
		raw = &bufferedConn{Conn: conn, r: buf.Reader}
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	r.tlsLn.push(tls.Server(raw, r.cfg.Certs.TLSConfig(host)))
}

// serveOutside answers a request outside the app's origins: from the
// mirror, through to the internet (-net), or with a network error.
func (r *Router) serveOutside(w http.ResponseWriter, req *http.Request, scheme string) {
	u := *req.URL
	u.Scheme = scheme
	if u.Host == "" {
		u.Host = req.Host
	}
	if scheme == "https" {
		u.Host = strings.TrimSuffix(u.Host, ":443")
	}
	rec := OutsideRequest{Method: req.Method, URL: u.String(), Dest: req.Header.Get("Sec-Fetch-Dest")}
	if r.cfg.PassOutside {
		rec.Outcome = Passed
		r.record(rec)
		passThrough(w, req, &u)
		return
	}
	if r.cfg.Mirror == nil {
		rec.Outcome, rec.Reason = Unavailable, "no mirror"
		r.record(rec)
		dropConnection(w)
		return
	}
	ans, err := r.cfg.Mirror.Answer(u.String())
	if err != nil {
		rec.Outcome, rec.Reason = Unavailable, err.Error()
		var miss *mirror.Miss
		if errors.As(err, &miss) {
			rec.Reason = miss.Reason
		}
		r.record(rec)
		dropConnection(w)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Timing-Allow-Origin", "*")
	if req.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "*")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rec.Outcome, rec.From = FromMirror, ans.From
	r.record(rec)
	h.Set("Content-Type", ans.Type)
	h.Set("Content-Length", strconv.Itoa(len(ans.Body)))
	h.Set("Cache-Control", "public, max-age=3600")
	w.WriteHeader(ans.Status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(ans.Body)
	}
}

func (r *Router) record(o OutsideRequest) {
	o.Time = time.Now()
	r.mu.Lock()
	r.outside = append(r.outside, o)
	r.mu.Unlock()
	if r.cfg.OnOutside != nil {
		r.cfg.OnOutside(o)
	}
}

// tunnel connects the browser to the real host (-net).
func (r *Router) tunnel(w http.ResponseWriter, req *http.Request, hostport string) {
	r.record(OutsideRequest{Method: "CONNECT", URL: "https://" + hostport, Outcome: Passed})
	up, err := net.DialTimeout("tcp", hostport, 10*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = up.Close()
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		_ = up.Close()
		return
	}
	_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n")
	go func() {
		if buf != nil && buf.Reader.Buffered() > 0 {
			_, _ = io.CopyN(up, buf.Reader, int64(buf.Reader.Buffered()))
		}
		_, _ = io.Copy(up, conn)
		_ = up.Close()
	}()
	go func() {
		_, _ = io.Copy(conn, up)
		_ = conn.Close()
	}()
}

// passThrough forwards a plain http:// request to the real host (-net).
func passThrough(w http.ResponseWriter, req *http.Request, u *url.URL) {
	rp := &httputil.ReverseProxy{
		Director: func(out *http.Request) {
			out.URL = u
			out.Host = u.Host
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			http.Error(w, err.Error(), http.StatusBadGateway)
		},
	}
	rp.ServeHTTP(w, req)
}

// dropConnection closes the client's connection without an answer: the
// browser sees a network error, as when a host cannot be reached.
func dropConnection(w http.ResponseWriter) bool {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return true
		}
	}
	return false
}

// Close stops the proxy.
func (r *Router) Close(ctx context.Context) error {
	if r.tlsSrv != nil {
		_ = r.tlsSrv.Close()
	}
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return r.srv.Close()
	}
	return err
}

// connListener hands connections the proxy took over to an http.Server.
type connListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newConnListener(addr net.Addr) *connListener {
	return &connListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *connListener) push(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.done:
		_ = c.Close()
	}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return l.addr }

// bufferedConn reads what the server had buffered before the connection.
type bufferedConn struct {
	net.Conn
	r io.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
