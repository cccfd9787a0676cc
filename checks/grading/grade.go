package grading

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/lang"
)

// Status is a submission's outcome.
type Status string

// The outcomes.
const (
	// Graded: the checks ran; the points count.
	Graded Status = "graded"
	// Invalid: the submission holds no app, or a hostile archive.
	Invalid Status = "invalid"
	// NotGraded: the environment failed (browser, database, ports) even
	// after retries; never 0 points.
	NotGraded Status = "not graded"
)

// Grade is one submission's result.
type Grade struct {
	Submission Submission    `json:"submission"`
	Status     Status        `json:"status"`
	Reason     lang.Text     `json:"reason,omitzero"`
	Points     float64       `json:"points"`
	Max        float64       `json:"max"`
	Attempts   int           `json:"attempts"`
	Duration   time.Duration `json:"duration"`
	Report     runner.Report `json:"report"`
	// Reruns is how often the checks that did not pass were run again to
	// tell a steady verdict from a flaky one.
	Reruns int `json:"reruns,omitempty"`
	// Flaky lists the checks whose verdict changed on a rerun; the points
	// are the graded run's, and a person should look at these checks.
	Flaky []Flake `json:"flaky,omitempty"`
	// Versions names the Sync Lab and browser that graded it.
	Versions output.Versions `json:"versions"`
}

// Config says how to grade.
type Config struct {
	Env    runner.Env
	Checks []catalog.Check
	// Jobs is how many submissions are graded at once; with Admit, how
	// many may be at most.
	Jobs int
	// Admit, if set, starts each submission when the processor has room
	// (see Admission); its Most replaces Jobs.
	Admit *Admission
	// Retries is how often a submission the environment broke is graded
	// again (2 by default).
	Retries int
	// FlakyReruns is how often the checks that did not pass (and what they
	// depend on) run again after grading, to find flaky checks; 0: never.
	FlakyReruns int
	// Versions names the Sync Lab and browser grading; each grade records
	// them.
	Versions output.Versions
	// Progress, if set, is called after each submission.
	Progress func(done, total int, g Grade)
	// Run runs checks against an app (runner.Run when nil; tests put a
	// fake here).
	Run func(ctx context.Context, env runner.Env, app fs.FS, checks []catalog.Check) (runner.Report, error)
}

// DefaultJobs is the most submissions grading takes at once by default:
// two more than the cores this process may use, at most two per core.
// Without -j the admission (NewAdmission) starts the ones beyond the cores
// only while the processor has room; -j N takes N at once. Measured on 2
// cores (BenchmarkGradeClass, BenchmarkGradeCost, -j 2 to 5, alternated):
// 4 at once graded 29 submissions in 49 s against 52 s at 3, 63 s at 2
// and 48 s at 5; beyond 4 only the slowest submission got slower.
func DefaultJobs() int { return jobsFor(runtime.GOMAXPROCS(0)) }

// jobsFor is DefaultJobs for n cores (Go's GOMAXPROCS: the machine's, or
// a container's limit).
func jobsFor(n int) int { return max(2, min(2*n, n+2)) }

// GradeAll grades every submission; one submission's trouble never stops
// the others.
func GradeAll(ctx context.Context, cfg Config, subs []Submission) ([]Grade, error) {
	if cfg.Jobs <= 0 {
		cfg.Jobs = 1
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Run == nil {
		cfg.Run = runner.Run
	}
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		return nil, err
	}
	grades := make([]Grade, len(subs))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	workers := cfg.Jobs
	if cfg.Admit != nil {
		workers = max(1, cfg.Admit.Most)
	}
	work := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				g := gradeOne(ctx, cfg, vendor, subs[i])
				if cfg.Admit != nil {
					cfg.Admit.Release()
				}
				mu.Lock()
				grades[i] = g
				done++
				if cfg.Progress != nil {
					cfg.Progress(done, len(subs), g)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range subs {
		if cfg.Admit != nil && cfg.Admit.Acquire(ctx) != nil {
			break
		}
		select {
		case work <- i:
		case <-ctx.Done():
			if cfg.Admit != nil {
				cfg.Admit.Release()
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	return grades, ctx.Err()
}

func gradeOne(ctx context.Context, cfg Config, vendor fs.FS, sub Submission) Grade {
	start := time.Now()
	g := Grade{Submission: sub, Max: catalog.MaxPoints(cfg.Checks), Versions: cfg.Versions}
	if sub.Problem.EN != "" {
		g.Status, g.Reason, g.Duration = Invalid, sub.Problem, time.Since(start)
		return g
	}
	app, _, err := frontend.StudentFolder(sub.AppDir, vendor)
	if err != nil {
		g.Status, g.Reason, g.Duration = Invalid, lang.Said(err), time.Since(start)
		return g
	}
	rep, attempts, err := runRetrying(ctx, cfg, app, cfg.Checks)
	g.Attempts = attempts
	switch {
	case err != nil:
		g.Status, g.Reason = NotGraded, lang.Said(err)
	case rep.EnvironmentFailed():
		g.Report = rep
		g.Status, g.Reason = NotGraded, environmentReason(rep)
	default:
		g.Report = rep
		g.Status, g.Points = Graded, rep.Points
		g.Flaky, g.Reruns = findFlaky(ctx, cfg, app, rep)
	}
	g.Duration = time.Since(start)
	return g
}

// runRetrying runs checks, again (up to cfg.Retries times) while the
// environment fails; it returns the last report and how many runs it took.
func runRetrying(ctx context.Context, cfg Config, app fs.FS, checks []catalog.Check) (runner.Report, int, error) {
	var rep runner.Report
	for attempt := 0; attempt <= cfg.Retries; attempt++ {
		var err error
		rep, err = cfg.Run(ctx, cfg.Env, app, checks)
		if err != nil {
			return rep, attempt + 1, err
		}
		if !rep.EnvironmentFailed() {
			return rep, attempt + 1, nil
		}
	}
	return rep, cfg.Retries + 1, nil
}

func environmentReason(rep runner.Report) lang.Text {
	for _, r := range rep.Results {
		if r.Status == runner.Error {
			return lang.Text{EN: fmt.Sprintf("the environment failed in %s: %s", r.ID, r.MessageIn(lang.English)),
				DE: fmt.Sprintf("die Umgebung versagte in %s: %s", r.ID, r.MessageIn(lang.German))}
		}
	}
	return lang.Say("the environment failed", "die Umgebung versagte")
}
