package scenario

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"synclab/frontend/mirror"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

// Options tunes Run.
type Options struct {
	Timeout     time.Duration
	SlowMo      time.Duration
	Screenshots bool
	Progress    func(step string, err error, done bool, d time.Duration)
	// Deadline bounds the whole scenario (60 s if zero).
	Deadline time.Duration
	// Mirror answers the CDN addresses students' apps keep; nil: none.
	Mirror *mirror.Mirror
	// PassOutside lets outside requests through to the internet (-net);
	// grading never sets it.
	PassOutside bool
}

// Result is the outcome of one scenario run.
type Result struct {
	Scenario string
	Passed   bool
	// Err is why it failed (nil when it passed).
	Err error
	// Environment is set when the failure lies outside the app (browser,
	// database, ports), not in what the app did.
	Environment bool
	Duration    time.Duration
	Session     *session.Session
	// Outside lists the app's requests outside its two origins (answered
	// by the CDN mirror, or not available during the run).
	Outside []browser.OutsideRequest
	// Notes say what the run could not offer the app and what followed
	// from it; none of it counts against the app.
	Notes []string
}

// Run runs sc against app in a fresh browser context of b. The caller must
// Close the result's session (when not nil) after reading it.
func Run(ctx context.Context, b *browser.Browser, app fs.FS, sc Scenario, o Options) Result {
	start := time.Now()
	if o.Deadline <= 0 {
		o.Deadline = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Deadline)
	defer cancel()
	s, err := session.Open(ctx, session.Config{
		Browser: b, App: app, Timeout: o.Timeout, SlowMo: o.SlowMo, Screenshots: o.Screenshots, Progress: o.Progress,
		Mirror: o.Mirror, PassOutside: o.PassOutside,
	})
	if err != nil {
		return Result{Scenario: sc.Name, Err: err, Environment: true, Duration: time.Since(start)}
	}
	err = sc.Run(ctx, s)
	r := Result{Scenario: sc.Name, Passed: err == nil, Err: err, Duration: time.Since(start), Session: s,
		Outside: s.Outside(), Notes: s.Notes()}
	var env *session.EnvironmentError
	if errors.As(err, &env) {
		r.Environment = true
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.Err = errors.Join(err, errors.New("the scenario ran out of time ("+o.Deadline.String()+")"))
	}
	return r
}
