// Package server runs the reference backend: the REST API and, when given,
// the app's static files, each on its own address, with a clean shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"synclab/backend/api"
	"synclab/backend/dbsource"
	"synclab/backend/lab"
	"synclab/backend/posts"
	"synclab/command"
	"synclab/lang"
)

// Config says what to serve and where.
type Config struct {
	// APIAddr is where the REST API listens, e.g. "localhost:3000"; use
	// "127.0.0.1:0" for a free port.
	APIAddr string
	// AppAddr is where App is served; ignored when App is nil.
	AppAddr string
	// App serves the app's files (a checkpoint or a student's folder).
	App http.Handler
	// Mongo are the options for dbsource.Open.
	Mongo []dbsource.Option
	// Lab enables fault injection and the request log under /_lab/.
	Lab bool
	// MaxUpload bounds a photo's size in bytes.
	MaxUpload int64
	Logger    *slog.Logger
}

// Server is a running backend.
type Server struct {
	// APIURL and AppURL are the base URLs actually served (AppURL is empty
	// when no app is served).
	APIURL, AppURL string
	// Store gives direct access to the posts, for tests and tools.
	Store *posts.Store
	// Lab is the fault injector (nil unless Config.Lab).
	Lab *lab.Lab
	// DB is the MongoDB source in use.
	DB *dbsource.Handle

	logger  *slog.Logger
	servers []*http.Server
	stop    context.CancelFunc
	closeDB func(context.Context) error
	errc    chan error
}

// Start opens the database, binds the addresses and serves until Shutdown.
// Ports are bound before the database is opened, so a busy port is reported
// at once.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	apiLn, err := command.Listen(cfg.APIAddr, lang.Text{DE: "Die REST-API", EN: "the REST API"}, "-api")
	if err != nil {
		return nil, err
	}
	var appLn net.Listener
	if cfg.App != nil {
		if appLn, err = command.Listen(cfg.AppAddr, lang.Text{DE: "Die App", EN: "the app"}, "-app"); err != nil {
			_ = apiLn.Close()
			return nil, err
		}
	}
	closeListeners := func() {
		_ = apiLn.Close()
		if appLn != nil {
			_ = appLn.Close()
		}
	}

	db, err := dbsource.Open(ctx, append([]dbsource.Option{dbsource.WithLogger(logger)}, cfg.Mongo...)...)
	if err != nil {
		closeListeners()
		return nil, err
	}
	client, err := db.Connect(ctx)
	if err != nil {
		closeListeners()
		_ = db.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	store := posts.NewStore(client.Database(db.Database), posts.Options{Logger: logger})

	s := &Server{Store: store, DB: db, logger: logger, errc: make(chan error, 2)}
	s.closeDB = func(ctx context.Context) error {
		return errors.Join(client.Disconnect(ctx), db.Close(ctx))
	}
	if cfg.Lab {
		s.Lab = lab.New()
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = stop
	go store.KeepKeysTidy(bg, time.Hour)

	apiHandler := api.New(api.Config{Store: store, Lab: s.Lab, MaxUpload: cfg.MaxUpload, Logger: logger})
	s.APIURL = "http://" + displayAddr(cfg.APIAddr, apiLn.Addr())
	s.serve(apiLn, apiHandler)
	if appLn != nil {
		s.AppURL = "http://" + displayAddr(cfg.AppAddr, appLn.Addr())
		s.serve(appLn, cfg.App)
	}
	return s, nil
}

// displayAddr keeps the host name the user asked for (localhost matters:
// the app must run in a secure context) with the port actually bound.
func displayAddr(asked string, bound net.Addr) string {
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

func (s *Server) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	s.servers = append(s.servers, srv)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.errc <- err
		}
	}()
}

// Err reports a server that stopped on its own.
func (s *Server) Err() <-chan error { return s.errc }

// Shutdown lets in-flight requests finish (until ctx ends), then closes the
// database.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			// Out of time: cut off what is still running.
			_ = srv.Close()
			errs = append(errs, fmt.Errorf("requests still running at shutdown were cut off: %w", err))
		}
	}
	s.stop()
	dbctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	errs = append(errs, s.closeDB(dbctx))
	return errors.Join(errs...)
}
