package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"synclab/backend/dbsource"
	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

// gradeCommand grades a class: go run ./checks grade -out DIR SUBMISSION...
// (name is the program as invoked).
func gradeCommand(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	prefix := short(name) + " grade:"
	fset := flag.NewFlagSet(name+" grade", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		out      = fset.String("out", "", "folder for grades.csv, grades.json, report.html and one folder per submission (required)")
		robust   = fset.Bool("robust", false, "grade the robust step's checks (08) too")
		step     = fset.String("step", "", "grade only the checks of steps up to this one")
		jobs     = fset.Int("j", 0, "submissions graded at once (default: as many as the cores, and more while the processor has room)")
		langFlag = fset.String("lang", lang.FromEnv(), "language of the reports: de or en")
		mongo    = fset.String("mongo", "embedded", "MongoDB: embedded, auto, docker or a mongodb:// URI")
		timeout  = fset.Duration("timeout", 5*time.Second, "how long each expectation may take")
		checkDL  = fset.Duration("check-deadline", 30*time.Second, "how long each check may take; a check still running then fails with \"did not finish\", the others keep their verdicts")
		gsFile   = fset.String("gradescope-results", "", "also write the (single) submission's Gradescope results.json to FILE")
		ref      = fset.String("ref", "HEAD", "the commit, branch or tag of each git repository to grade")
		deadline = fset.String("deadline", "", "grade each git repository's newest commit on -ref committed before this time (RFC 3339, or local time as \"2006-01-02 15:04\")")
		reruns   = fset.Int("flaky-reruns", 1, "run the checks that did not pass this many times more to find flaky checks (0: off)")
		c50File  = fset.String("classroom50-result", "", "also write the (single) submission's Classroom 50 result (classroom50/result/v1) to FILE; exit 0 when grading finished, whatever the points, non-zero when the environment failed")
		compare  = fset.String("compare", "", "compare with the grading in this folder (its grades.json): who changed, which checks and why")
		mixed    = fset.Bool("allow-mixed-versions", false, "write into an -out folder that holds grades of another Sync Lab or browser version")
	)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s grade -out DIR SUBMISSION...\n\nA SUBMISSION is an app folder, a .zip, a git repository (bare or a working tree), or a folder of them.\n\n", name)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitBroken
	}
	if (*out == "" && *gsFile == "" && *c50File == "") || fset.NArg() == 0 {
		fset.Usage()
		return exitBroken
	}
	l := lang.Normalize(*langFlag)
	collect := grading.CollectOptions{Limits: grading.DefaultLimits(), Ref: *ref}
	if *deadline != "" {
		t, err := grading.ParseDeadline(*deadline)
		if err != nil {
			fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
			return exitBroken
		}
		collect.Deadline = t
	}
	if *reruns < 0 {
		fmt.Fprintln(stderr, prefix, lang.Say("-flaky-reruns must be 0 or more", "-flaky-reruns muss 0 oder mehr sein").In(l))
		return exitBroken
	}
	// A -mongo that names no source is a typing mistake: said before any
	// submission is read or a Gradescope result written.
	if _, _, err := dbsource.ParseMode(*mongo); err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
		return exitBroken
	}
	cat, err := catalog.Load()
	if err != nil {
		fmt.Fprintln(stderr, prefix, err)
		return exitBroken
	}
	sel := catalog.Selection{Step: *step}
	if *robust {
		sel.Groups = []string{"robust"}
	}
	checks, err := cat.Select(sel)
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
		return exitBroken
	}
	work, err := os.MkdirTemp("", "synclab-grade-*")
	if err != nil {
		fmt.Fprintln(stderr, prefix, err)
		return exitBroken
	}
	defer os.RemoveAll(work)
	subs, err := grading.Collect(ctx, fset.Args(), work, collect)
	if err != nil {
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
		return exitBroken
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cdn, err := mirror.Load(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, prefix, err)
		return exitBroken
	}
	defer cdn.Close()
	single := *gsFile != "" || *c50File != ""
	if single && len(subs) != 1 {
		fmt.Fprintln(stderr, prefix, lang.Say("-gradescope-results and -classroom50-result need exactly one submission, got %d",
			"-gradescope-results und -classroom50-result brauchen genau eine Abgabe, bekommen: %d", len(subs)).In(l))
		return exitBroken
	}
	versions := output.Versions{SyncLab: output.SyncLabVersion(ctx)}
	// Gradescope shows nothing of a run stopped at its time limit: its
	// results.json is written before the browser starts and again as each
	// check ends, so a run stopped at any moment leaves what it found.
	var partial *partialGradescope
	if *gsFile != "" {
		partial = &partialGradescope{file: *gsFile, sub: subs[0], checks: checks, versions: versions, lang: l}
		partial.write(lang.Say("the grading had not started a check", "die Bewertung hatte noch keinen Check begonnen"))
	}
	b, mongoOpts, stop, err := startBrowserAndDatabase(ctx, *mongo, logger)
	if err != nil {
		if ctx.Err() != nil && partial != nil {
			// Stopped while the browser started: unfinished, not the
			// environment's failure.
			partial.write(lang.Say("it was stopped (time limit or signal) before the browser had started", "sie wurde gestoppt (Zeitlimit oder Signal), bevor der Browser gestartet war"))
			fmt.Fprintln(stderr, prefix, err)
			return exitInterrupted
		}
		fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
		return exitBroken
	}
	defer stop()
	versions.Browser = browserVersion(ctx, b, logger)
	// A browser without Background Sync would leave every submission
	// "not graded" after three runs each: say so once, before the class.
	var noSync *browser.NoBackgroundSyncError
	if err := b.BackgroundSync(ctx); errors.As(err, &noSync) {
		if partial != nil {
			partial.write(noSync.Text())
		}
		fmt.Fprintln(stderr, prefix, noSync.Text().In(l))
		return exitBroken
	} else if err != nil {
		logger.Warn("could not ask the browser whether it does Background Sync; grading goes on", "err", err)
	}
	if *out != "" && !*mixed {
		if err := grading.CheckOutputFolder(*out, versions); err != nil {
			fmt.Fprintln(stderr, prefix, lang.ErrorIn(err, l))
			return exitBroken
		}
	}
	// Without -j the processor's load decides when the next submission
	// starts (at most DefaultJobs at once); -j N takes N at once.
	var admit *grading.Admission
	if *jobs <= 0 {
		*jobs = grading.DefaultJobs()
		if a, ok := grading.NewAdmission(); ok {
			admit = a
		}
	}
	env := runner.Env{Session: session.Config{Browser: b, Mirror: cdn, Mongo: mongoOpts, Timeout: *timeout, Logger: logger}, CheckDeadline: *checkDL, Parallel: 1, CloseLater: runner.CloseInBackground}
	if *jobs == 1 {
		env.Parallel = runner.DefaultParallel()
	}
	if partial != nil {
		partial.versions = versions
		env.Done = partial.add
	}
	start := time.Now()
	tty := output.IsTerminal(stdout)
	tr := func(de, en string) string { return lang.Text{DE: de, EN: en}.In(l) }
	var failing []string
	finished := 0
	progress := func(done, total int, g grading.Grade) {
		if ctx.Err() != nil {
			return // interrupted: what was cut off is not a result
		}
		finished = done
		elapsed := time.Since(start)
		left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		what := fmt.Sprintf("%s %s/%s", grading.StatusText(g.Status, l), trim(g.Points), trim(g.Max))
		if g.Status != grading.Graded {
			what = fmt.Sprintf("%s: %s", grading.StatusText(g.Status, l), g.Reason.In(l))
		}
		if len(g.Flaky) > 0 {
			what += fmt.Sprintf(tr(" (wackelig, bitte von Hand prüfen: %s)", " (flaky, check by hand: %s)"), strings.Join(g.FlakyIDs(), ", "))
		}
		below := g.Status != grading.Graded || g.Points < g.Max
		if below {
			failing = append(failing, g.Submission.Name)
		}
		line := fmt.Sprintf(tr("[%d/%d] %s, noch ~%s · %s: %s", "[%d/%d] %s, ~%s left · %s: %s"), done, total, elapsed.Round(time.Second), left.Round(time.Second), g.Submission.Name, what)
		if tty {
			// One line that is rewritten; a submission below full marks
			// (or with flaky checks) keeps its line, so the failures so
			// far stay on screen.
			fmt.Fprintf(stdout, "\r\033[K%s", line)
			if below || len(g.Flaky) > 0 || done == total {
				fmt.Fprintln(stdout)
			}
			return
		}
		fmt.Fprintln(stdout, line)
	}
	cfg := grading.Config{Env: env, Checks: checks, Jobs: *jobs, Admit: admit, Retries: 2, FlakyReruns: *reruns, Progress: progress, Versions: versions}
	grades, err := grading.GradeAll(ctx, cfg, subs)
	if ctx.Err() != nil {
		if tty {
			fmt.Fprintln(stdout)
		}
		if partial != nil {
			partial.write(lang.Say("it was stopped (time limit or signal)", "sie wurde gestoppt (Zeitlimit oder Signal)"))
			fmt.Fprintf(stderr, tr("%s unvollständige Ergebnisse in %s\n", "%s unfinished results in %s\n"), prefix, *gsFile)
		}
		fmt.Fprintf(stderr, tr("%s nach %s abgebrochen (%d von %d Abgaben fertig); es wurde nichts geschrieben. Starte den Befehl neu, um alle zu bewerten.\n",
			"%s interrupted after %s (%d of %d submissions done); nothing was written. Run the command again to grade them all.\n"),
			prefix, time.Since(start).Round(time.Second), finished, len(subs))
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintln(stderr, prefix, err)
		return exitBroken
	}
	if *out == "" {
		*out = filepath.Join(work, "out")
	}
	var changes *grading.Comparison
	if *compare != "" {
		changes, err = grading.Compare(*compare, grades)
		if err != nil {
			fmt.Fprintln(stderr, prefix, err)
			return exitBroken
		}
	}
	if err := grading.WriteWith(*out, grades, checks, grading.WriteOptions{Lang: l, Changes: changes}); err != nil {
		fmt.Fprintln(stderr, prefix, "write the reports:", err)
		return exitBroken
	}
	if *gsFile != "" {
		b, err := grading.GradescopeResults(grades[0], checks, l)
		if err == nil {
			err = os.WriteFile(*gsFile, b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, prefix, err)
			return exitBroken
		}
	}
	if *c50File != "" {
		if code := writeClassroom50(*c50File, grades[0], checks, l, stderr, prefix); code != exitPassed {
			return code
		}
	}
	if changes != nil {
		grading.PrintComparison(stdout, changes, l)
	}
	notGraded, flaky := 0, 0
	for _, g := range grades {
		if g.Status == grading.NotGraded {
			notGraded++
		}
		if len(g.Flaky) > 0 {
			flaky++
		}
	}
	fmt.Fprintf(stdout, tr("%d Abgaben in %s (%d unter voller Punktzahl, %d nicht bewertet, %d mit wackeligen Checks): %s\n",
		"%d submissions in %s (%d below full marks, %d not graded, %d with flaky checks): %s\n"),
		len(grades), time.Since(start).Round(time.Second), len(failing), notGraded, flaky, strings.TrimSuffix(*out, "/")+"/report.html")
	if notGraded > 0 {
		return exitBroken
	}
	return exitPassed
}

// partialGradescope keeps Gradescope's results.json up to date while the
// single submission is graded.
type partialGradescope struct {
	file     string
	sub      grading.Submission
	checks   []catalog.Check
	versions output.Versions
	lang     string
	mu       sync.Mutex
	done     []runner.Result
}

// add records a check's verdict (the first for each check: reruns do not
// replace it) and rewrites the file.
func (p *partialGradescope) add(r runner.Result) {
	p.mu.Lock()
	p.done = append(p.done, r)
	p.mu.Unlock()
	p.write(lang.Say("it was stopped (time limit or signal)", "sie wurde gestoppt (Zeitlimit oder Signal)"))
}

// write writes what is known so far, naming why the rest is missing.
func (p *partialGradescope) write(why lang.Text) {
	p.mu.Lock()
	g := grading.Partial(p.sub, p.checks, p.done, p.versions, why)
	p.mu.Unlock()
	b, err := grading.GradescopeResults(g, p.checks, p.lang)
	if err != nil {
		return
	}
	// Write beside and rename, so a run stopped mid-write never leaves
	// half a file.
	tmp := p.file + ".tmp"
	if os.WriteFile(tmp, b, 0o644) == nil {
		_ = os.Rename(tmp, p.file)
	}
}

// writeClassroom50 writes Classroom 50's result.json from the runner's
// environment. A grading that finished (points or not) is exit 0; one
// the environment broke writes no result and exits 2, which Classroom 50
// records as an infrastructure error, never as points.
func writeClassroom50(file string, g grading.Grade, checks []catalog.Check, l string, stderr io.Writer, prefix string) int {
	if g.Status == grading.NotGraded {
		_ = os.Remove(file)
		fmt.Fprintln(stderr, prefix, lang.Say("not graded, no result.json (Classroom 50 records an infrastructure error): %s",
			"nicht bewertet, kein result.json (Classroom 50 vermerkt einen Fehler der Infrastruktur): %s", g.Reason).In(l))
		return exitBroken
	}
	env := grading.Classroom50FromEnv(os.Getenv)
	if err := grading.WriteClassroom50(file, g, checks, env, time.Now(), l); err != nil {
		fmt.Fprintln(stderr, prefix, err)
		return exitBroken
	}
	return exitPassed
}

func trim(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}
