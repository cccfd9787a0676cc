// Package cli is the checks' command line: it grades an app against the
// chapter (one check per thing the chapter teaches, each proved in a real
// browser by the simulator, with points, hints and the evidence behind
// every failure, in German or English), grades a class, and builds
// Gradescope's autograder. Two mains run it: checks (go run ./checks, in
// the repository) and synclab-checks (installed, in the student's app
// folder).
//
// Exit code 0: every selected check passed; 1: some did not; 2: the checks
// could not run (no browser, no database, bad flags): never the app's fault.
package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"synclab/backend/dbsource"
	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/command"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

const (
	exitPassed = 0
	exitFailed = 1
	exitBroken = 2
	// exitInterrupted: Ctrl-C, SIGTERM or a closed terminal (SIGHUP)
	// ended the run (128 + SIGINT, as shells report it).
	exitInterrupted = command.Interrupted
)

// Main runs the command with args (without the program's name) and returns
// its exit code. name is the program as the user invokes it ("go run
// ./checks", "synclab-checks"): usage texts and messages say it. Ctrl-C,
// SIGTERM and a closed terminal (SIGHUP) end the run with exit code 130,
// as in every Sync Lab command (synclab/command).
func Main(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	return command.Run(ctx, func(ctx context.Context) int { return run(ctx, name, args, stdout, stderr) })
}

// config is what the flags ask for.
type config struct {
	// name is the program as invoked, for messages ("synclab-checks").
	name                                         string
	appDir, step, only, format, out, mongo, lang string
	robust, watch, verbose, json                 bool
	// all runs the checks a student does not see before the deadline too.
	all     bool
	timeout time.Duration
	// checkDeadline is each check's own deadline.
	checkDeadline time.Duration
	// lastStep and robustStep are the chapter's last step and the robust
	// step beyond it (from steps.json).
	lastStep, robustStep string
	parallel             int
	// versions and leftOut go into every output.
	versions output.Versions
	leftOut  []string
}

func parseFlags(name string, args []string, stderr io.Writer) (config, error) {
	c := config{name: name}
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&c.appDir, "app-dir", "", "your app: its repository root or the folder with index.html and sw.js (default: the current folder when it holds an app, else the reference checkpoint of -step)")
	fset.StringVar(&c.step, "step", "", "run the checks of the chapter's steps up to this one (00 … 08)")
	fset.StringVar(&c.only, "only", "", "run only these checks (comma-separated ids; what they depend on runs too)")
	fset.BoolVar(&c.robust, "robust", false, "add the checks of the robust step (08)")
	fset.BoolVar(&c.all, "all", false, "also run the checks shown only after the deadline or hidden (for instructors)")
	fset.BoolVar(&c.watch, "watch", false, "run again whenever a file of the app changes (Ctrl-C ends)")
	fset.StringVar(&c.lang, "lang", lang.FromEnv(), "language: de or en")
	fset.BoolVar(&c.verbose, "v", false, "also show what passed checks are about")
	fset.BoolVar(&c.json, "json", false, "write JSON (same as -format json)")
	fset.StringVar(&c.format, "format", "text", "output: text, json, junit or html")
	fset.StringVar(&c.out, "o", "", "write the output to FILE instead of the terminal")
	fset.StringVar(&c.mongo, "mongo", "embedded", "MongoDB for the checks: embedded, auto, docker or a mongodb:// URI")
	fset.DurationVar(&c.timeout, "timeout", 5*time.Second, "how long each expectation may take")
	fset.DurationVar(&c.checkDeadline, "check-deadline", 30*time.Second, "how long each check may take; a check still running then fails with \"did not finish\", the others keep their verdicts")
	fset.IntVar(&c.parallel, "j", runner.DefaultParallel(), "how many browser contexts run at once")
	fset.Usage = func() {
		fmt.Fprintf(stderr, usage().In(lang.Normalize(c.lang))+"\n\n", name)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return c, err
	}
	c.lang = lang.Normalize(c.lang)
	if fset.NArg() > 0 {
		return c, lang.Err(lang.Say("unexpected argument %q (use -app-dir PATH for your app)", "unerwartetes Argument %q (deine App gibst du mit -app-dir PFAD an)", fset.Arg(0)))
	}
	if c.json {
		c.format = "json"
	}
	if !slices.Contains([]string{"text", "json", "junit", "html"}, c.format) {
		return c, lang.Err(lang.Say("-format %q: choose text, json, junit or html", "-format %q: wähle text, json, junit oder html", c.format))
	}
	if c.watch && c.format != "text" {
		return c, lang.Err(lang.Say("-watch shows text only", "-watch zeigt nur Text"))
	}
	// A -mongo that names no source is a typing mistake, said before
	// anything starts (not as the environment's failure).
	if _, _, err := dbsource.ParseMode(c.mongo); err != nil {
		return c, err
	}
	if c.step != "" {
		st, err := frontend.FindStep(c.step)
		if err != nil {
			return c, err
		}
		c.step = st.ID
	}
	last, beyond, err := frontend.ChapterBounds()
	if err != nil {
		return c, err
	}
	c.lastStep, c.robustStep = last, beyond
	return c, nil
}

func run(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "grade":
			return gradeCommand(ctx, name, args[1:], stdout, stderr)
		case "gradescope":
			return gradescopeCommand(name, args[1:], stdout, stderr)
		}
	}
	c, err := parseFlags(name, args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		// c.lang holds -lang's default (the environment's) or what was
		// given before the mistake.
		fmt.Fprintln(stderr, short(name)+":", lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	prefix := short(name) + ":"
	level := slog.LevelWarn
	if os.Getenv("SYNCLAB_DEBUG") != "" {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cat, err := catalog.Load()
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	sel := catalog.Selection{Step: c.step}
	if c.only != "" {
		sel.Only = strings.Split(c.only, ",")
	}
	if c.robust || c.step == c.robustStep {
		sel.Groups = []string{"robust"}
	}
	checks, err := cat.Select(sel)
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	var leftOut []string
	if !c.all {
		checks, leftOut = catalog.ForStudents(checks)
	}
	if len(checks) == 0 {
		fmt.Fprintln(stderr, prefix, lang.Say("no check matches the selection", "kein Check passt zur Auswahl").In(c.lang))
		return exitBroken
	}

	began := time.Now()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	app, what, watchDir, err := findApp(c, vendor)
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	if c.watch && watchDir == "" {
		fmt.Fprintln(stderr, prefix, needsAppFolder().In(c.lang))
		return exitBroken
	}
	cdn, err := mirror.Load(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	defer cdn.Close()
	logger.Debug("libraries and mirror loaded", "after", time.Since(began))
	b, mongo, stop, err := startBrowserAndDatabase(ctx, c.mongo, logger)
	if err != nil {
		fmt.Fprintf(stderr, prefix+" "+output.CouldNotRun(c.lang)+"\n", lang.ErrorIn(err, c.lang))
		return exitBroken
	}
	defer stop()
	logger.Debug("browser and database started", "after", time.Since(began))
	env := runner.Env{Session: session.Config{Browser: b, Mirror: cdn, Mongo: mongo, Timeout: c.timeout, Logger: logger}, Parallel: c.parallel, CheckDeadline: c.checkDeadline, CloseLater: runner.CloseInBackground}
	c.versions = output.Versions{SyncLab: output.SyncLabVersion(ctx), Browser: browserVersion(ctx, b, logger)}
	c.leftOut = leftOut

	if c.watch {
		return watch(ctx, c, env, app, what, watchDir, checks, stdout, stderr)
	}
	code, _ := once(ctx, c, env, app, what, checks, stdout, stderr)
	return code
}

// once runs the checks one time and writes the output.
func once(ctx context.Context, c config, env runner.Env, app fs.FS, what string, checks []catalog.Check, stdout, stderr io.Writer) (int, runner.Report) {
	w := stdout
	if c.out != "" {
		f, err := os.Create(c.out)
		if err != nil {
			fmt.Fprintln(stderr, short(c.name)+":", lang.ErrorIn(err, c.lang))
			return exitBroken, runner.Report{}
		}
		defer f.Close()
		w = f
	}
	// A full pass points to -robust only after the chapter's last step;
	// after -step 03 the next thing is the chapter's next step, and
	// -step 08 ran the robust checks already.
	o := output.Options{Lang: c.lang, Verbose: c.verbose, Color: c.out == "" && output.IsTerminal(stdout), Robust: c.robust || noRobustHint(c.step, c.lastStep, c.robustStep),
		Versions: c.versions, LeftOut: c.leftOut}
	var live *output.Live
	if c.format == "text" {
		fmt.Fprintf(w, output.Heading(c.lang)+"\n", what)
		live = output.NewLive(w, o)
		if len(checks) > 0 {
			live.Waiting(checks[0].Title.In(c.lang))
		}
		env.Done = func(r runner.Result) {
			live.Done(r)
			i := slices.IndexFunc(checks, func(ch catalog.Check) bool { return ch.ID == r.ID })
			if i >= 0 && i+1 < len(checks) {
				live.Waiting(checks[i+1].Title.In(c.lang))
			} else {
				live.Waiting("")
			}
		}
	}
	rep, err := runner.Run(ctx, env, app, checks)
	if live != nil {
		live.Stop()
	}
	if err != nil {
		fmt.Fprintln(stderr, short(c.name)+":", lang.ErrorIn(err, c.lang))
		return exitBroken, rep
	}
	switch c.format {
	case "text":
		summary(w, c.name, rep, o)
	case "json":
		err = output.JSON(w, what, rep, o)
	case "junit":
		err = output.JUnit(w, rep, o)
	case "html":
		err = output.HTML(w, what, rep, o)
	}
	if err != nil {
		fmt.Fprintln(stderr, short(c.name)+": write the output:", err)
		return exitBroken, rep
	}
	switch {
	case rep.EnvironmentFailed():
		for _, r := range rep.Results {
			if r.Status == runner.Error {
				fmt.Fprintf(stderr, output.CouldNotRun(c.lang)+"\n", r.MessageIn(c.lang))
				break
			}
		}
		return exitBroken, rep
	case rep.Passed():
		return exitPassed, rep
	default:
		return exitFailed, rep
	}
}

// findApp opens the app to check: -app-dir, the current folder when it
// holds an app, or else the reference checkpoint of -step.
func findApp(c config, vendor fs.FS) (fs.FS, string, string, error) {
	dir := c.appDir
	if dir == "" {
		if wd, err := os.Getwd(); err == nil && (isFile(filepath.Join(wd, "index.html")) || isFile(filepath.Join(wd, "public", "index.html"))) {
			dir = wd
		}
	}
	if dir != "" {
		app, abs, err := frontend.StudentFolder(dir, vendor)
		if err != nil {
			return nil, "", "", err
		}
		return app, abs, abs, nil
	}
	if c.name != repositoryCommand {
		// The installed command grades the student's own app: in a folder
		// without one it must not show the reference app's full marks.
		if c.watch {
			return nil, "", "", errors.New(needsAppFolder().In(c.lang))
		}
		wd, _ := os.Getwd()
		t := lang.Text{DE: "in %s ist keine App (index.html oder public/index.html): starte %s im Ordner deiner App oder gib -app-dir PFAD an",
			EN: "there is no app in %s (index.html or public/index.html): run %s in your app's folder, or give -app-dir PATH"}
		return nil, "", "", fmt.Errorf(t.In(c.lang), wd, short(c.name))
	}
	step := c.step
	if step == "" {
		last, beyond, err := frontend.ChapterBounds()
		if err != nil {
			return nil, "", "", err
		}
		step = last
		if c.robust {
			step = beyond
		}
	}
	app, err := frontend.App(step, vendor)
	if err != nil {
		return nil, "", "", err
	}
	t := lang.Text{DE: "Referenz-Checkpoint %s (für deine App: %s)", EN: "the reference checkpoint %s (for your app: %s)"}
	return app, fmt.Sprintf(t.In(c.lang), step, forYourApp(c.name).In(c.lang)), "", nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// startBrowserAndDatabase starts the browser and the shared database side
// by side. stop ends the browser first: the sessions still closing in the
// background (Env.CloseLater) then let go of the database at once, which
// stops after them.
func startBrowserAndDatabase(ctx context.Context, mongo string, logger *slog.Logger) (b *browser.Browser, opts []dbsource.Option, stop func(), err error) {
	type started struct {
		opts  []dbsource.Option
		close func()
		err   error
	}
	db := make(chan started, 1)
	go func() {
		opts, closeDB, err := sharedDatabase(ctx, mongo, logger)
		db <- started{opts, closeDB, err}
	}()
	b, err = browser.Launch(ctx, browser.Options{})
	d := <-db
	switch {
	case err != nil && d.err == nil:
		d.close()
		return nil, nil, nil, err
	case err != nil:
		return nil, nil, nil, errors.Join(err, d.err)
	case d.err != nil:
		b.Close()
		return nil, nil, nil, d.err
	}
	return b, d.opts, func() { b.Close(); d.close() }, nil
}

// browserVersion asks the browser for its product and version over
// DevTools (Browser.getVersion), e.g. "HeadlessChrome/156.0.7444.59";
// "unknown" when it does not answer.
func browserVersion(ctx context.Context, b *browser.Browser, logger *slog.Logger) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c := chromedp.FromContext(b.Root())
	if c == nil || c.Browser == nil {
		return "unknown"
	}
	res, err := cdp.Call(ctx, c.Browser, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		logger.Warn("the browser did not say its version", "err", err)
		return "unknown"
	}
	return res.Product
}

// sharedDatabase starts the one database server every check uses (each
// session gets a throw-away database of its own on it), as -mongo says:
// embedded FerretDB, MongoDB in Docker, or a server given by URI.
func sharedDatabase(ctx context.Context, v string, logger *slog.Logger) ([]dbsource.Option, func(), error) {
	mode, uri, err := dbsource.ParseMode(v)
	if err != nil {
		return nil, nil, fmt.Errorf("-mongo: %w", err)
	}
	h, err := dbsource.Open(ctx, dbsource.WithMode(mode), dbsource.WithURI(uri), dbsource.Ephemeral(), dbsource.WithLogger(logger))
	if err != nil {
		return nil, nil, fmt.Errorf("start the database for the checks: %w", err)
	}
	closeDB := func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.Close(cctx)
	}
	return []dbsource.Option{dbsource.WithMode(dbsource.URI), dbsource.WithURI(h.URI)}, closeDB, nil
}

// noRobustHint reports whether a full pass of step should not point to
// -robust: a step before the chapter's last (its next step comes first),
// or the robust step itself (its checks ran).
func noRobustHint(step, last, robust string) bool {
	return step != "" && (step < last || step == robust)
}

// summary writes output.Summary, naming the program as invoked where the
// output's texts give the repository's command ("go run ./checks -robust"
// becomes "synclab-checks -robust").
func summary(w io.Writer, name string, rep runner.Report, o output.Options) {
	var b bytes.Buffer
	output.Summary(&b, rep, o)
	_, _ = w.Write(bytes.ReplaceAll(b.Bytes(), []byte(repositoryCommand+" "), []byte(name+" ")))
}

// repositoryCommand is how the command is run in Sync Lab's repository.
const repositoryCommand = "go run ./checks"

// forYourApp says how the program named name checks the student's app: in
// the repository with -app-dir, installed in the app's folder.
func forYourApp(name string) lang.Text {
	if name == repositoryCommand {
		return lang.Text{DE: name + " -app-dir PFAD", EN: name + " -app-dir PATH"}
	}
	return lang.Text{DE: name + " in ihrem Ordner starten oder -app-dir PFAD", EN: "run " + name + " in its folder, or -app-dir PATH"}
}

// short is the program's name for message prefixes: its last word
// ("checks" for "go run ./checks").
func short(name string) string {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return "checks"
	}
	return path.Base(filepath.ToSlash(fields[len(fields)-1]))
}

// usage is the first line of -help, with a %s for the program.
func usage() lang.Text {
	return lang.Text{
		DE: "Aufruf: %s [Optionen]\n\nBewertet die App im aktuellen Ordner (mit index.html oder public/index.html) oder in -app-dir PFAD in einem echten Browser nach dem Kapitel „Hintergrundsynchronisation“.",
		EN: "Usage: %s [flags]\n\nGrades the app in the current folder (with index.html or public/index.html) or in -app-dir PATH against the chapter \"Hintergrundsynchronisation\" in a real browser.",
	}
}

// watching says what -watch waits for.
func watching() lang.Text {
	return lang.Text{DE: "Beobachte %s – nach dem Speichern geht es von vorn los (Strg-C beendet).", EN: "Watching %s: saving a file starts the checks again (Ctrl-C ends)."}
}
