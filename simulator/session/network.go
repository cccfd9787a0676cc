package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/trace"
)

// swSession is a CDP session attached to the app's service-worker target.
type swSession struct {
	id     target.ID
	ctx    context.Context
	cancel context.CancelFunc
}

// setOffline turns a target's network off or on. For the service worker the
// by-rule call with EmulateOfflineServiceWorker is what holds back sync.
func setOffline(ctx context.Context, t *chromedp.Target, offline, worker bool) error {
	var syncOffline *bool
	if worker {
		syncOffline = &offline
	}
	if err := emulateOffline(ctx, t, offline, syncOffline); err != nil {
		return err
	}
	if !worker {
		state := network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
		if _, err := cdp.Call(ctx, t, network.OverrideNetworkState, state); err != nil {
			return fmt.Errorf("Network.overrideNetworkState: %w", err)
		}
	}
	return nil
}

// emulateOffline makes a target's own requests fail (offline) or pass; for
// a service worker, syncOffline (if set) says whether Background Sync sees
// it offline.
func emulateOffline(ctx context.Context, t *chromedp.Target, offline bool, syncOffline *bool) error {
	params := network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{}, EmulateOfflineServiceWorker: syncOffline}
	if offline {
		params.MatchedNetworkConditions = []*network.Conditions{{URLPattern: "", Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, params); err != nil {
		return fmt.Errorf("Network.emulateNetworkConditionsByRule: %w", err)
	}
	return nil
}

// worker returns a session on the running service worker, starting the
// worker and attaching when needed. If the worker should be offline, the
// emulation is applied again on a new target.
func (s *Session) worker(ctx context.Context) (*swSession, error) {
	deadline := time.Now().Add(s.cfg.Timeout)
	started := false
	for {
		id, err := s.workerTarget(ctx)
		if err != nil {
			return nil, err
		}
		if id != "" {
			s.mu.Lock()
			cur := s.sw
			s.mu.Unlock()
			if cur != nil && cur.id == id {
				return cur, nil
			}
			return s.attachWorker(ctx, id, workerAnswers)
		}
		if !started {
			cctx, cancel := withDeadline(ctx, s.control, 5*time.Second)
			_, err := chromedp.Call(cctx, serviceworker.StartWorker, serviceworker.StartWorkerParams{ScopeURL: AppOrigin + "/"})
			cancel()
			if err != nil {
				return nil, fmt.Errorf("start the service worker: %w", err)
			}
			started = true
		}
		if time.Now().After(deadline) {
			err := fmt.Errorf("no running service worker for %s/ within %v (was it registered?)", AppOrigin, s.cfg.Timeout)
			if hint := s.workerHint(); hint.EN != "" {
				err = fmt.Errorf("%w; %s", err, hint.EN)
			}
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Session) workerTarget(ctx context.Context) (target.ID, error) {
	cctx, cancel := withDeadline(ctx, s.control, 5*time.Second)
	defer cancel()
	infos, err := chromedp.Targets(cctx)
	if err != nil {
		return "", fmt.Errorf("list targets: %w", err)
	}
	var found []target.ID
	for _, ti := range infos {
		if ti.Type == "service_worker" && string(ti.BrowserContextID) == s.bctx.ID && strings.HasPrefix(ti.URL, AppOrigin+"/") {
			found = append(found, ti.TargetID)
		}
	}
	if len(found) == 0 {
		return "", nil
	}
	// While a new version installs or waits, two versions run: the one
	// that gets the sync events is the active one.
	if active := s.activeTarget(); active != "" && slices.Contains(found, active) {
		return active, nil
	}
	return found[0], nil
}

// workerAnswers is how long the service worker may take to answer DevTools.
const workerAnswers = 5 * time.Second

// attachWorker attaches to the service worker target id; a worker that does
// not answer within is stopped as a runaway. The session it had is let go
// only once the new one is set up: while a new version takes over, the
// old one's session keeps the registration offline for Background Sync
// (Chromium counts the DevTools sessions that emulate it offline).
func (s *Session) attachWorker(ctx context.Context, id target.ID, within time.Duration) (*swSession, error) {
	wctx, cancel := chromedp.NewContext(s.control, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	// Attaching evaluates in the worker: a worker stuck in an endless loop
	// never answers, so the attach gets a deadline of its own.
	attached := make(chan error, 1)
	go func() { attached <- s.listenTarget(wctx, trace.Worker) }()
	select {
	case err := <-attached:
		if err != nil {
			cancel()
			return nil, fmt.Errorf("attach to the service worker: %w", err)
		}
	case <-time.After(within):
		cancel()
		// Stop it: a looping worker costs the machine a processor core.
		s.stopRunaway(lang.Say("the service worker did not answer DevTools within %v (an endless loop?): the checks stopped it",
			"der Service Worker antwortete DevTools nicht innerhalb von %v (eine Endlosschleife?): die Prüfungen haben ihn angehalten", duration(within)))
		return nil, &ExpectationError{Kind: failure.AppBroken, Expected: lang.Say("the service worker to answer", "der Service Worker antwortet"), Within: within, Deadline: true,
			Seen: lang.Say("it did not answer: is its code stuck in an endless loop (an event handler that never returns)?",
				"er antwortete nicht: hängt sein Code in einer Endlosschleife (ein Event-Handler, der nie zurückkehrt)?")}
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	}
	sw := &swSession{id: id, ctx: wctx, cancel: cancel}
	s.mu.Lock()
	off := s.swOff
	s.mu.Unlock()
	cctx, ccancel := withDeadline(ctx, wctx, 5*time.Second)
	defer ccancel()
	err := chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if off {
			return setOffline(ctx, t, true, true)
		}
		return nil
	}))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("attach to the service worker: %w", err)
	}
	s.mu.Lock()
	old := s.sw
	s.sw = sw
	s.mu.Unlock()
	if old != nil {
		old.cancel()
	}
	return sw, nil
}

func (s *Session) detachWorker() {
	s.mu.Lock()
	sw := s.sw
	s.sw = nil
	s.mu.Unlock()
	if sw != nil {
		sw.cancel()
	}
}

// WorkerOffline takes the service worker offline (or back online): its
// fetches fail and Background Sync waits for the network.
func WorkerOffline(offline bool) Step {
	title := lang.Say("service worker goes offline", "der Service Worker geht offline")
	if !offline {
		title = lang.Say("service worker goes online", "der Service Worker geht wieder online")
	}
	return named(title, func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		s.swOff = offline
		s.wentOffline = s.wentOffline || offline
		s.acted = time.Now()
		s.mu.Unlock()
		sw, err := s.worker(ctx)
		if err != nil {
			return err
		}
		cctx, cancel := withDeadline(ctx, sw.ctx, 5*time.Second)
		defer cancel()
		if !offline {
			networkFirst(cctx)
		}
		err = chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			return setOffline(ctx, t, offline, true)
		}))
		if err != nil {
			return err
		}
		s.Timeline.Add(trace.Sim, "fault", title.EN)
		return nil
	})
}

// networkCheck is the query of the request networkFirst sends from the
// worker: the checks' own, so its failure is never the app's.
const networkCheck = "synclab-network-check"

// networkFirst gives the worker (sw, a worker session's context) its
// network back while Background Sync still sees it offline, and waits
// until a request of its own gets through (at most a second). Going
// online in one call fires the pending sync event at once, and on a busy
// machine the replay's first fetch could still fail with
// ERR_INTERNET_DISCONNECTED: a real browser that comes back online has
// its network before it syncs, and a handler that does not hand its
// failure to waitUntil (the course's) lost the post.
func networkFirst(sw context.Context) {
	held := true
	err := chromedp.Do(sw, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return emulateOffline(ctx, t, false, &held)
	}))
	if err != nil {
		return
	}
	until := time.Now().Add(time.Second)
	for time.Now().Before(until) {
		ok, err := chromedp.Run(sw, chromedp.Evaluate[bool](`fetch(self.location.origin + '/?`+networkCheck+`', { method: 'HEAD', cache: 'no-store' }).then(() => true, () => false)`, chromedp.EvalAwaitPromise))
		if err != nil || ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// PageOffline takes the app tabs offline (or online): the page's own
// fetches fail, navigator.onLine follows.
func PageOffline(offline bool) Step {
	title := lang.Say("page goes offline", "die Seite geht offline")
	if !offline {
		title = lang.Say("page goes online", "die Seite geht wieder online")
	}
	return named(title, func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		s.pageOff = offline
		s.acted = time.Now()
		tabs := append([]appTab(nil), s.appTabs...)
		s.mu.Unlock()
		for _, tab := range tabs {
			cctx, cancel := withDeadline(ctx, tab.ctx, 5*time.Second)
			err := chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				return setOffline(ctx, t, offline, false)
			}))
			cancel()
			if err != nil && !errors.Is(err, chromedp.ErrTargetDetached) {
				return err
			}
		}
		s.Timeline.Add(trace.Sim, "fault", title.EN)
		return nil
	})
}

// GoOffline takes page and service worker offline together.
func GoOffline() Step {
	return Steps(lang.Say("go offline", "offline gehen"), PageOffline(true), WorkerOffline(true))
}

// EnsureOnline brings back online what is offline of page and service
// worker, and touches nothing that is online already (a worker nobody
// attached to stays so).
func EnsureOnline() Step {
	return named(lang.Say("be online", "online sein"), func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		pageOff, swOff := s.pageOff, s.swOff
		s.mu.Unlock()
		if pageOff {
			if err := PageOffline(false).Run(ctx, s); err != nil {
				return err
			}
		}
		if swOff {
			return WorkerOffline(false).Run(ctx, s)
		}
		return nil
	})
}

// GoOnline brings page and service worker back online (worker last, so
// that the sync it fires finds the page online).
func GoOnline() Step {
	return Steps(lang.Say("go online", "wieder online gehen"), PageOffline(false), WorkerOffline(false))
}
