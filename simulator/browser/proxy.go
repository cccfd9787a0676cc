package browser

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Router is an HTTP proxy for one browser context: it sends requests for the
// origins the app believes in (http://localhost:8080, http://localhost:3000)
// to wherever those servers really listen, and refuses everything else, so
// that no request leaves the machine and tests can run beside a student's own
// servers on the real ports.
type Router struct {
	mu      sync.Mutex
	routes  map[string]*httputil.ReverseProxy // by host:port as the browser asks
	refused []string
	srv     *http.Server
	ln      net.Listener
}

// NewRouter starts a proxy on a free loopback port. routes maps the host the
// app uses (e.g. "localhost:3000") to the address that serves it.
func NewRouter(routes map[string]string) (*Router, error) {
	r := &Router{routes: map[string]*httputil.ReverseProxy{}}
	for from, to := range routes {
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
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, herr := hj.Hijack(); herr == nil {
					_ = conn.Close()
					return
				}
			}
			http.Error(w, "upstream failed: "+err.Error(), http.StatusBadGateway)
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
	return r, nil
}

// Addr is the proxy's address, for --proxy-server.
func (r *Router) Addr() string { return r.ln.Addr().String() }

// Refused lists the requests the proxy refused (anything not routed).
func (r *Router) Refused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.refused...)
}

// ServeHTTP implements http.Handler.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	host := strings.ToLower(req.Host)
	if req.URL.Host != "" {
		host = strings.ToLower(req.URL.Host)
	}
	if req.Method == http.MethodConnect {
		r.refuse(w, "CONNECT "+host)
		return
	}
	if !strings.Contains(host, ":") {
		host += ":80"
	}
	r.mu.Lock()
	rp := r.routes[host]
	r.mu.Unlock()
	if rp == nil {
		r.refuse(w, req.Method+" "+req.URL.String())
		return
	}
	rp.ServeHTTP(w, req)
}

func (r *Router) refuse(w http.ResponseWriter, what string) {
	r.mu.Lock()
	r.refused = append(r.refused, what)
	r.mu.Unlock()
	http.Error(w, "Sync Lab: requests outside the app's origins are refused", http.StatusForbidden)
}

// Close stops the proxy.
func (r *Router) Close(ctx context.Context) error {
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return r.srv.Close()
	}
	return err
}
