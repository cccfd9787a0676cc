package browser

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"synclab/lang"
)

// NoSyncMessage is what a browser without Background Sync answers a page
// that registers a sync ("UnknownError: Background Sync is disabled."):
// chrome-headless-shell does, for one.
const NoSyncMessage = "Background Sync is disabled"

// NoBackgroundSyncError says the browser cannot register a background
// sync, so no app can pass the chapter in it: the checks cannot run.
type NoBackgroundSyncError struct {
	// Browser is the executable, Said what it answered the registration.
	Browser, Said string
}

func (e *NoBackgroundSyncError) Error() string { return e.Text().EN }

// Text is the error in both languages of the tools.
func (e *NoBackgroundSyncError) Text() lang.Text {
	return lang.Say("the browser %s does not do Background Sync (a page that registers a sync is told %q), so no app can pass in it; use Chromium or Google Chrome (chrome-headless-shell has no Background Sync): install one, or set %s to one",
		"der Browser %s kann keine Hintergrundsynchronisation (eine Seite, die einen Sync registriert, erfährt %q), also kann keine App darin bestehen; nimm Chromium oder Google Chrome (chrome-headless-shell hat keine Hintergrundsynchronisation): installiere einen davon oder setze %s darauf",
		e.Browser, e.Said, PathEnv)
}

// syncProbe remembers what BackgroundSync found out.
type syncProbe struct {
	mu      sync.Mutex
	checked bool
	err     error
}

// BackgroundSync reports whether a page in this browser can register a
// background sync: nil if it can, a *NoBackgroundSyncError if the browser
// refuses, another error if the question could not be asked. A page on a
// loopback address of its own registers an empty service worker and a sync
// in a context of its own (about half a second); the answer is kept for
// the browser's life.
func (b *Browser) BackgroundSync(ctx context.Context) error {
	b.probe.mu.Lock()
	defer b.probe.mu.Unlock()
	if b.probe.checked {
		return b.probe.err
	}
	err := b.probeSync(ctx)
	var no *NoBackgroundSyncError
	if err == nil || errors.As(err, &no) {
		b.probe.checked, b.probe.err = true, err
	}
	return err
}

// probePage registers probeWorker and then a sync, and says how it went.
const probePage = `<!DOCTYPE html><title>Sync Lab: does this browser do Background Sync?</title>
<script>
window.probe = (async () => {
  if (!('serviceWorker' in navigator)) return 'no service workers';
  if (!('SyncManager' in window)) return 'no SyncManager';
  const reg = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  try {
    await reg.sync.register('synclab-probe');
    return '';
  } catch (e) {
    return String((e && e.name ? e.name + ': ' : '') + (e && e.message || e));
  }
})();
</script>`

const probeWorker = `self.addEventListener('sync', () => {});`

func (b *Browser) probeSync(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("ask the browser about Background Sync: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/sw.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(probeWorker))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(probePage))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	c, err := b.NewContext("")
	if err != nil {
		return fmt.Errorf("ask the browser about Background Sync: %w", err)
	}
	defer c.Close()
	tctx, cancel := context.WithTimeout(c.Page, 15*time.Second)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	_, err = chromedp.Run(tctx, chromedp.Navigate("http://"+ln.Addr().String()+"/"))
	var said string
	if err == nil {
		said, err = chromedp.Run(tctx, chromedp.Evaluate[string](`window.probe`, chromedp.EvalAwaitPromise))
	}
	switch {
	case err != nil:
		return fmt.Errorf("ask the browser about Background Sync: %w", err)
	case said == "":
		return nil
	case strings.Contains(said, NoSyncMessage) || said == "no SyncManager":
		return &NoBackgroundSyncError{Browser: b.ExecPath, Said: said}
	default:
		return fmt.Errorf("ask the browser about Background Sync: the probe's registration failed: %s", said)
	}
}
