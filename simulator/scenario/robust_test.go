package scenario_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"synclab/frontend"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// brokenApp is checkpoint base with one file replaced.
func brokenApp(t *testing.T, base, file, content string) fs.FS {
	t.Helper()
	return frontend.Overlay(fstest.MapFS{file: {Data: []byte(content)}}, checkpoint(t, base))
}

// TestBrokenAppsFailClearlyWithinTheirDeadline: a service worker that never
// activates, a sync handler that never settles, one that loops forever (it
// is stopped) and a page that throws all
// end in a failure that says what happened, in bounded time, never a hang.
func TestBrokenAppsFailClearlyWithinTheirDeadline(t *testing.T) {
	sw00 := func(t *testing.T) string {
		b, err := fs.ReadFile(checkpoint(t, "00"), "sw.js")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// Busy, not waiting: the worker's thread never answers again.
	loopingWorker := func(t *testing.T) fs.FS {
		return brokenApp(t, "07", "sw.js", sw00(t)+`
self.addEventListener('sync', event => {
    if (event.tag === 'sync-new-post') {
        for (;;) { /* never done */ }
    }
});`)
	}
	tests := []struct {
		name     string
		app      func(t *testing.T) fs.FS
		scenario string
		wants    []string
	}{
		{
			name: "service worker never activates",
			app: func(t *testing.T) fs.FS {
				return brokenApp(t, "07", "sw.js", `self.addEventListener('install', e => e.waitUntil(new Promise(() => {})));`)
			},
			scenario: "replay",
			wants:    []string{"expected the service worker to activate"},
		},
		{
			name: "sync handler never settles",
			app: func(t *testing.T) fs.FS {
				return brokenApp(t, "07", "sw.js", sw00(t)+`
self.addEventListener('sync', event => {
    if (event.tag === 'sync-new-post') {
        event.waitUntil(new Promise(() => {})); // never settles
    }
});`)
			},
			scenario: "replay",
			wants:    []string{"expected the service worker to read the IndexedDB store", "Dispatched sync event"},
		},
		{
			name:     "sync handler loops forever",
			app:      loopingWorker,
			scenario: "replay",
			wants:    []string{"does not answer: is the handler stuck in an endless loop?"},
		},
		{
			// Online, nothing attached to the worker before its sync event:
			// the checks attach to ask it, and it does not answer that either.
			name:     "sync handler loops forever, online",
			app:      loopingWorker,
			scenario: "online-post",
			wants:    []string{"the service worker did not answer DevTools within 1s (an endless loop?)"},
		},
		{
			name: "page throws",
			app: func(t *testing.T) fs.FS {
				return brokenApp(t, "07", "src/js/app.js", "navigator.serviceWorker.register('/sw.js');\nnull.boom();")
			},
			scenario: "replay",
			wants:    []string{"expected no uncaught errors", "boom"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenario.Find(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r := scenario.Run(context.Background(), shared, tc.app(t), sc, scenario.Options{Session: session.Config{Timeout: 3 * time.Second}, Deadline: 30 * time.Second})
			elapsed := time.Since(start)
			if r.Passed || r.Environment {
				t.Fatalf("passed=%v environment=%v: %v", r.Passed, r.Environment, r.Err)
			}
			for _, w := range tc.wants {
				if !strings.Contains(r.Err.Error(), w) {
					t.Errorf("failure %q does not mention %q", r.Err, w)
				}
			}
			if elapsed > 25*time.Second {
				t.Errorf("took %v to fail", elapsed)
			}
			var se *session.StepError
			if !asStepError(r.Err, &se) {
				t.Errorf("failure is not attributed to a step: %v", r.Err)
			}
		})
	}
}

// TestOfflineReplayIsNotFlaky runs the replay check (and what it builds on) 10 times in a
// row on checkpoint 07 (BenchmarkOfflineReplay runs it more often).
func TestOfflineReplayIsNotFlaky(t *testing.T) {
	app := checkpoint(t, "07")
	sc, _ := scenario.Find("replay")
	failures := 0
	for i := range 10 {
		r := scenario.Run(context.Background(), shared, app, sc, scenario.Options{})
		if !r.Passed {
			failures++
			t.Errorf("run %d failed: %v", i+1, r.Err)
		}
	}
	if failures > 0 {
		t.Fatalf("%d of 10 runs failed", failures)
	}
}
