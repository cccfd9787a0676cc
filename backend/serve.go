package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"synclab/backend/api"
	"synclab/backend/server"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backend", stderr)
	var (
		db        dbFlags
		apiAddr   = fs.String("api", "localhost:3000", "address of the REST API (the app's code calls http://localhost:3000)")
		appAddr   = fs.String("app", "localhost:8080", "address the app is served on")
		labMode   = fs.Bool("lab", false, "enable fault injection and the request log under /_lab/ (for the simulator and checks)")
		maxUpload = fs.Int64("max-upload", api.DefaultMaxUpload, "largest photo accepted, in bytes")
	)
	db.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./backend [flags]\n\nServes the REST API and the app.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (commands: import, export, seed)", fs.Arg(0))}
	}
	logger := db.logger(stderr)
	mongoOpts, err := db.mongoOptions(logger)
	if err != nil {
		return err
	}
	srv, err := server.Start(ctx, server.Config{
		APIAddr:   *apiAddr,
		AppAddr:   *appAddr,
		Mongo:     mongoOpts,
		Lab:       *labMode,
		MaxUpload: *maxUpload,
		Logger:    logger,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Sync Lab backend\n")
	fmt.Fprintf(stdout, "  REST API:  %s/posts\n", srv.APIURL)
	if srv.AppURL != "" {
		fmt.Fprintf(stdout, "  App:       %s/\n", srv.AppURL)
	}
	fmt.Fprintf(stdout, "  MongoDB:   %s\n", describeDB(srv.DB))
	if srv.Lab != nil {
		fmt.Fprintf(stdout, "  Lab hooks: %s/_lab/ (fault injection and request log)\n", srv.APIURL)
	}
	fmt.Fprintf(stdout, "Press Ctrl-C to stop.\n")

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-srv.Err():
	}
	fmt.Fprintf(stdout, "Stopping: letting running requests finish …\n")
	sctx, cancel := waitShutdown(15 * time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && runErr == nil {
		runErr = fmt.Errorf("shutdown: %w", err)
	}
	if runErr == nil {
		fmt.Fprintf(stdout, "Stopped.\n")
	}
	return runErr
}
