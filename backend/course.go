package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"synclab/command"
	"synclab/course/site"
	"synclab/lang"
)

// listenCourse binds the course's address, unless the course is off
// ("" or "off", or only the API is served).
func listenCourse(addr string, noApp bool) (net.Listener, error) {
	if addr == "" || addr == "off" || noApp {
		return nil, nil
	}
	return command.Listen(addr, lang.Text{DE: "Der Kurs", EN: "the course"}, "-course")
}

// courseServer serves the course, the step browser and the slides.
type courseServer struct {
	srv *http.Server
	url string
	// err is why the course did not build (its pages then show it).
	err error
}

// serveCourse builds the course and serves it on ln. A course that does
// not build is served as a page that says why, so that authors see it.
func serveCourse(ctx context.Context, ln net.Listener, asked string, logger *slog.Logger) *courseServer {
	c := &courseServer{url: "http://" + displayHost(asked, ln.Addr())}
	var h http.Handler
	src, err := site.RepoSources(ctx, site.RepoOptions{Install: true, Logger: logger})
	if err == nil {
		var s *site.Site
		if s, err = site.Build(ctx, src, site.Options{}); err == nil {
			h = s.Handler()
		}
	}
	if err != nil {
		c.err = err
		logger.Warn("the course does not build", "err", err)
		msg := "The course does not build / Der Kurs lässt sich nicht bauen:\n\n" + err.Error() + "\n"
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, msg, http.StatusInternalServerError)
		})
	}
	c.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	go func() {
		if err := c.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("the course's server stopped", "err", err)
		}
	}()
	return c
}

// describe says what the course's address offers.
func (c *courseServer) describe(t texts) string {
	if c.err != nil {
		first, _, _ := strings.Cut(c.err.Error(), "\n")
		return t.courseBroken + ": " + first
	}
	return t.courseWhat
}

// displayHost keeps the host name asked for with the port bound.
func displayHost(asked string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(asked)
	_, port, err2 := net.SplitHostPort(bound.String())
	if err != nil || err2 != nil {
		return bound.String()
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
