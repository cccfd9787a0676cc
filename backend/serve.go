package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"synclab/backend/api"
	"synclab/backend/appserver"
	"synclab/backend/server"
	"synclab/frontend"
	"synclab/lang"
)

// serveUsage heads serve's help.
func serveUsage() lang.Text {
	return lang.Say("Usage: go run ./backend [flags]\n\nServes the REST API and the app.\n\n",
		"Aufruf: go run ./backend [Optionen]\n\nStellt die REST-API und die App bereit.\n\n")
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backend", stderr)
	var (
		db        dbFlags
		apiAddr   = fs.String("api", "localhost:3000", "address of the REST API (the app's code calls http://localhost:3000)")
		appAddr   = fs.String("app", "localhost:8080", "address the app is served on")
		labMode   = fs.Bool("lab", false, "enable fault injection and the request log under /_lab/ (for the simulator and checks)")
		maxUpload = fs.Int64("max-upload", api.DefaultMaxUpload, "largest photo accepted, in bytes")
		step      = fs.String("step", frontend.Latest, "app checkpoint to serve on -app: 00 … 08, or latest")
		appDir    = fs.String("app-dir", "", "serve your own app folder (index.html, sw.js, src/…) instead of a checkpoint")
		noApp     = fs.Bool("no-app", false, "serve only the REST API")
		langFlag  = fs.String("lang", lang.FromEnv(), "language of the output: de or en")
		course    = fs.String("course", "localhost:8000", `address of the course, step browser and slides ("" or off: none; -no-app turns it off too)`)
	)
	db.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, serveUsage().In(argLang(args)))
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{lang.Err(lang.Say("unexpected argument %q (commands: import, export, seed, export-step)", "unerwartetes Argument %q (Befehle: import, export, seed, export-step)", fs.Arg(0)))}
	}
	logger := db.logger(stderr)
	mongoOpts, err := db.mongoOptions(logger)
	if err != nil {
		return err
	}
	var (
		app     http.Handler
		appDesc string
	)
	t := textsFor(*langFlag)
	courseLn, err := listenCourse(*course, *noApp)
	if err != nil {
		return t.explain(err)
	}
	if courseLn != nil {
		defer courseLn.Close()
	}
	if !*noApp {
		fsys, desc, err := appFiles(ctx, *step, *appDir, *langFlag, logger)
		if err != nil {
			return err
		}
		app, appDesc = appserver.New(fsys, logger), desc
	}
	srv, err := server.Start(ctx, server.Config{
		APIAddr:   *apiAddr,
		AppAddr:   *appAddr,
		App:       app,
		Mongo:     mongoOpts,
		Lab:       *labMode,
		MaxUpload: *maxUpload,
		Logger:    logger,
	})
	if err != nil {
		return t.explain(err)
	}
	var courseSrv *courseServer
	if courseLn != nil {
		courseSrv = serveCourse(ctx, courseLn, *course, logger)
	}
	fmt.Fprintf(stdout, "%s\n", t.title)
	fmt.Fprintf(stdout, "  %-10s %s/posts\n", t.api, srv.APIURL)
	if srv.AppURL != "" {
		fmt.Fprintf(stdout, "  %-10s %s/  (%s)\n", t.app, srv.AppURL, appDesc)
	}
	if courseSrv != nil {
		fmt.Fprintf(stdout, "  %-10s %s/  (%s)\n", t.course, courseSrv.url, courseSrv.describe(t))
	}
	fmt.Fprintf(stdout, "  %-10s %s\n", t.mongo, t.describeDB(srv.DB))
	if srv.Lab != nil {
		fmt.Fprintf(stdout, "  "+t.lab+"\n", srv.APIURL)
	}
	fmt.Fprintf(stdout, "%s\n", t.stop)

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-srv.Err():
	}
	fmt.Fprintf(stdout, "%s\n", t.stopping)
	sctx, cancel := waitShutdown(15 * time.Second)
	defer cancel()
	if courseSrv != nil {
		_ = courseSrv.srv.Shutdown(sctx)
	}
	if err := srv.Shutdown(sctx); err != nil && runErr == nil {
		runErr = fmt.Errorf("shutdown: %w", err)
	}
	if runErr == nil {
		fmt.Fprintf(stdout, "%s\n", t.stopped)
	}
	return runErr
}

// appFiles picks what the app server shows: a student's folder or a
// checkpoint, each with the npm libraries the app uses.
func appFiles(ctx context.Context, step, appDir, lang string, logger *slog.Logger) (fs.FS, string, error) {
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if appDir != "" {
		if err != nil {
			// A student's folder usually brings its own copies of the libraries.
			logger.Warn("serving the folder without the course's libraries", "err", err)
			vendor = nil
		}
		fsys, abs, err := frontend.StudentFolder(appDir, vendor)
		if err != nil {
			return nil, "", err
		}
		return fsys, abs, nil
	}
	if err != nil {
		return nil, "", err
	}
	s, err := frontend.FindStep(step)
	if err != nil {
		return nil, "", usageError{err}
	}
	fsys, err := frontend.App(s.ID, vendor)
	if err != nil {
		return nil, "", err
	}
	return fsys, fmt.Sprintf("checkpoint %s: %s", s.ID, s.Title.In(lang)), nil
}
