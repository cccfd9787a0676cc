// Package runner runs the chapter's checks against an app: each scenario
// in a browser context of its own (checks that observe the same journey
// share one session and keep their own verdicts), started in the chapter's
// order as contexts free up without waiting for the checks it depends on
// (a part whose dependency has already failed is skipped, and a verdict
// whose dependency fails later becomes a skip), and for each check a
// verdict with its evidence and one hint.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/hint"
	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
	"synclab/simulator/trace"
)

// Status is a check's verdict.
type Status string

// The verdicts.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
	// Error means the check could not run (browser, database, ports): never
	// the student's failure.
	Error Status = "error"
)

// Result is one check's verdict with what explains it.
type Result struct {
	ID     string    `json:"id"`
	Step   string    `json:"step"`
	Group  string    `json:"group"`
	Title  lang.Text `json:"title"`
	Help   lang.Text `json:"help"`
	Points float64   `json:"points"`
	Max    float64   `json:"max"`
	Status Status    `json:"status"`
	// Kind names the failure (a synclab/failure kind).
	Kind string `json:"kind,omitempty"`
	// Deadline says a failure was decided by time running out, not by an
	// observation: only such a verdict can differ on the same code, so
	// grading runs only these again to look for flaky checks.
	Deadline bool `json:"deadline,omitempty"`
	// Expected and Seen say what the check wanted and what happened.
	Expected lang.Text `json:"expected,omitzero"`
	Seen     lang.Text `json:"seen,omitzero"`
	// Message is the whole failure (or why the check could not run).
	Message string `json:"message,omitempty"`
	// Said is a failure's Message in both languages (its steps and what
	// was expected and seen); empty when there is only the English.
	Said lang.Text `json:"-"`
	// SkippedFor is the check this one needed and that did not pass.
	SkippedFor string `json:"skipped_for,omitempty"`
	// Hint is the advice chosen from what was observed (failures only).
	Hint *lang.Text `json:"hint,omitempty"`
	// Observed is what the scenario saw (shared by the checks of a journey).
	Observed *scenario.Observations `json:"observed,omitempty"`
	Steps    []scenario.StepResult  `json:"steps,omitempty"`
	Duration time.Duration          `json:"duration"`
	// Timeline is the scenario's timeline (for reports with a diagram).
	Timeline *trace.Timeline `json:"-"`
}

// Report is the outcome of a run.
type Report struct {
	Results  []Result      `json:"results"`
	Points   float64       `json:"points"`
	Max      float64       `json:"max"`
	Duration time.Duration `json:"duration"`
	// Outside lists the app's requests outside its origins (all scenarios).
	Outside []browser.OutsideRequest `json:"outside,omitempty"`
	// Notes are what the checks could not offer the app (not its failure).
	Notes []lang.Text `json:"notes,omitempty"`
}

// Passed reports whether every check passed.
func (r Report) Passed() bool {
	for _, res := range r.Results {
		if res.Status != Passed {
			return false
		}
	}
	return len(r.Results) > 0
}

// EnvironmentFailed reports whether a check could not run.
func (r Report) EnvironmentFailed() bool {
	return slices.ContainsFunc(r.Results, func(res Result) bool { return res.Status == Error })
}

// Env is what the checks run on.
type Env struct {
	// Session is how each scenario's session runs: its Browser (shared by
	// all), the Mirror that answers the CDN addresses students' apps keep,
	// where its database comes from (Mongo), each expectation's Timeout
	// (5 s if zero), Screenshots for the timelines, the Logger.
	Session session.Config
	// Parallel is how many browser contexts run at once (default: what
	// the machine can take).
	Parallel int
	// CheckDeadline is each check's own deadline (30 s if zero): a check
	// still running then fails with "did not finish in N s" and the others
	// keep their verdicts.
	CheckDeadline time.Duration
	// IgnoreDependencies runs every check even when what it depends on
	// failed (CI's proof that each check fails on its own).
	IgnoreDependencies bool
	// Done, if set, is called with each check's verdict, in the chapter's
	// order, as soon as it is known.
	Done func(Result)
	// Open opens each scenario's session (session.Open if nil).
	Open func(ctx context.Context, cfg session.Config) (*session.Session, error)
	// CloseLater, if set, closes each scenario's session once its verdicts
	// are in (see scenario.Options.CloseLater); nil: before they count.
	CloseLater func(close func())
}

// CloseInBackground is a CloseLater that closes each session on a
// goroutine of its own while the verdicts are shown. A process may end
// before: the browser and the servers end with it.
func CloseInBackground(close func()) { go close() }

func (e Env) logger() *slog.Logger {
	if e.Session.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Session.Logger
}

// DefaultParallel is how many browser contexts a machine takes at once
// (its cores as Go sees them: a container's limit counts).
func DefaultParallel() int { return min(4, max(2, runtime.GOMAXPROCS(0)+1)) }

// job is one scenario run deciding one or more checks.
type job struct {
	sc     scenario.Scenario
	checks []catalog.Check
	result scenario.Result
}

// early holds the pass/fail of checks as soon as their part is decided,
// so that a job waits only for the checks it needs, not for the whole
// journey that decides them.
type early struct {
	mu      sync.Mutex
	passed  map[string]bool
	decided map[string]chan struct{}
}

func newEarly(checks []catalog.Check) *early {
	e := &early{passed: map[string]bool{}, decided: map[string]chan struct{}{}}
	for _, ch := range checks {
		e.decided[ch.ID] = make(chan struct{})
	}
	return e
}

// decide records a check's own result once.
func (e *early) decide(id string, passed bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch, ok := e.decided[id]
	if !ok {
		return
	}
	select {
	case <-ch:
		return
	default:
	}
	e.passed[id] = passed
	close(ch)
}

// mayPass reports whether id (and what it depends on) may still pass: it
// may not once it or any check it needs, however far down, is decided and
// did not pass, even while the checks between them are still running (a
// part that needs the replay does not wait for its deadline when the
// registration the replay needs has already failed).
func (e *early) mayPass(id string, checks []catalog.Check) bool {
	e.mu.Lock()
	ch, tracked := e.decided[id]
	passed := e.passed[id]
	e.mu.Unlock()
	if tracked {
		select {
		case <-ch:
			if !passed {
				return false
			}
		default:
		}
	}
	c, _ := findCheck(checks, id)
	for _, d := range c.DependsOn {
		if !e.mayPass(d, checks) {
			return false
		}
	}
	return true
}

// Run runs checks (in the chapter's order, as Select returns them) against
// app.
func Run(ctx context.Context, env Env, app fs.FS, checks []catalog.Check) (Report, error) {
	start := time.Now()
	if env.Parallel <= 0 {
		env.Parallel = DefaultParallel()
	}
	jobs, byCheck, err := plan(checks)
	if err != nil {
		return Report{}, err
	}
	known := newEarly(checks)
	var (
		mu       sync.Mutex
		verdicts = map[string]Result{}
		rep      = Report{}
		final    = map[string]Result{}
		next     int // the first check whose final verdict is not known yet
		wg       sync.WaitGroup
		slots    = make(chan struct{}, env.Parallel)
	)
	// flush settles, in the chapter's order, every check whose own verdict
	// is known: a dependency that did not pass turns it into a skip.
	flush := func() {
		for ; next < len(checks); next++ {
			ch := checks[next]
			r, ok := verdicts[ch.ID]
			if !ok {
				return
			}
			if !env.IgnoreDependencies && r.Status != Error {
				for _, d := range ch.DependsOn {
					if dep, ok := final[d]; ok && dep.Status != Passed {
						r = skip(ch, d)
						break
					}
				}
			}
			final[ch.ID] = r
			rep.Results = append(rep.Results, r)
			rep.Points += r.Points
			rep.Max += ch.Points
			if env.Done != nil {
				env.Done(r)
			}
		}
	}
	// Jobs start in the chapter's order as browser contexts free up. A job
	// does not wait for the checks it depends on: when they are decided
	// and failed, it skips them; when they are still running, it runs
	// anyway (on two cores that is faster than waiting) and the verdicts
	// are skipped afterwards if the dependency fails.
	for _, j := range jobs {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break
		}
		if ctx.Err() != nil {
			break
		}
		var runnable []catalog.Check
		for _, ch := range j.checks {
			if env.IgnoreDependencies || outsideDepsMayPass(ch, j, byCheck, known, checks) {
				runnable = append(runnable, ch)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer func() {
				// Whatever was not decided is not passed.
				for _, ch := range j.checks {
					known.decide(ch.ID, false)
				}
			}()
			partDone := func(pr scenario.PartResult) {
				for _, ch := range runnable {
					if ch.ID == pr.Name {
						known.decide(ch.ID, pr.Passed)
					}
				}
			}
			var parts []string
			for _, ch := range runnable {
				parts = append(parts, ch.ID)
			}
			var res scenario.Result
			if len(runnable) > 0 {
				// A part whose check needs one that failed meanwhile (in
				// this journey or another) is skipped, not run in vain.
				skipPart := func(part string) string {
					if env.IgnoreDependencies {
						return ""
					}
					for _, ch := range runnable {
						if ch.ID != part {
							continue
						}
						for _, d := range ch.DependsOn {
							if byCheck[d] != nil && !known.mayPass(d, checks) {
								return d
							}
						}
					}
					return ""
				}
				res = runScenario(ctx, env, app, j.sc, parts, partDone, skipPart)
				env.logger().Debug("scenario ran", "scenario", j.sc.Name, "parts", parts, "passed", res.Passed, "duration", res.Duration)
			}
			j.result = res
			mu.Lock()
			defer mu.Unlock()
			for _, ch := range j.checks {
				verdicts[ch.ID] = verdict(ch, j, res, slices.ContainsFunc(runnable, func(c catalog.Check) bool { return c.ID == ch.ID }), byCheck)
			}
			flush()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	rep.Duration = time.Since(start)
	seenOutside := map[string]bool{}
	seenNote := map[lang.Text]bool{}
	for _, j := range jobs {
		for _, o := range j.result.Observed.Outside {
			if !seenOutside[o.URL] {
				seenOutside[o.URL] = true
				rep.Outside = append(rep.Outside, o)
			}
		}
		for _, n := range j.result.Observed.Notes {
			if !seenNote[n] {
				seenNote[n] = true
				rep.Notes = append(rep.Notes, n)
			}
		}
	}
	return rep, nil
}

// plan groups the checks into one job per scenario (a journey, or a check
// of its own).
func plan(checks []catalog.Check) ([]*job, map[string]*job, error) {
	all, err := scenario.All()
	if err != nil {
		return nil, nil, err
	}
	var jobs []*job
	byScenario := map[string]*job{}
	byCheck := map[string]*job{}
	for _, ch := range checks {
		sc, ok := scenario.Holding(all, ch.ID)
		if !ok {
			return nil, nil, fmt.Errorf("check %s has no steps in the simulator", ch.ID)
		}
		j := byScenario[sc.Name]
		if j == nil {
			j = &job{sc: sc}
			byScenario[sc.Name] = j
			jobs = append(jobs, j)
		}
		j.checks = append(j.checks, ch)
		byCheck[ch.ID] = j
	}
	return jobs, byCheck, nil
}

// outsideDepsMayPass reports whether every dependency of ch that another
// job decides may still pass: not decided yet, or passed with everything it
// depends on.
func outsideDepsMayPass(ch catalog.Check, j *job, byCheck map[string]*job, known *early, checks []catalog.Check) bool {
	for _, d := range ch.DependsOn {
		if dj := byCheck[d]; dj == nil || dj == j {
			continue // not selected, or the journey's own business
		}
		if !known.mayPass(d, checks) {
			return false
		}
	}
	return true
}

// runScenario runs the parts, and once more when the environment failed,
// unless the browser has no Background Sync (a second run would not change
// that).
func runScenario(ctx context.Context, env Env, app fs.FS, sc scenario.Scenario, parts []string, partDone func(scenario.PartResult), skipPart func(string) string) scenario.Result {
	cfg := env.Session
	cfg.Logger = env.logger()
	opts := scenario.Options{Session: cfg, PartDeadline: env.CheckDeadline, Only: parts, SkipPart: skipPart, Open: env.Open, CloseLater: env.CloseLater}
	// Part verdicts reach the other jobs early only when the environment
	// worked (an environment failure is retried).
	opts.PartDone = func(pr scenario.PartResult) {
		if pr.Kind != failure.Environment {
			partDone(pr)
		}
	}
	res := scenario.Run(ctx, env.Session.Browser, app, sc, opts)
	if res.Environment && ctx.Err() == nil && !errors.As(res.Err, new(*browser.NoBackgroundSyncError)) {
		res = scenario.Run(ctx, env.Session.Browser, app, sc, opts)
	}
	return res
}

func skip(ch catalog.Check, needs string) Result {
	return Result{ID: ch.ID, Step: ch.Step, Group: ch.Group, Title: ch.Title, Help: ch.Help, Max: ch.Points,
		Status: Skipped, SkippedFor: needs}
}

// verdict turns the scenario's part result into the check's result.
func verdict(ch catalog.Check, j *job, res scenario.Result, ran bool, byCheck map[string]*job) Result {
	r := Result{ID: ch.ID, Step: ch.Step, Group: ch.Group, Title: ch.Title, Help: ch.Help, Max: ch.Points}
	if !ran {
		for _, d := range ch.DependsOn {
			if byCheck[d] != j {
				return skip(ch, d)
			}
		}
		return skip(ch, "")
	}
	r.Timeline = res.Timeline
	for _, st := range res.Steps {
		if st.Part == ch.ID {
			r.Steps = append(r.Steps, st)
		}
	}
	pr, ok := res.Part(ch.ID)
	switch {
	case res.Environment && (!ok || pr.Kind == failure.Environment):
		r.Status, r.Kind, r.Message = Error, failure.Environment, fmt.Sprint(res.Err)
		// An environment failure that says itself in both languages.
		if said, ok := lang.OfError(res.Err); ok {
			r.Said = said
		}
	case !ok:
		r.Status, r.Message = Error, fmt.Sprintf("the scenario %s did not get to this check (%v)", res.Scenario, res.Err)
	case pr.Skipped:
		needs := pr.SkippedFor
		for id, dj := range byCheck {
			if dj == j && id != ch.ID {
				if c, found := findCheck(j.checks, id); found && c.ID == pr.SkippedFor {
					needs = id
				}
			}
		}
		r = skip(ch, needs)
	case pr.Passed:
		r.Status, r.Points, r.Duration = Passed, ch.Points, pr.Duration
	default:
		r.Status, r.Kind, r.Message, r.Duration = Failed, pr.Kind, pr.Err.Error(), pr.Duration
		r.Deadline = session.ByDeadline(pr.Err)
		r.Said = lang.Text{EN: session.ErrorIn(pr.Err, lang.English), DE: session.ErrorIn(pr.Err, lang.German)}
		r.Observed = &res.Observed
		if ee := session.AsExpectation(pr.Err); ee != nil {
			r.Expected, r.Seen = ee.Expected, ee.Seen
		}
		if h, ok := hint.Choose(ch.Hints, pr.Kind, res.Observed); ok {
			t := h.Text()
			r.Hint = &t
		}
	}
	return r
}

// MessageIn is the failure's message in l when the checks can say it
// there, else Message.
func (r Result) MessageIn(l string) string {
	if r.Said.EN == "" {
		return r.Message
	}
	return r.Said.In(l)
}

func findCheck(checks []catalog.Check, id string) (catalog.Check, bool) {
	i := slices.IndexFunc(checks, func(c catalog.Check) bool { return c.ID == id })
	if i < 0 {
		return catalog.Check{}, false
	}
	return checks[i], true
}
