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
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/trace"
)

// waitActiveJS resolves when a service worker controls the page, or with a
// reason after the timeout.
const waitActiveJS = `(async (ms) => {
  if (!('serviceWorker' in navigator)) return 'this browser has no service workers';
  const timeout = new Promise(r => setTimeout(() => r('timeout'), ms));
  const ready = (async () => {
    const reg = await navigator.serviceWorker.ready;
    const w = reg.active;
    if (w && w.state !== 'activated') {
      await new Promise(r => w.addEventListener('statechange', () => { if (w.state === 'activated') r(); }));
    }
    if (!navigator.serviceWorker.controller) {
      await new Promise(r => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return 'ok';
  })();
  return Promise.race([ready, timeout]);
})(%d)`

// dialogJS replaces alert/confirm/prompt so that a test never hangs. Each
// dialog is said on the console (the session records it as the app's
// dialog) and kept in a list the steps read right after a click, to see
// whether the app refused what the click asked for ("take a photo first").
const dialogJS = `(() => {
  const raised = [];
  Object.defineProperty(window, '` + dialogsVar + `', { value: raised });
  const say = (kind, m) => {
    const text = kind + ': ' + (m === undefined ? '' : String(m));
    raised.push(text);
    console.warn('` + alertPrefix + `' + text);
  };
  window.alert = (m) => { say('alert', m); };
  window.confirm = (m) => { say('confirm', m); return true; };
  window.prompt = (m) => { say('prompt', m); return ''; };
})();`

// pageSyncJS notices a sync listener added in a page, where it never
// hears a sync event (self is the window there): the handler belongs in
// the service worker. It says where on the console.
const pageSyncJS = `(() => {
  const add = window.addEventListener;
  window.addEventListener = function (type, ...rest) {
    if (type === 'sync') {
      const at = (new Error().stack || '').split('\n').slice(2, 3).join('').trim();
      console.warn('` + pageSyncPrefix + `' + at);
    }
    return add.call(this, type, ...rest);
  };
})();`

const pageSyncPrefix = "[synclab-page-sync] "

// dialogsVar is the page's list of the dialogs it raised (see dialogJS).
const dialogsVar = "__synclabDialogs"

const alertPrefix = "[synclab-dialog] "

// snackbarJS reports every text the MDL snackbar shows on the console, so
// that a message is seen even when it is gone before anyone looks.
const snackbarJS = `(() => {
  const report = (el) => {
    const t = el.querySelector('.mdl-snackbar__text');
    if (t && t.textContent.trim()) console.debug('` + snackbarPrefix + `' + t.textContent.trim());
  };
  const watch = () => {
    const bar = document.querySelector('#confirmation-toast');
    if (!bar) return;
    new MutationObserver(() => report(bar)).observe(bar, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();`

const snackbarPrefix = "[synclab-snackbar] "

// pageRequestLimit is how many fetch and XMLHttpRequest calls one page
// may make: loading the app and a journey's posts take a few dozen.
const pageRequestLimit = 300

// floodGuardJS returns a script that stops a request flood where it
// starts. Past pageRequestLimit calls, fetch rejects and XMLHttpRequest's
// send throws without a request, and the page says so once on the console. (Tens of
// thousands of requests that reach the browser's network service, which
// every browser context shares, starve the other submissions graded at
// the same time: a correct app's worker failed to activate while another
// app flooded.)
func floodGuardJS() string {
	return fmt.Sprintf(`(() => {
  const limit = %d;
  let calls = 0;
  const over = () => {
    calls += 1;
    if (calls <= limit) return false;
    if (calls === limit + 1) console.warn('%s' + limit);
    return true;
  };
  const fetch = window.fetch;
  window.fetch = function (...args) {
    if (over()) return Promise.reject(new TypeError('Failed to fetch: the checks stopped a request flood'));
    return fetch.apply(this, args);
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    if (over()) throw new DOMException('the checks stopped a request flood', 'NetworkError');
    return send.apply(this, args);
  };
})();`, pageRequestLimit, floodPrefix)
}

const floodPrefix = "[synclab-flood] "

// pageHeapLimit is how much JavaScript memory one page may hold: a correct
// course-style app (MDL, OpenLayers, idb) held 5 MB 2.5 s after it loaded.
// It is low so that a page allocating without end is stopped well before
// its service worker activates, in every run: at 128 MB a memory hog's
// "app starts" passed in some gradings and failed in others, depending on
// whether the heap or the worker got there first.
const pageHeapLimit = 64 << 20

// memoryGuardJS returns a script that notices a page allocating without
// end long before the browser's own limit (browser.JSHeapLimitMB)
// would crash it: near that limit the garbage collector runs again and
// again, which kept such a page busy for 5–15 s and took processor time
// from the other submissions graded at the same time. It reads the page's
// heap ten times a second (exact with --enable-precise-memory-info) and
// says so once on the console; a loop that never yields still meets the
// browser's limit.
func memoryGuardJS() string {
	return fmt.Sprintf(`(() => {
  const limit = %d;
  if (!performance.memory) return;
  const timer = setInterval(() => {
    const used = performance.memory.usedJSHeapSize;
    if (used > limit) {
      clearInterval(timer);
      console.warn('%s' + Math.round(used / 1048576));
    }
  }, 100);
})();`, pageHeapLimit, memoryPrefix)
}

const memoryPrefix = "[synclab-memory] "

// OpenApp opens the app in a new tab and waits until its service worker is
// active and controls the page.
func OpenApp() Step {
	return named(lang.Say("open the app", "die App öffnen"), func(ctx context.Context, s *Session) error {
		return s.openTab(ctx)
	})
}

// ReopenApp opens the app again after CloseAppTabs.
func ReopenApp() Step {
	return named(lang.Say("reopen the app", "die App wieder öffnen"), func(ctx context.Context, s *Session) error {
		return s.openTab(ctx)
	})
}

func (s *Session) openTab(ctx context.Context) error {
	// The app's tab draws only when someone looks: in a live demo and when
	// every step is photographed. Otherwise it is hidden (see
	// browser.Context.NewTab), a screenshot shows it for a moment.
	tab, cancel, err := s.bctx.NewTab(ctx, s.cfg.Screenshots)
	if err != nil {
		return &EnvironmentError{err}
	}
	if err := s.listenTarget(tab, trace.Page); err != nil {
		cancel()
		return err
	}
	cctx, ccancel := withDeadline(ctx, tab, s.cfg.Timeout+10*time.Second)
	defer ccancel()
	err = chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		s.mu.Lock()
		noSync, offline := s.noSyncMg, s.pageOff
		s.mu.Unlock()
		// Dialogs would block the page: answer them, and record what they said.
		if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: harnessScript("page.js", browser.HiddenPageJS+floodGuardJS()+memoryGuardJS()+dialogJS+snackbarJS+pageSyncJS)}); err != nil {
			return err
		}
		// Report the page's IndexedDB reads and writes too (for the trace).
		if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: harnessScript("storage-watch.js", watchStorageJS)}); err != nil {
			return err
		}
		if noSync {
			if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: harnessScript("no-syncmanager.js", noSyncManagerJS)}); err != nil {
				return err
			}
		}
		if offline {
			return setOffline(ctx, t, true, false)
		}
		return nil
	}), chromedp.Navigate(AppOrigin+"/"))
	if err != nil {
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return &ExpectationError{Kind: failure.AppBroken, Expected: lang.Say("the app's page %s/ to finish loading", "die Seite der App %s/ wird fertig geladen", AppOrigin), Within: s.cfg.Timeout + 10*time.Second, Deadline: true,
				Seen: lang.Say("it did not (%d requests started): does its code keep the page busy, with an endless loop or thousands of requests at once?",
					"sie wurde nicht fertig geladen (%d Anfragen gestartet): hält ihr Code die Seite beschäftigt, mit einer Endlosschleife oder Tausenden Anfragen auf einmal?", s.started.Load())}
		}
		return fmt.Errorf("load %s/: %w", AppOrigin, err)
	}
	s.mu.Lock()
	s.appTabs = append(s.appTabs, appTab{ctx: tab, cancel: cancel})
	s.mu.Unlock()
	state, err := eval[string](ctx, s, fmt.Sprintf(waitActiveJS, s.cfg.Timeout.Milliseconds()))
	if err != nil {
		return err
	}
	if state != "ok" {
		s.mu.Lock()
		s.workerNotActive = true
		s.mu.Unlock()
		return &ExpectationError{Kind: failure.WorkerNotActive, Expected: lang.Say("the service worker to activate and control the page", "der Service Worker wird aktiv und steuert die Seite"),
			Within: s.cfg.Timeout, Seen: lang.Say("it did not (%s)", "das geschah nicht (%s)", state), Context: s.workerHint(), Deadline: true}
	}
	s.Timeline.Add(trace.Page, "step", "service worker active, page controlled")
	return nil
}

// workerHint adds what the service worker said, for error messages.
func (s *Session) workerHint() lang.Text {
	var parts []lang.Text
	if errs := s.Errors(); len(errs) > 0 {
		parts = append(parts, lang.Say("errors: %s", "Fehler: %s", strings.Join(errs, "; ")))
	}
	if logs := s.Timeline.Tail(trace.Worker, "console", 3); len(logs) > 0 {
		parts = append(parts, lang.Say("the service worker logged: %s", "der Service Worker schrieb: %s", strings.Join(logs, " | ")))
	}
	return lang.Join(parts, "; ")
}

// CloseAppTabs closes every tab of the app (the app is "closed"; its
// service worker lives on).
func CloseAppTabs() Step {
	return named(lang.Say("close all app tabs", "alle Tabs der App schließen"), func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		tabs := s.appTabs
		s.appTabs = nil
		s.mu.Unlock()
		for _, t := range tabs {
			cctx, cancel := withDeadline(ctx, s.control, 5*time.Second)
			err := closeTab(cctx, t.ctx)
			cancel()
			t.cancel()
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// closeTab closes the tab of a chromedp context.
func closeTab(ctx context.Context, tab context.Context) error {
	c := chromedp.FromContext(tab)
	if c == nil || c.Target == nil {
		return nil
	}
	if _, err := chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: c.Target.TargetID}); err != nil {
		return fmt.Errorf("close tab: %w", err)
	}
	return nil
}

// RemoveSyncManager makes 'SyncManager' in window false in app tabs opened
// or reloaded from now on (open tabs keep theirs until reloaded), to force
// the fallback branch.
func RemoveSyncManager() Step {
	return named(lang.Say("remove SyncManager from the page", "SyncManager aus der Seite entfernen"), func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		s.noSyncMg = true
		tabs := slices.Clone(s.appTabs)
		s.mu.Unlock()
		for _, t := range tabs {
			cctx, cancel := withDeadline(ctx, t.ctx, 5*time.Second)
			err := chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: harnessScript("no-syncmanager.js", noSyncManagerJS)})
				return err
			}))
			cancel()
			if err != nil {
				return fmt.Errorf("remove SyncManager from an open tab: %w", err)
			}
		}
		return nil
	})
}

const noSyncManagerJS = "delete window.SyncManager;"

// Reload reloads the newest app tab, or opens the app when no tab shows
// it (after CloseAppTabs).
func Reload() Step {
	return named(lang.Say("reload the app", "die App neu laden"), func(ctx context.Context, s *Session) error {
		tab, err := s.appTab()
		if err != nil {
			return s.openTab(ctx) // no tab shows the app
		}
		cctx, cancel := withDeadline(ctx, tab, s.cfg.Timeout+5*time.Second)
		defer cancel()
		return chromedp.Do(cctx, chromedp.Reload())
	})
}

// StopServiceWorker stops the app's service worker (it starts again when an
// event needs it). It refuses while the worker is emulated offline: that
// combination leaves Chromium's sync stuck for the browser's lifetime.
func StopServiceWorker() Step {
	return named(lang.Say("stop the service worker", "den Service Worker anhalten"), func(ctx context.Context, s *Session) error {
		return s.stopWorkers(ctx)
	})
}

// stopWorkers stops the app's service workers through DevTools, detached
// first (a stopped worker's target reports a crash). It refuses while the
// worker is emulated offline: that combination leaves Chromium's sync stuck
// for the browser's lifetime.
func (s *Session) stopWorkers(ctx context.Context) error {
	s.mu.Lock()
	off := s.swOff
	s.mu.Unlock()
	if off {
		return errors.New("refusing to stop the service worker while it is offline (Chromium would never sync again in this browser): go online first")
	}
	s.detachWorker()
	cctx, cancel := withDeadline(ctx, s.control, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Call(cctx, serviceworker.StopAllWorkers, cdp.Empty{}); err != nil {
		return fmt.Errorf("ServiceWorker.stopAllWorkers: %w", err)
	}
	return nil
}

// StartServiceWorker starts the app's service worker again (after
// StopServiceWorker) and attaches to it.
func StartServiceWorker() Step {
	return named(lang.Say("start the service worker", "den Service Worker starten"), func(ctx context.Context, s *Session) error {
		_, err := s.worker(ctx)
		return err
	})
}

// Wait pauses for d.
func Wait(d time.Duration) Step {
	return named(lang.Say("wait %v", "%v warten", duration(d)), func(ctx context.Context, s *Session) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}
