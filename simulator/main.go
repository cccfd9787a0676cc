// Command simulator runs a scenario against a checkpoint of the chapter's app
// (or a student's folder) in Chrome/Chromium and says whether the app did
// what the scenario expects:
//
//	go run ./simulator -list
//	go run ./simulator -step 07 -scenario offline-replay
//	go run ./simulator -app-dir ~/my-app -scenario offline-replay -headful -slowmo 1s -trace out/
//
// Exit code 0: the scenario passed; 1: it failed (the reason is printed);
// 2: the environment is broken (no browser, bad flags, …).
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
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
)

const (
	exitPassed = 0
	exitFailed = 1
	exitBroken = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		step     = fset.String("step", frontend.Latest, "checkpoint to run: 00 … 08 or latest")
		appDir   = fset.String("app-dir", "", "run your own app folder instead of a checkpoint")
		name     = fset.String("scenario", "offline-replay", "scenario to run (see -list)")
		list     = fset.Bool("list", false, "list the scenarios and exit")
		headful  = fset.Bool("headful", false, "show the browser window (for a live demo)")
		slowmo   = fset.Duration("slowmo", 0, "pause after each step, e.g. 1s (for a live demo)")
		traceDir = fset.String("trace", "", "write the timeline to DIR as trace.json and trace.html (with screenshots)")
		timeout  = fset.Duration("timeout", 5*time.Second, "how long each expectation may take")
		lang     = fset.String("lang", frontend.LangFromEnv(), "language of the output: de or en")
		verbose  = fset.Bool("v", false, "verbose logs")
		net      = fset.Bool("net", false, "let the app's requests to outside addresses (CDNs, …) through to the internet instead of the local mirror; grading never does")
	)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitBroken
	}
	t := texts(*lang)
	if *list {
		listScenarios(stdout, t)
		return exitPassed
	}
	sc, err := scenario.Find(*name)
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
	fmt.Fprintf(stdout, t.running+"\n", sc.Name, what)
	fmt.Fprintf(stdout, "  %s\n", sc.Purpose.In(*lang))

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

	progress := func(stepName string, err error, done bool, d time.Duration) {
		switch {
		case !done && *headful:
			fmt.Fprintf(stdout, "  … %s\n", stepName)
		case !done:
		case err == nil:
			fmt.Fprintf(stdout, "  ✓ %-60s %6d ms\n", stepName, d.Milliseconds())
		default:
			fmt.Fprintf(stdout, "  ✗ %-60s %6d ms\n", stepName, d.Milliseconds())
		}
	}
	res := scenario.Run(ctx, b, app, sc, scenario.Options{
		Timeout: *timeout, SlowMo: *slowmo, Screenshots: *traceDir != "", Progress: progress,
		Deadline: 2*time.Minute + 20**slowmo, Mirror: cdn, PassOutside: *net,
	})
	printOutside(stdout, t, res)
	if res.Session != nil {
		defer res.Session.Close()
		if *traceDir != "" {
			if err := res.Session.WriteTrace(*traceDir, fmt.Sprintf("%s on %s", sc.Name, what)); err != nil {
				fmt.Fprintln(stderr, "simulator: write trace:", err)
			} else {
				fmt.Fprintf(stdout, t.traceAt+"\n", filepath.Join(*traceDir, "trace.html"))
			}
		}
	}
	switch {
	case res.Passed:
		fmt.Fprintf(stdout, t.passed+"\n", sc.Name, res.Duration.Round(time.Millisecond))
		return exitPassed
	case res.Environment:
		fmt.Fprintf(stdout, t.broken+"\n", res.Err)
		return exitBroken
	default:
		fmt.Fprintf(stdout, t.failed+"\n", sc.Name, res.Duration.Round(time.Millisecond), res.Err)
		return exitFailed
	}
}

func appFiles(ctx context.Context, step, appDir string, logger *slog.Logger) (fs.FS, string, error) {
	vendor, verr := frontend.Vendor(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if appDir != "" {
		if verr != nil {
			vendor = nil
		}
		fsys, abs, err := frontend.StudentFolder(appDir, vendor)
		return fsys, abs, err
	}
	if verr != nil {
		return nil, "", verr
	}
	st, err := frontend.FindStep(step)
	if err != nil {
		return nil, "", err
	}
	fsys, err := frontend.App(st.ID, vendor)
	return fsys, "checkpoint " + st.ID, err
}

// printOutside lists the app's requests outside its two origins (once per
// address) and the run's notes.
func printOutside(w io.Writer, t text, res scenario.Result) {
	type seen struct {
		o browser.OutsideRequest
		n int
	}
	var order []string
	byURL := map[string]*seen{}
	for _, o := range res.Outside {
		if byURL[o.URL] == nil {
			order = append(order, o.URL)
			byURL[o.URL] = &seen{o: o}
		}
		byURL[o.URL].n++
	}
	if len(order) > 0 {
		fmt.Fprintln(w, "  "+t.outside)
		for _, u := range order {
			s := byURL[u]
			times := ""
			if s.n > 1 {
				times = fmt.Sprintf(" (%d×)", s.n)
			}
			switch s.o.Outcome {
			case browser.FromMirror:
				fmt.Fprintf(w, "    ✓ %s%s  ← %s\n", u, times, s.o.From)
			case browser.Passed:
				fmt.Fprintf(w, "    → %s%s  (%s)\n", u, times, t.internet)
			default:
				fmt.Fprintf(w, "    ✗ %s%s  (%s)\n", u, times, t.unavailable)
			}
		}
	}
	if len(res.Notes) > 0 {
		fmt.Fprintln(w, "  "+t.notes)
		for _, n := range res.Notes {
			fmt.Fprintf(w, "    - %s\n", n)
		}
	}
}

func listScenarios(w io.Writer, t text) {
	fmt.Fprintln(w, t.listHead)
	for _, sc := range scenario.All() {
		since := sc.Since
		if len(sc.AlsoPasses) > 0 {
			since += " (+" + strings.Join(sc.AlsoPasses, ",") + ")"
		}
		fmt.Fprintf(w, "  %-30s %-14s %s\n", sc.Name, since, sc.Purpose.In(t.lang))
	}
}

type text struct {
	lang, running, passed, failed, broken, traceAt, listHead string
	outside, internet, unavailable, notes                    string
}

func texts(lang string) text {
	if strings.HasPrefix(lang, "en") {
		return text{lang: "en",
			running:  "Scenario %s on %s",
			passed:   "PASSED: %s (%v)",
			failed:   "FAILED: %s (%v)\n  %v",
			broken:   "ENVIRONMENT PROBLEM (not your app): %v",
			traceAt:  "Timeline: %s",
			listHead: "Scenarios (name, first checkpoint that passes, purpose):",
			outside:  "Outside addresses the app asked for:", internet: "let through to the internet (-net)",
			unavailable: "not available during the checks", notes: "Notes (not counted against the app):",
		}
	}
	return text{lang: "de",
		running:  "Szenario %s auf %s",
		passed:   "BESTANDEN: %s (%v)",
		failed:   "NICHT BESTANDEN: %s (%v)\n  %v",
		broken:   "PROBLEM DER UMGEBUNG (nicht Ihrer App): %v",
		traceAt:  "Zeitleiste: %s",
		listHead: "Szenarien (Name, erster Checkpoint, der besteht, Zweck):",
		outside:  "Adressen außerhalb der App, die sie angefragt hat:", internet: "ins Internet durchgelassen (-net)",
		unavailable: "während der Prüfung nicht erreichbar", notes: "Hinweise (zählen nicht gegen die App):",
	}
}
