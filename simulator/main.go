// Command simulator runs one of the chapter's checks (with the steps it
// builds on) or a whole journey against a checkpoint of the chapter's app
// (or a student's folder) in Chrome/Chromium and says whether the app did
// what it expects:
//
//	go run ./simulator -list
//	go run ./simulator -step 07 -check replay
//	go run ./simulator -step 07 -scenario chapter-journey
//	go run ./simulator -app-dir ~/my-app -check replay -headful -slowmo 1s -trace out/
//
// Exit code 0: it passed; 1: it failed (the reason is printed); 2: the
// environment is broken (no browser, bad flags, …).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"synclab/command"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/report"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

const (
	exitPassed = 0
	exitFailed = 1
	exitBroken = 2
)

func main() {
	command.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		step     = fset.String("step", frontend.Latest, "checkpoint to run: 00 … 08 or latest")
		appDir   = fset.String("app-dir", "", "run your own app folder instead of a checkpoint")
		check    = fset.String("check", "", "check to run, with the steps it builds on (see -list; default: replay)")
		journey  = fset.String("scenario", "", "journey to run whole, every check of it (see -list)")
		list     = fset.Bool("list", false, "list the checks and journeys and exit")
		headful  = fset.Bool("headful", false, "show the browser window (for a live demo)")
		slowmo   = fset.Duration("slowmo", 0, "pause after each step, e.g. 1s (for a live demo)")
		traceDir = fset.String("trace", "", "write the timeline to DIR as trace.json and trace.html (with screenshots)")
		timeout  = fset.Duration("timeout", 5*time.Second, "how long each expectation may take")
		langFlag = fset.String("lang", lang.FromEnv(), "language of the output: de or en")
		verbose  = fset.Bool("v", false, "verbose logs")
		net      = fset.Bool("net", false, "let the app's requests to outside addresses (CDNs, …) through to the internet instead of the local mirror; grading never does")
	)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitBroken
	}
	l := *langFlag
	t := report.Lines()
	if *list {
		if err := listScenarios(stdout, l); err != nil {
			fmt.Fprintln(stderr, "simulator:", err)
			return exitBroken
		}
		return exitPassed
	}
	name := *check
	switch {
	case *check != "" && *journey != "":
		fmt.Fprintln(stderr, "simulator: give -check or -scenario, not both")
		return exitBroken
	case *journey != "":
		name = *journey
	case name == "":
		name = "replay"
	}
	sc, err := scenario.Find(name)
	if err != nil {
		fmt.Fprintln(stderr, "simulator:", err)
		return exitBroken
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	app, what, err := appFiles(ctx, *step, *appDir, logger)
	if err != nil {
		fmt.Fprintln(stderr, "simulator:", err)
		return exitBroken
	}
	fmt.Fprintf(stdout, t.Running.In(l)+"\n", sc.Name, what.In(l))
	fmt.Fprintf(stdout, "  %s\n", sc.Purpose.In(l))

	var cdn *mirror.Mirror
	if !*net {
		if cdn, err = mirror.Load(ctx, frontend.VendorOptions{Install: true, Logger: logger}); err != nil {
			fmt.Fprintln(stderr, "simulator:", err)
			return exitBroken
		}
		defer cdn.Close()
	}

	b, err := browser.Launch(ctx, browser.Options{Headful: *headful})
	if err != nil {
		fmt.Fprintln(stderr, "simulator:", err)
		return exitBroken
	}
	defer b.Close()

	res := scenario.Run(ctx, b, app, sc, scenario.Options{
		Session: session.Config{Timeout: *timeout, SlowMo: *slowmo, Screenshots: *traceDir != "", Progress: report.Progress(stdout, *headful, l),
			Mirror: cdn, PassOutside: *net},
		Deadline: 2*time.Minute + 20**slowmo,
	})
	if *traceDir != "" && res.Timeline != nil {
		if err := res.Timeline.Write(*traceDir, fmt.Sprintf("%s on %s", sc.Name, what.EN)); err != nil {
			fmt.Fprintln(stderr, "simulator: write trace:", err)
		} else {
			fmt.Fprintf(stdout, t.TraceAt.In(l)+"\n", filepath.Join(*traceDir, "trace.html"))
		}
	}
	report.Verdict(stdout, res, l)
	switch {
	case res.Passed:
		return exitPassed
	case res.Environment:
		return exitBroken
	default:
		return exitFailed
	}
}

// appFiles returns the app to run and what it is, said in both languages.
func appFiles(ctx context.Context, step, appDir string, logger *slog.Logger) (fs.FS, lang.Text, error) {
	vendor, verr := frontend.Vendor(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if appDir != "" {
		if verr != nil {
			vendor = nil
		}
		fsys, abs, err := frontend.StudentFolder(appDir, vendor)
		return fsys, lang.Same(abs), err
	}
	if verr != nil {
		return nil, lang.Text{}, verr
	}
	st, err := frontend.FindStep(step)
	if err != nil {
		return nil, lang.Text{}, err
	}
	fsys, err := frontend.App(st.ID, vendor)
	return fsys, lang.Say("checkpoint %s", "Checkpoint %s", st.ID), err
}

// listScenarios lists every check under the journey it runs in (or
// alone), with the checkpoint that first passes it.
func listScenarios(w io.Writer, l string) error {
	all, err := scenario.All()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, report.Lines().ListHead.In(l))
	row := func(indent, name, since string, also []string, purpose string) {
		if len(also) > 0 {
			since += " (+" + strings.Join(also, ",") + ")"
		}
		fmt.Fprintf(w, "%s%-*s %-14s %s\n", indent, 32-len(indent), name, since, purpose)
	}
	for _, sc := range all {
		row("  ", sc.Name, sc.Since, sc.AlsoPasses, sc.Purpose.In(l))
		for _, p := range sc.Parts {
			row("    ", p.Name, p.Since, p.AlsoPasses, p.Purpose.In(l))
		}
	}
	return nil
}
