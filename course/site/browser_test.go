package site

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"synclab/simulator/browser"
)

// repoSite builds this repository's course once for the package's tests.
var repoSite = sync.OnceValues(func() (*Site, error) {
	src, err := RepoSources(context.Background(), RepoOptions{})
	if err != nil {
		return nil, err
	}
	return Build(context.Background(), src, Options{})
})

// tab is a browser tab that collects what went wrong in it.
type tab struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func (tb *tab) add(format string, args ...any) {
	tb.mu.Lock()
	tb.errors = append(tb.errors, fmt.Sprintf(format, args...))
	tb.mu.Unlock()
}

func openTab(t *testing.T, parent context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			tb.add("exception: %s", e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				tb.add("console.error: %s", strings.Join(parts, " "))
			}
		case *network.EventResponseReceived:
			if e.Response.Status >= 400 {
				tb.add("%d %s", e.Response.Status, e.Response.URL)
			}
		case *network.EventLoadingFailed:
			if !e.Canceled {
				tb.add("request failed: %s", e.ErrorText)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) problems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestSiteInChromium opens the course's pages and decks in headless
// Chromium: they render without errors, the decks have their slides, a page
// and a slide are kept as screenshots, and the site still opens offline.
func TestSiteInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	s, err := repoSite()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bc, err := b.NewContext("")
	if err != nil {
		t.Fatal(err)
	}
	defer bc.Close()
	out := t.ArtifactDir()

	chapter := pageName(filepath.Base(s.Names[s.Chapters["de"][0]]))
	pages := []string{"index.html", "de/index.html", "en/index.html", "de/steps/index.html", "de/steps/07.html", "en/steps/00.html", "en/steps/08.html"}
	for _, lang := range []string{"de", "en"} {
		for _, d := range s.Chapters[lang] {
			pages = append(pages, lang+"/"+pageName(filepath.Base(s.Names[d])))
		}
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			tb := openTab(t, bc.Page)
			if err := chromedp.Do(tb.ctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
				t.Fatal(err)
			}
			if n := eval[int](t, tb.ctx, `document.querySelectorAll('h1').length`); n != 1 {
				t.Errorf("%d h1 headings", n)
			}
			broken := eval[[]string](t, tb.ctx, `[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)`)
			if len(broken) > 0 {
				t.Errorf("images not shown: %v", broken)
			}
			if p == "de/"+chapter {
				// The page where checkpoint 07's listing starts.
				eval[bool](t, tb.ctx, `(document.querySelector('figure.listing[data-step="07"]') || document.body).scrollIntoView(), true`)
				png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				save(t, filepath.Join(out, "chapter-de.png"), png)
			}
			if errs := tb.problems(); len(errs) > 0 {
				t.Errorf("the page has errors: %s", strings.Join(errs, "; "))
			}
		})
	}

	for _, lang := range []string{"de", "en"} {
		t.Run("slides/"+lang, func(t *testing.T) {
			tb := openTab(t, bc.Page)
			if err := chromedp.Do(tb.ctx, chromedp.Navigate(srv.URL+"/slides/"+lang+"/index.html")); err != nil {
				t.Fatal(err)
			}
			eval[bool](t, tb.ctx, `new Promise(r => Reveal.isReady() ? r(true) : Reveal.on('ready', () => r(true)))`)
			want := len(s.Decks[lang].Slides)
			if got := eval[int](t, tb.ctx, `Reveal.getTotalSlides()`); got != want {
				t.Errorf("reveal.js shows %d slides, the deck has %d", got, want)
			}
			// Step through a listing: its first changed block is highlighted.
			idx := eval[int](t, tb.ctx, `Reveal.getSlides().findIndex(s => s.querySelector('.code-steps pre.fragment'))`)
			if idx < 0 {
				t.Fatal("no slide steps through a listing (no .code-steps pre.fragment): the deck lost its highlighted listings")
			}
			eval[bool](t, tb.ctx, fmt.Sprintf(`(Reveal.slide(%d), Reveal.nextFragment(), true)`, idx))
			// Wait until the fragment's transition has settled: exactly one
			// highlighted copy visible, or give up after 5 s and report the count.
			shown := eval[int](t, tb.ctx, `new Promise(resolve => {
				const count = () => [...Reveal.getCurrentSlide().querySelectorAll('.code-steps pre.fragment')]
					.filter(p => getComputedStyle(p).visibility !== 'hidden').length;
				const until = Date.now() + 5000;
				const poll = () => (count() === 1 || Date.now() > until) ? resolve(count()) : setTimeout(poll, 25);
				poll();
			})`)
			if shown != 1 {
				t.Errorf("after one step %d highlighted copies of the listing are visible, want 1", shown)
			}
			png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			save(t, filepath.Join(out, "slide-"+lang+".png"), png)
			if errs := tb.problems(); len(errs) > 0 {
				t.Errorf("the deck has errors: %s", strings.Join(errs, "; "))
			}
		})
	}

	t.Run("offline", func(t *testing.T) {
		tb := openTab(t, bc.Page)
		if err := chromedp.Do(tb.ctx, chromedp.Navigate(srv.URL+"/de/index.html")); err != nil {
			t.Fatal(err)
		}
		state := eval[string](t, tb.ctx, `Promise.race([
			navigator.serviceWorker.ready.then(r => r.active ? 'ok' : 'no worker'),
			new Promise(r => setTimeout(() => r('timeout'), 20000))])`)
		if state != "ok" {
			t.Fatalf("the course's service worker did not activate: %s", state)
		}
		srv.Close() // the server is gone: only the service worker can answer
		other := "en/" + pageName(filepath.Base(s.Names[s.Chapters["en"][len(s.Chapters["en"])-1]]))
		for _, p := range []string{other, "slides/en/index.html", "de/steps/03.html"} {
			if err := chromedp.Do(tb.ctx, chromedp.Navigate(srv.URL+"/"+p)); err != nil {
				t.Fatalf("offline, %s: %v", p, err)
			}
			if h := eval[string](t, tb.ctx, `(document.querySelector('h1, h2') || {}).textContent || ''`); h == "" {
				t.Errorf("offline, %s shows no heading", p)
			}
		}
	})
}

func save(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
