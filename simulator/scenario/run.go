package scenario

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"synclab/backend/lab"
	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/session"
	"synclab/simulator/trace"
)

// Options tunes Run.
type Options struct {
	// Session is how the scenario's session runs (timeout, slow motion,
	// screenshots, progress, mirror, database, logger); Run gives it its
	// browser and app.
	Session session.Config
	// Deadline bounds the whole scenario (60 s if zero).
	Deadline time.Duration
	// PartDeadline bounds each part, that is each check (30 s if zero): a
	// part still running then fails with "did not finish in N s" (kind
	// failure.DidNotFinish) and the parts after it run on, so that
	// the checks decided before and after keep their verdicts.
	PartDeadline time.Duration
	// Only runs just these parts (and the parts they need); empty: all.
	Only []string
	// PartDone, if set, is called as soon as each part has its verdict
	// (before the scenario ends).
	PartDone func(PartResult)
	// SkipPart, if set, is asked before each part whether to skip it: it
	// returns what the part needed that failed elsewhere ("" runs it). It
	// is asked again while the part runs: a part whose need fails
	// meanwhile is abandoned and skipped at once instead of waiting for
	// its deadline (it can no longer count).
	SkipPart func(part string) string
	// Open opens the scenario's session (session.Open if nil; a
	// session.Pool's Open hands out sessions opened ahead of time).
	Open func(ctx context.Context, cfg session.Config) (*session.Session, error)
	// CloseLater, if set, is handed the session's Close when the run is
	// over, instead of Run closing the session before it returns: closing
	// a browser context and its servers takes 0.1–0.2 s that the verdict
	// need not wait for.
	CloseLater func(close func())
}

// Result is the outcome of one scenario run: what happened, step by step
// and part by part, and what was observed. The session is closed (or
// handed to Options.CloseLater).
type Result struct {
	Scenario string
	Passed   bool
	// Err is why it failed (nil when it passed): the first failed part's.
	Err error
	// Kind names the failure (synclab/failure), "" when it passed.
	Kind string
	// Environment is set when the failure lies outside the app (browser,
	// database, ports), not in what the app did.
	Environment bool
	Duration    time.Duration
	Steps       []StepResult
	Parts       []PartResult
	Observed    Observations
	// Timeline holds every event (with screenshots when asked for).
	Timeline *trace.Timeline
}

// StepResult is one step's outcome.
type StepResult struct {
	Part     string        `json:"part"`
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration"`
	Err      error         `json:"-"`
}

// PartResult is one part's verdict.
type PartResult struct {
	Name    string
	Passed  bool
	Skipped bool
	// SkippedFor names the failed part this one needed.
	SkippedFor string
	Err        error
	Kind       string
	Duration   time.Duration
}

// Part returns the named part's result.
func (r Result) Part(name string) (PartResult, bool) {
	i := slices.IndexFunc(r.Parts, func(p PartResult) bool { return p.Name == name })
	if i < 0 {
		return PartResult{}, false
	}
	return r.Parts[i], true
}

// Observations are what the run saw of the app, as evidence for a verdict.
type Observations struct {
	// Outbox is what sync-posts held at the end (photos described, not
	// included).
	Outbox []session.Record `json:"outbox"`
	// Requests are the backend's requests in order.
	Requests   []lab.Request       `json:"requests"`
	SyncEvents []session.SyncEvent `json:"sync_events"`
	// WorkerConsole and PageConsole are the last lines each logged.
	WorkerConsole []string `json:"worker_console"`
	PageConsole   []string `json:"page_console"`
	// WorkerStorage lists the service worker's IndexedDB reads and writes
	// (when the scenario watched them), e.g. "read sync-posts".
	WorkerStorage []string `json:"worker_storage"`
	// Errors are the app's own uncaught errors.
	Errors []string `json:"errors"`
	// Alerts are the dialogs the app raised ("alert: Erst Foto aufnehmen!").
	Alerts []string `json:"alerts"`
	// Photos say, per post the run created, how its photo was given
	// (camera or file picker) and what the app said about it.
	Photos []lang.Text `json:"photos"`
	// PageSyncListener says where a page script added a sync listener
	// (which never hears a sync event there), if one did.
	PageSyncListener string `json:"page_sync_listener,omitempty"`
	// Outside lists the requests outside the app's two origins.
	Outside []browser.OutsideRequest `json:"outside"`
	// Notes say what the run could not offer the app and what followed
	// from it; none of it counts against the app.
	Notes []lang.Text `json:"notes"`
}

// parts returns the scenario's parts: its Parts, or one part holding Steps.
func (sc Scenario) parts() []Part {
	if len(sc.Parts) > 0 {
		return sc.Parts
	}
	return []Part{{Name: sc.Name, Purpose: sc.Purpose, Since: sc.Since, FailsKind: sc.FailsKind, AlsoPasses: sc.AlsoPasses, Steps: sc.Steps}}
}

// Run runs sc against app in a fresh browser context of b, then closes it.
func Run(ctx context.Context, b *browser.Browser, app fs.FS, sc Scenario, o Options) Result {
	start := time.Now()
	if o.Deadline <= 0 {
		o.Deadline = 60 * time.Second
	}
	if o.PartDeadline <= 0 {
		o.PartDeadline = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Deadline)
	defer cancel()
	r := Result{Scenario: sc.Name}
	open := o.Open
	if open == nil {
		open = session.Open
	}
	cfg := o.Session
	cfg.Browser, cfg.App = b, app
	s, err := open(ctx, cfg)
	if err != nil {
		r.Err, r.Kind, r.Environment, r.Duration = err, failure.Environment, true, time.Since(start)
		return r
	}
	defer func() {
		if o.CloseLater != nil {
			o.CloseLater(s.Close)
		} else {
			s.Close()
		}
	}()
	r.Timeline = s.Timeline
	wanted := needed(sc.parts(), o.Only)
	failed := map[string]bool{}
	unusable := map[string]error{}   // parts where the app could not be used
	abandoned := map[string]string{} // parts cut short: what they needed
	// skipped records a part that gets no verdict of its own.
	skipped := func(pr PartResult) {
		failed[pr.Name] = true
		r.Parts = append(r.Parts, pr)
		if o.PartDone != nil {
			o.PartDone(pr)
		}
	}
	for _, p := range sc.parts() {
		if !wanted[p.Name] {
			continue
		}
		pr := PartResult{Name: p.Name}
		for _, need := range p.Needs {
			if failed[need] {
				pr.Skipped, pr.SkippedFor = true, need
				break
			}
		}
		if !pr.Skipped && o.SkipPart != nil {
			if need := o.SkipPart(p.Name); need != "" {
				pr.Skipped, pr.SkippedFor = true, need
			}
		}
		if pr.Skipped {
			skipped(pr)
			continue
		}
		// A part that comes after another needs that part's actions, not
		// its verdict; if the app could not be used there (a form element
		// missing), what this part would look at was never made, and its
		// own failure would point elsewhere: it fails with that cause.
		for _, after := range p.After {
			if err := unusable[after]; err != nil && pr.Err == nil {
				pr.Err, pr.Kind = err, failure.AppBroken
			}
		}
		for _, after := range p.After {
			if need := abandoned[after]; need != "" && pr.Err == nil {
				// What this part looks at was cut short: it goes with
				// the part it comes after.
				pr.Skipped, pr.SkippedFor = true, need
			}
		}
		if pr.Skipped {
			skipped(pr)
			continue
		}
		partStart := time.Now()
		tctx, cancelPart := context.WithTimeout(ctx, o.PartDeadline)
		pctx, need, stop := watchNeeds(tctx, o.SkipPart, p.Name)
		for _, st := range p.Steps {
			if pr.Err != nil {
				break
			}
			stepStart := time.Now()
			err := s.Do(pctx, st)
			if n := need(); n != "" {
				pr.Skipped, pr.SkippedFor = true, n
				break
			}
			r.Steps = append(r.Steps, StepResult{Part: p.Name, Name: st.Name, Duration: time.Since(stepStart), Err: err})
			if err != nil {
				switch {
				case errors.Is(ctx.Err(), context.DeadlineExceeded):
					err = errors.Join(err, fmt.Errorf("the scenario ran out of time (%v)", o.Deadline))
				case errors.Is(tctx.Err(), context.DeadlineExceeded):
					err = didNotFinish(st, o.PartDeadline)
				}
				pr.Err, pr.Kind = err, session.KindOf(err)
				break
			}
		}
		stop()
		cancelPart()
		if n := need(); n != "" && !pr.Skipped && pr.Err != nil {
			// Its need failed while its last step failed: the part can
			// no longer count either way.
			pr.Skipped, pr.SkippedFor, pr.Err, pr.Kind = true, n, nil, ""
		}
		if pr.Skipped {
			abandoned[p.Name] = pr.SkippedFor
			pr.Duration = time.Since(partStart)
			skipped(pr)
			continue
		}
		if pr.Err != nil && pr.Kind != failure.Environment {
			// An outside address the checks cannot offer that stopped the
			// app makes the failure the environment's, not the app's.
			if missing, ok := s.StoppedBy(); ok {
				pr.Err, pr.Kind = &session.EnvironmentError{Err: missing}, failure.Environment
			}
		}
		pr.Duration, pr.Passed = time.Since(partStart), pr.Err == nil
		if ee := session.AsExpectation(pr.Err); ee != nil && ee.Unusable {
			unusable[p.Name] = pr.Err
		}
		if !pr.Passed {
			failed[p.Name] = true
			if r.Err == nil {
				r.Err, r.Kind = pr.Err, pr.Kind
			}
			if pr.Kind == failure.Environment {
				r.Environment = true
			}
		}
		r.Parts = append(r.Parts, pr)
		if o.PartDone != nil {
			o.PartDone(pr)
		}
		if ctx.Err() != nil {
			break
		}
	}
	r.Passed = r.Err == nil
	r.Observed = observe(ctx, s)
	r.Duration = time.Since(start)
	return r
}

// needed returns the parts to run: only and what they need or come after
// (all if empty).
func needed(parts []Part, only []string) map[string]bool {
	out := map[string]bool{}
	if len(only) == 0 {
		for _, p := range parts {
			out[p.Name] = true
		}
		return out
	}
	byName := map[string]Part{}
	for _, p := range parts {
		byName[p.Name] = p
	}
	var add func(name string)
	add = func(name string) {
		if out[name] {
			return
		}
		out[name] = true
		for _, n := range byName[name].Needs {
			add(n)
		}
		for _, n := range byName[name].After {
			add(n)
		}
	}
	for _, name := range only {
		add(name)
	}
	return out
}

// observe collects the evidence of a run from its session.
func observe(ctx context.Context, s *session.Session) Observations {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	o := Observations{
		Requests:         s.BackendRequests(),
		SyncEvents:       s.SyncEvents(),
		WorkerConsole:    s.Timeline.Tail(trace.Worker, "console", 10),
		PageConsole:      s.Timeline.Tail(trace.Page, "console", 10),
		WorkerStorage:    s.Timeline.Tail(trace.Worker, "idb", 20),
		Errors:           s.Errors(),
		Alerts:           s.Alerts(),
		Photos:           s.PhotoWays(),
		PageSyncListener: s.PageSyncListener(),
		Outside:          s.Outside(),
		Notes:            s.Notes(),
	}
	if recs, err := s.Outbox(ctx); err == nil {
		o.Outbox = recs
	}
	s.RecordEvidence()
	return o
}

// watchNeeds returns a context for running part that is cancelled as soon
// as skip (Options.SkipPart) names a need of the part that failed, and
// need, which says that need ("" while there is none). stop ends the
// watch.
func watchNeeds(ctx context.Context, skip func(string) string, part string) (pctx context.Context, need func() string, stop func()) {
	if skip == nil {
		return ctx, func() string { return "" }, func() {}
	}
	pctx, cancel := context.WithCancel(ctx)
	var (
		mu    sync.Mutex
		found string
		done  = make(chan struct{})
		ended = make(chan struct{})
	)
	go func() {
		defer close(ended)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-pctx.Done():
				return
			case <-t.C:
			}
			if n := skip(part); n != "" {
				mu.Lock()
				found = n
				mu.Unlock()
				cancel()
				return
			}
		}
	}()
	need = func() string {
		mu.Lock()
		defer mu.Unlock()
		return found
	}
	stop = func() {
		close(done)
		<-ended
		cancel()
	}
	return pctx, need, stop
}

// didNotFinish is the failure of a part that ran out of its own deadline
// in step st.
func didNotFinish(st session.Step, within time.Duration) error {
	d := lang.Text{EN: within.String(), DE: strings.Replace(within.String(), ".", ",", 1)}
	return &session.ExpectationError{Kind: failure.DidNotFinish, Within: within, Deadline: true,
		Expected: lang.Say("the check to finish within %s", "die Prüfung wird innerhalb von %s fertig", d),
		Seen:     lang.Say("it did not finish in %s: it was still at the step %q", "sie wurde nicht in %s fertig: sie war noch beim Schritt „%s“", d, st.Said()),
	}
}
