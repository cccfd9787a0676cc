package scenario

import (
	"context"
	"errors"
	"io/fs"
	"time"

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
	})
	if err != nil {
		return Result{Scenario: sc.Name, Err: err, Environment: true, Duration: time.Since(start)}
	}
	err = sc.Run(ctx, s)
	r := Result{Scenario: sc.Name, Passed: err == nil, Err: err, Duration: time.Since(start), Session: s}
	var env *session.EnvironmentError
	if errors.As(err, &env) {
		r.Environment = true
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.Err = errors.Join(err, errors.New("the scenario ran out of time ("+o.Deadline.String()+")"))
	}
	return r
}
