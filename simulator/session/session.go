// Package session drives the chapter's app in a browser context of its own:
// the app and the reference backend run in-process on free ports, the
// browser believes it talks to http://localhost:8080 and :3000, and small
// steps (go offline, submit a post, read the outbox, wait for a sync) compose
// into scenarios.
package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"synclab/backend/appserver"
	"synclab/backend/dbsource"
	"synclab/backend/server"
	"synclab/failure"
	"synclab/frontend/mirror"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/trace"
)

// The origins the app's code uses.
const (
	AppOrigin  = "http://localhost:8080"
	APIOrigin  = "http://localhost:3000"
	SyncTag    = "sync-new-post"
	DBName     = "posts-store"
	OutboxName = "sync-posts"
)

// Config says what a session runs.
type Config struct {
	// Browser is shared by sessions; each session gets its own context.
	Browser *browser.Browser
	// App is the app's files (a checkpoint or a student's folder).
	App fs.FS
	// Timeout is the default deadline of each wait (5 s if zero).
	Timeout time.Duration
	// SlowMo pauses after each step (for a live demo).
	SlowMo time.Duration
	// Screenshots adds a screenshot to the timeline after each step.
	Screenshots bool
	// Progress, if set, is called when a step starts and ends.
	Progress func(step lang.Text, err error, done bool, d time.Duration)
	// Mirror answers the CDN addresses students' apps keep (nil: every
	// request outside the app's two origins fails at once).
	Mirror *mirror.Mirror
	// PassOutside lets outside requests through to the internet (-net).
	PassOutside bool
	// Mongo says where the session's throw-away database comes from
	// (default: MONGODB_URI, else the embedded FerretDB — never a Docker
	// container per session, which would cost seconds each; the checks
	// start one database for all their sessions and pass it here).
	Mongo  []dbsource.Option
	Logger *slog.Logger
}

// Session is one app under test in one browser context.
type Session struct {
	cfg      Config
	Server   *server.Server
	Timeline *trace.Timeline

	router  *browser.Router
	bctx    *browser.Context
	control context.Context // the context's first tab, kept at about:blank

	mu      sync.Mutex
	appTabs []appTab
	sw      *swSession
	swOff   bool
	pageOff bool
	regID   string
	// versions are the app's service-worker versions as the browser last
	// reported them, by version id (see versionsUpdated).
	versions map[string]serviceworker.Version
	// files serves the app (cfg.App), with sw.js replaceable at run time
	// (see DeployWorkerVersion).
	files *appFiles
	// stopsExpected is above zero while a stopping service worker is not a
	// crash (a new version takes over).
	stopsExpected int
	syncLog       []SyncEvent
	errors        []appError
	// errorsFrom is when ExpectNoErrors starts counting (see
	// CountErrorsFromHere); zero: from the start.
	errorsFrom time.Time
	failed     []failedRequest
	queued     []QueuedPost
	noSyncMg   bool
	// crashed is set when a page of the app crashed; wentOffline once the
	// session took the app offline.
	crashed     bool
	wentOffline bool
	// envErr is the first failure that makes the session's verdicts
	// not the app's: an exception thrown by the checks' own scripts
	// (*HarnessError), a browser without Background Sync
	// (*browser.NoBackgroundSyncError), or a database that stopped
	// answering (*DatabaseError).
	envErr error
	// workerNotActive is set when opening the app found no active worker.
	workerNotActive bool
	// pageSync is where a page script added a sync listener, if one did.
	pageSync string
	// photoWays says how each post's photo was given (see CreatePost).
	photoWays []lang.Text
	evidence  bool
	// pinged is when stuckWorker last asked the worker whether it answers.
	pinged time.Time
	// postsSent holds when each POST /posts left the browser (seen by the
	// context's proxy, whether or not the backend answered yet).
	postsSent []time.Time
	// acted is when the checks last did something that may make the app
	// send or store a post: a submit or a network switch.
	acted time.Time

	// alive ends (with a *RunawayError) when the app went beyond what the
	// checks allow; every step from then on fails at once.
	alive   context.Context
	runaway context.CancelCauseFunc
	// started counts the requests the app's pages and worker started.
	started atomic.Int64
}

// RunawayError says the app went beyond what a tab may do during the
// checks (a request flood, say); the session stopped it.
type RunawayError struct{ Why lang.Text }

func (e *RunawayError) Error() string { return e.Why.EN }

// maxRequests is how many requests one session's app may make: a journey
// needs about a hundred, a flood is stopped here.
const maxRequests = 1000

// appError is an uncaught exception of a page or the service worker.
type appError struct {
	Time time.Time
	Text string
}

// failedRequest is a request to the app's own origins that failed.
type failedRequest struct {
	Time time.Time
	URL  string
}

type appTab struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// EnvironmentError marks failures of the environment (no browser, no
// database, a port) rather than of the app under test.
type EnvironmentError struct{ Err error }

func (e *EnvironmentError) Error() string { return e.Err.Error() }
func (e *EnvironmentError) Unwrap() error { return e.Err }

// Open starts the backend (with a throw-away database and the lab hooks),
// the app server, a proxy and a browser context. It does not open the app
// yet: that is the step OpenApp.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Session{cfg: cfg, Timeline: trace.New(), files: newAppFiles(cfg.App)}
	s.alive, s.runaway = context.WithCancelCause(context.Background())
	began := time.Now()
	mongo := cfg.Mongo
	if mongo == nil {
		mongo = dbsource.URIOrEmbedded(dbsource.URIFromEnv())
	}
	mongo = append([]dbsource.Option{dbsource.Ephemeral()}, mongo...)
	srv, err := server.Start(ctx, server.Config{
		APIAddr: "127.0.0.1:0",
		AppAddr: "127.0.0.1:0",
		App:     appserver.New(s.files, cfg.Logger),
		Mongo:   mongo,
		Lab:     true,
		Logger:  cfg.Logger,
	})
	if err != nil {
		return nil, &EnvironmentError{fmt.Errorf("start the backend: %w", err)}
	}
	s.Server = srv
	cfg.Logger.Debug("session: backend started", "after", time.Since(began))
	s.router, err = browser.NewRouter(browser.RouterConfig{
		Routes: map[string]string{
			"localhost:8080": strings.TrimPrefix(srv.AppURL, "http://"),
			"localhost:3000": strings.TrimPrefix(srv.APIURL, "http://"),
		},
		Mirror:      cfg.Mirror,
		Certs:       cfg.Browser.Certs(),
		PassOutside: cfg.PassOutside,
		OnOutside:   s.recordOutside,
		MaxRequests: maxRequests,
		OnRoute: func(method, host, path string) {
			if method == http.MethodPost && "http://"+host == APIOrigin && path == "/posts" {
				s.mu.Lock()
				s.postsSent = append(s.postsSent, time.Now())
				s.mu.Unlock()
			}
		},
		OnFlood: func(limit int) {
			s.stopRunaway(lang.Say("the app made more than %d requests to its servers (a request flood): the checks closed its tabs",
				"die App stellte mehr als %d Anfragen an ihre Server (eine Anfrageflut): die Prüfungen haben ihre Tabs geschlossen", limit))
		},
	})
	if err != nil {
		s.Close()
		return nil, &EnvironmentError{err}
	}
	s.bctx, err = cfg.Browser.NewContext(s.router.Addr())
	if err != nil {
		s.Close()
		return nil, &EnvironmentError{err}
	}
	cfg.Logger.Debug("session: browser context made", "after", time.Since(began))
	s.control = s.bctx.Page
	if err := s.observeControl(); err != nil {
		s.Close()
		return nil, &EnvironmentError{err}
	}
	cfg.Logger.Debug("session: open", "after", time.Since(began))
	return s, nil
}

// stopRunaway ends the session's steps with why, and closes the app's tabs
// and stops its worker so that the runaway code stops costing the machine.
func (s *Session) stopRunaway(why lang.Text) {
	s.runaway(&RunawayError{Why: why})
	s.Timeline.Add(trace.Sim, "fault", why.EN)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = CloseAppTabs().Run(ctx, s)
		s.detachWorker()
		cctx, ccancel := withDeadline(ctx, s.control, 5*time.Second)
		defer ccancel()
		_, _ = chromedp.Call(cctx, serviceworker.StopAllWorkers, cdp.Empty{})
	}()
}

// Close ends the session: browser context, proxy, servers, database.
func (s *Session) Close() {
	s.runaway(context.Canceled)
	began := time.Now()
	s.mu.Lock()
	sw := s.sw
	s.sw = nil
	tabs := s.appTabs
	s.appTabs = nil
	s.mu.Unlock()
	if sw != nil {
		sw.cancel()
	}
	for _, t := range tabs {
		t.cancel()
	}
	if s.bctx != nil {
		s.bctx.Close()
	}
	// The session's servers are throw-away and its results are in: a
	// request still running after 200 ms is cut off rather than waited for.
	// (With 2 s, Shutdown waited the whole 2 s in about half of the checks'
	// runs, for connections the closed browser context had left behind.)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if s.router != nil {
		_ = s.router.Close(ctx)
	}
	if s.Server != nil {
		_ = s.Server.Shutdown(ctx)
	}
	if s.router != nil {
		s.cfg.Logger.Debug("session: closed", "requests", s.router.Requests(), "after", time.Since(began))
	}
}

// Refused lists the requests outside the app's two origins that were
// answered with a network error.
func (s *Session) Refused() []string { return s.router.Refused() }

// Outside lists every request the app made outside its two origins: those
// the CDN mirror answered and those that failed at once.
func (s *Session) Outside() []browser.OutsideRequest { return s.router.Outside() }

// Step is one thing a scenario does, named for progress lines and errors.
type Step struct {
	// Name is what the step does, in English: errors and timelines use it.
	Name string
	// Title is what the step does in both languages (for progress lines);
	// empty means Name in both.
	Title lang.Text
	Run   func(ctx context.Context, s *Session) error
}

// named makes a step whose Name is title's English.
func named(title lang.Text, run func(ctx context.Context, s *Session) error) Step {
	return Step{Name: title.EN, Title: title, Run: run}
}

// Said is what the step does in both languages.
func (st Step) Said() lang.Text {
	if st.Title.EN == "" {
		return lang.Same(st.Name)
	}
	return st.Title
}

// Do runs steps in order, stopping at the first failure. Each failure names
// its step.
func (s *Session) Do(ctx context.Context, steps ...Step) error {
	for _, st := range steps {
		if err := s.run(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) run(ctx context.Context, st Step) error {
	start := time.Now()
	if s.cfg.Progress != nil {
		s.cfg.Progress(st.Said(), nil, false, 0)
	}
	s.Timeline.Add(trace.Sim, "step", st.Name)
	err := s.runGuarded(ctx, st)
	if err != nil {
		var env *EnvironmentError
		if !errors.As(err, &env) {
			err = &StepError{Step: st.Name, Title: st.Said(), Err: err}
		}
		s.Timeline.Add(trace.Sim, "fault", fmt.Sprintf("%s failed: %v", st.Name, err))
	}
	switch {
	case s.cfg.Screenshots:
		s.screenshot(ctx, "after: "+st.Name, 3*time.Second)
	case err != nil && s.alive.Err() == nil && !errors.As(err, new(*EnvironmentError)):
		// What the page showed when the step failed, as evidence (also when
		// the step failed because the scenario ran out of time).
		s.screenshot(context.WithoutCancel(ctx), "failed: "+st.Name, time.Second)
	}
	if s.cfg.Progress != nil {
		s.cfg.Progress(st.Said(), err, true, time.Since(start))
	}
	if err == nil && s.cfg.SlowMo > 0 {
		select {
		case <-time.After(s.cfg.SlowMo):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// runGuarded runs st until it ends or the app runs away (see RunawayError):
// then the step fails with the reason, as the app's failure.
func (s *Session) runGuarded(ctx context.Context, st Step) error {
	runaway := func() error {
		var ra *RunawayError
		if errors.As(context.Cause(s.alive), &ra) {
			return &ExpectationError{Kind: failure.AppBroken, Expected: lang.Say("the app to stay within what a tab may do during the checks", "die App bleibt im Rahmen dessen, was ein Tab während der Prüfungen darf"), Seen: ra.Why, Instant: true}
		}
		return nil
	}
	if err := runaway(); err != nil {
		return err
	}
	if err := s.envError(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer context.AfterFunc(s.alive, func() { cancel(context.Cause(s.alive)) })()
	err := st.Run(ctx, s)
	if err != nil {
		s.askAboutSync(ctx, err)
	}
	s.noticeDatabase(ctx, err)
	if herr := s.envError(); herr != nil {
		return herr
	}
	if err != nil {
		if ra := runaway(); ra != nil {
			return ra
		}
	}
	return err
}

// StepError is a failed step: the app did not do what was expected.
type StepError struct {
	Step  string
	Title lang.Text // the step in both languages
	Err   error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// ErrorIn says err in l: the steps and what an expectation wanted and saw
// in that language, the rest (the browser's words, the system's) as it is.
func ErrorIn(err error, l string) string {
	switch e := err.(type) {
	case nil:
		return ""
	case *StepError:
		return e.Title.In(l) + ": " + ErrorIn(e.Err, l)
	case *ExpectationError:
		return e.In(l)
	case interface{ Unwrap() []error }: // errors.Join
		var parts []string
		for _, inner := range e.Unwrap() {
			parts = append(parts, ErrorIn(inner, l))
		}
		return strings.Join(parts, "\n")
	}
	msg := err.Error()
	if ee := AsExpectation(err); ee != nil {
		msg = strings.Replace(msg, ee.Error(), ee.In(l), 1)
	}
	return msg
}

// Steps joins steps into one.
func Steps(title lang.Text, steps ...Step) Step {
	return named(title, func(ctx context.Context, s *Session) error {
		for _, st := range steps {
			if err := st.Run(ctx, s); err != nil {
				return &StepError{Step: st.Name, Title: st.Said(), Err: err}
			}
		}
		return nil
	})
}

// PageSyncListener says where a page script of the app added a listener
// for sync events (empty if none did): in a page, self is the window,
// which never gets them.
func (s *Session) PageSyncListener() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pageSync
}

// Errors returns the uncaught exceptions of pages and the service worker
// that are the app's own: errors that follow from an outside address being
// unavailable during the checks are notes instead (see Notes).
func (s *Session) Errors() []string {
	own, _ := s.sortErrors(time.Time{})
	return own
}

func (s *Session) addError(text string) {
	s.mu.Lock()
	s.errors = append(s.errors, appError{Time: time.Now(), Text: text})
	s.mu.Unlock()
}

// appTab returns the newest open app tab.
func (s *Session) appTab() (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.appTabs) == 0 {
		return nil, errors.New("the app is not open (run OpenApp first)")
	}
	return s.appTabs[len(s.appTabs)-1].ctx, nil
}

// eval evaluates JavaScript in the newest app tab, awaiting promises.
func eval[T any](ctx context.Context, s *Session, expr string) (T, error) {
	var zero T
	tab, err := s.appTab()
	if err != nil {
		return zero, err
	}
	cctx, cancel := withDeadline(ctx, tab, s.cfg.Timeout+5*time.Second)
	defer cancel()
	v, err := chromedp.Run(cctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return zero, evalError("in the page", err)
	}
	return v, nil
}

// withDeadline derives a context for a chromedp call on target ctx that also
// ends when parent ends or after d.
// pollUntil checks done every interval until it holds (true), within has
// passed (false) or ctx ends (its error): for the session's own waits,
// which are no expectation of the app.
func pollUntil(ctx context.Context, within, every time.Duration, done func() bool) (bool, error) {
	deadline := time.Now().Add(within)
	for !done() {
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(every):
		}
	}
	return true, nil
}

func withDeadline(parent, target context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	c, cancel := context.WithTimeout(target, d)
	stop := context.AfterFunc(parent, cancel)
	return c, func() { stop(); cancel() }
}
