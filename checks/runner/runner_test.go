package runner_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"synclab/checks/catalog"
	"synclab/checks/runner"
	"synclab/failure"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/frontend/studentapp"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

var shared *browser.Browser

func TestMain(m *testing.M) {
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot start a browser for the checks' tests:", err)
		os.Exit(1)
	}
	shared = b
	code := m.Run()
	b.Close()
	os.Exit(code)
}

// libraries loads the npm libraries and the CDN mirror once.
var libraries = sync.OnceValues(func() (fs.FS, error) {
	return frontend.Vendor(context.Background(), frontend.VendorOptions{})
})

func env(tb testing.TB) runner.Env {
	tb.Helper()
	m, err := mirror.Load(context.Background(), frontend.VendorOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	return runner.Env{Session: session.Config{Browser: shared, Mirror: m}}
}

func checkpoint(tb testing.TB, id string) fs.FS {
	tb.Helper()
	v, err := libraries()
	if err != nil {
		tb.Fatal(err)
	}
	app, err := frontend.App(id, v)
	if err != nil {
		tb.Fatal(err)
	}
	return app
}

func studentApp(tb testing.TB, variants ...studentapp.Variant) fs.FS {
	tb.Helper()
	return studentAppOf(tb, "07", variants...)
}

// studentAppOf writes base (a checkpoint or studentapp.CourseApp) with the
// variants in the course's layout and opens it as a student's folder.
func studentAppOf(tb testing.TB, base string, variants ...studentapp.Variant) fs.FS {
	tb.Helper()
	v, err := libraries()
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(tb.TempDir(), "htw-insta")
	if err := studentapp.Write(dir, base, variants...); err != nil {
		tb.Fatal(err)
	}
	app, _, err := frontend.StudentFolder(dir, v)
	if err != nil {
		tb.Fatal(err)
	}
	return app
}

func load(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	cat, err := catalog.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func byID(rep runner.Report) map[string]runner.Result {
	out := map[string]runner.Result{}
	for _, r := range rep.Results {
		out[r.ID] = r
	}
	return out
}

// TestChapterHolds is CI's proof that the chapter holds: checkpoint N
// passes every check of the steps up to N, and checkpoint N−1 fails every
// check of step N with the kind the data names.
func TestChapterHolds(t *testing.T) {
	ctx := context.Background()
	cat := load(t)
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	e := env(t)
	for i, st := range steps {
		t.Run(st.ID, func(t *testing.T) {
			upTo, err := cat.Select(catalog.Selection{Step: st.ID, Groups: []string{"robust"}})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := runner.Run(ctx, e, checkpoint(t, st.ID), upTo)
			if err != nil {
				t.Fatal(err)
			}
			got := byID(rep)
			if len(rep.Results) != len(upTo) || len(got) != len(upTo) {
				t.Errorf("checkpoint %s: %d results (%d distinct) for %d checks", st.ID, len(rep.Results), len(got), len(upTo))
			}
			for _, ch := range upTo {
				r, ok := got[ch.ID]
				switch {
				case !ok:
					t.Errorf("checkpoint %s: %s has no result", st.ID, ch.ID)
				case r.Status != runner.Passed:
					t.Errorf("checkpoint %s: %s %s: %s%s", st.ID, r.ID, r.Status, r.Message, r.SkippedFor)
				}
			}
			t.Logf("checkpoint %s passes %d checks (%v)", st.ID, len(rep.Results), rep.Duration)
			if i == 0 {
				return
			}
			before := steps[i-1].ID
			// ids fail on the checkpoint before; also pass there for a
			// reason their steps give (AlsoPasses).
			var ids, also []string
			for _, ch := range upTo {
				if ch.Step != st.ID {
					continue
				}
				if sc, ok := scenario.Holding(all, ch.ID); ok {
					if p, _ := sc.Part(ch.ID); p.ShouldPass(before) {
						also = append(also, ch.ID)
						continue
					}
				}
				ids = append(ids, ch.ID)
			}
			if len(ids) == 0 {
				t.Fatalf("step %s has no check of its own that its checkpoint before fails: nothing proves it", st.ID)
			}
			own, err := cat.Select(catalog.Selection{Only: append(slices.Clone(ids), also...)})
			if err != nil {
				t.Fatal(err)
			}
			ie := e
			ie.IgnoreDependencies = true
			rep, err = runner.Run(ctx, ie, checkpoint(t, before), own)
			if err != nil {
				t.Fatal(err)
			}
			got = byID(rep)
			for _, id := range ids {
				ch, _ := cat.Find(id)
				r := got[id]
				if r.Status != runner.Failed || r.Kind != ch.FailsKind {
					t.Errorf("checkpoint %s: %s is %s with kind %q, want failed with %q: %s", before, id, r.Status, r.Kind, ch.FailsKind, r.Message)
				} else if r.Hint == nil {
					t.Errorf("checkpoint %s: %s failed without a hint", before, id)
				}
			}
			for _, id := range also {
				if r := got[id]; r.Status != runner.Passed {
					t.Errorf("checkpoint %s: %s is %s, want passed (its steps say it also passes there): %s", before, id, r.Status, r.Message)
				}
			}
			t.Logf("checkpoint %s fails the %d checks of step %s and passes %v (%v)", before, len(ids), st.ID, also, rep.Duration)
		})
	}
}

// TestSeededFaults grades the chapter's solution with one student mistake
// at a time (small patches, made now), on two apps: checkpoint 07 with the
// starting repository's CDN links, and the course's own app
// (studentapp.CourseApp: camera-only photo, the chapter's code in the
// chapter's shape). On each, exactly the checks that cover the mistake
// fail, their dependants are skipped, everything else passes, and the hint
// fits the mistake. One app is graded twice: the same verdicts both times.
func TestSeededFaults(t *testing.T) {
	cat := load(t)
	chapter, err := cat.Select(catalog.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	faults := []seededFault{
		{studentapp.Variant{Name: "none (the chapter's solution)"}, nil, nil},
		{studentapp.TagMismatch(), map[string]string{"online-post": "backend-posts", "sync-reads-outbox": "worker-access"}, map[string]string{"sync-reads-outbox": "same as in the sync listener"}},
		{studentapp.WrongTagRegistered(), map[string]string{"online-post": "backend-posts", "register-sync": "sync-tag"}, map[string]string{"register-sync": "not as sync-new-post"}},
		{studentapp.KeyPathDiffers(), map[string]string{"online-post": "backend-posts", "register-sync": "sync-tag", "outbox-store": "store-keypath"}, map[string]string{"register-sync": "DataError", "outbox-store": "another keyPath"}},
		{studentapp.NoFallback(), map[string]string{"fallback": "backend-posts"}, map[string]string{"fallback": "else branch"}},
		{studentapp.NoSnackbar(), map[string]string{"snackbar": "snackbar"}, map[string]string{"snackbar": "showed nothing"}},
		{studentapp.FormDataWithoutFile(), map[string]string{"online-post": "backend-posts", "replay": "backend-posts"}, map[string]string{"replay": "has no field file"}},
		{studentapp.RecordWithoutPhoto(), map[string]string{"online-post": "backend-posts", "offline-queue": "queued-record"}, map[string]string{"offline-queue": "incomplete"}},
		{studentapp.WrongStoreInWorker(), map[string]string{"online-post": "backend-posts", "sync-reads-outbox": "worker-access"}, map[string]string{"sync-reads-outbox": "object store that does not exist"}},
		{studentapp.DeleteWithoutOK(), map[string]string{"failure-keeps-post": "post-lost"}, map[string]string{"failure-keeps-post": "only when response.ok"}},
		{studentapp.SyncHandlerInPage(), map[string]string{"online-post": "backend-posts", "sync-reads-outbox": "worker-access"}, map[string]string{"online-post": "belongs in sw.js", "sync-reads-outbox": "belongs in sw.js"}},
	}
	apps := []struct {
		name, base string
		variants   []studentapp.Variant
	}{
		{"checkpoint 07 with the course's CDN links", "07", []studentapp.Variant{studentapp.CDN()}},
		{"the course's own app", studentapp.CourseApp, nil},
	}
	for _, a := range apps {
		t.Run(a.name, func(t *testing.T) {
			gradeFaults(t, a.base, a.variants, faults, chapter, studentapp.KeyPathDiffers().Name)
		})
	}
}

// TestSeededRobustFaults grades checkpoint 08 with one mistake of the
// robust step at a time: each fails exactly the robust check that covers
// it, on an observation, with its hint.
func TestSeededRobustFaults(t *testing.T) {
	cat := load(t)
	var robust []string
	for _, ch := range cat.Checks {
		if ch.Group == "robust" {
			robust = append(robust, ch.ID)
		}
	}
	checks, err := cat.Select(catalog.Selection{Only: robust})
	if err != nil {
		t.Fatal(err)
	}
	faults := []seededFault{
		{studentapp.Variant{Name: "none (checkpoint 08)"}, nil, nil},
		{studentapp.OutboxLockNeverReleased(), map[string]string{"worker-stopped-mid-replay": "stored-once"}, map[string]string{"worker-stopped-mid-replay": "A stopped worker never takes the mark off"}},
		{studentapp.ActivateClearsOutbox(), map[string]string{"worker-update-keeps-sync": "post-lost"}, map[string]string{"worker-update-keeps-sync": "Does your activate handler clear IndexedDB stores?"}},
		{studentapp.LastChanceDropsPost(), map[string]string{"last-chance": "post-lost"}, map[string]string{"last-chance": "must not give up the post"}},
	}
	gradeFaults(t, "08", []studentapp.Variant{studentapp.CDN()}, faults, checks, "")
}

// seededFault is a student's mistake, the checks it fails (→ the kind of
// each failure) and the words each failing check's hint must say.
type seededFault struct {
	variant studentapp.Variant
	fails   map[string]string
	hint    map[string]string
}

// gradeFaults grades base with variants and one fault at a time: exactly
// the checks that cover the fault fail, by observation, with their kind
// and hint; their dependants are skipped, everything else passes. The
// fault named twice is graded twice: the same verdicts both times.
func gradeFaults(t *testing.T, base string, variants []studentapp.Variant, faults []seededFault, checks []catalog.Check, twice string) {
	ctx := context.Background()
	e := env(t)
	for _, f := range faults {
		if len(f.fails) > 0 && len(f.hint) == 0 {
			t.Errorf("seeded fault %q expects no hint: name the words the hint of a check it fails must say", f.variant.Name)
		}
	}
	summary := func(rep runner.Report) string {
		var out string
		for _, r := range rep.Results {
			out += fmt.Sprintf("%s=%s/%s/%v ", r.ID, r.Status, r.Kind, r.Points)
		}
		return out
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-42s", "fault")
	for _, ch := range checks {
		fmt.Fprintf(&table, " %-4.4s", ch.ID)
	}
	table.WriteString("\n")
	for _, f := range faults {
		vs := slices.Clone(variants)
		if len(f.variant.Patches) > 0 || len(f.variant.Edits) > 0 {
			vs = append(vs, f.variant)
		}
		app := studentAppOf(t, base, vs...)
		rep, err := runner.Run(ctx, e, app, checks)
		if err != nil {
			t.Fatal(err)
		}
		first := summary(rep)
		if f.variant.Name == twice {
			again, err := runner.Run(ctx, e, app, checks)
			if err != nil {
				t.Fatal(err)
			}
			if summary(again) != first {
				t.Errorf("grading %q twice gave different verdicts:\n%s\n%s", f.variant.Name, first, summary(again))
			}
		}
		got := byID(rep)
		if len(rep.Results) != len(checks) {
			t.Errorf("%s: %d results for %d checks", f.variant.Name, len(rep.Results), len(checks))
		}
		fmt.Fprintf(&table, "%-42s", f.variant.Name)
		for _, ch := range checks {
			r, ok := got[ch.ID]
			if !ok {
				t.Errorf("%s: %s has no result", f.variant.Name, ch.ID)
				fmt.Fprintf(&table, " %-4s", "?")
				continue
			}
			mark := map[runner.Status]string{runner.Passed: "✓", runner.Failed: "✗", runner.Skipped: "–", runner.Error: "!"}[r.Status]
			if r.Deadline {
				mark = "⌛"
			}
			fmt.Fprintf(&table, " %-4s", mark)
			wantKind, wantFail := f.fails[ch.ID]
			switch {
			case wantFail && r.Status != runner.Failed:
				t.Errorf("%s: %s is %s, want failed", f.variant.Name, ch.ID, r.Status)
			case wantFail && r.Kind != wantKind:
				t.Errorf("%s: %s failed with kind %q, want %q: %s", f.variant.Name, ch.ID, r.Kind, wantKind, r.Message)
			case wantFail && r.Deadline:
				t.Errorf("%s: %s failed when its time ran out, not on an observation of the mistake: %s", f.variant.Name, ch.ID, r.Message)
			case !wantFail && r.Status == runner.Failed:
				t.Errorf("%s: %s failed, but the fault is not about it: %s", f.variant.Name, ch.ID, r.Message)
			case r.Status == runner.Error:
				t.Errorf("%s: %s could not run: %s", f.variant.Name, ch.ID, r.Message)
			case r.Status == runner.Skipped && !skippedForAFailure(ch, r, got):
				t.Errorf("%s: %s skipped for %q, which it does not need or which did not fail", f.variant.Name, ch.ID, r.SkippedFor)
			}
			if words, ok := f.hint[ch.ID]; ok && (r.Hint == nil || !strings.Contains(r.Hint.EN, words)) {
				t.Errorf("%s: %s's hint %v does not say %q", f.variant.Name, ch.ID, r.Hint, words)
			}
		}
		fmt.Fprintf(&table, "  %v\n", rep.Duration.Round(100_000_000))
	}
	t.Logf("verdicts (✓ passed, ✗ failed on an observation, ⌛ failed when its time ran out, – skipped):\n%s", table.String())
}

// skippedForAFailure reports whether a skipped check names, as what it
// needed, one of its own dependencies whose chain of skips ends in a
// failure.
func skippedForAFailure(ch catalog.Check, r runner.Result, got map[string]runner.Result) bool {
	if !slices.Contains(ch.DependsOn, r.SkippedFor) {
		return false
	}
	seen := map[string]bool{}
	for id := r.SkippedFor; !seen[id]; {
		seen[id] = true
		dep, ok := got[id]
		switch {
		case !ok:
			return false
		case dep.Status == runner.Failed:
			return true
		case dep.Status != runner.Skipped:
			return false
		}
		id = dep.SkippedFor
	}
	return false
}

// TestRunawayApps grades apps whose code runs away: a worker that loops
// forever, a page that fires thousands of requests, a page that allocates
// without end (stopped at the checks' limit) and one that does so without
// ever yielding (it meets the browser's own limit). Each run ends (no check waits forever), the app's failure
// names what happened, and nothing is reported as the environment's fault.
func TestRunawayApps(t *testing.T) {
	ctx := context.Background()
	cat := load(t)
	chapter, err := cat.Select(catalog.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	e := env(t)
	for _, tc := range []struct {
		variant studentapp.Variant
		says    string
	}{
		{studentapp.LoopingWorker(), "endless loop"},
		{studentapp.RequestFlood(), "request flood"},
		{studentapp.MemoryHog(), "held more than 64 MB of JavaScript memory"},
		{studentapp.MemoryHogLoop(), "the page crashed: out of memory"},
	} {
		t.Run(tc.variant.Name, func(t *testing.T) {
			rep, err := runner.Run(ctx, e, studentApp(t, studentapp.CDN(), tc.variant), chapter)
			if err != nil {
				t.Fatal(err)
			}
			said := false
			for _, r := range rep.Results {
				if r.Status == runner.Error {
					t.Errorf("%s reported as the environment's fault: %s", r.ID, r.Message)
				}
				if r.Status == runner.Failed && r.Kind == failure.AppBroken && strings.Contains(r.Message, tc.says) {
					said = true
				}
			}
			if !said {
				t.Errorf("no check failed saying %q: %+v", tc.says, rep.Results)
			}
			if rep.Passed() {
				t.Error("the runaway app passed the chapter")
			}
			t.Logf("%s: %v", tc.variant.Name, rep.Duration)
		})
	}
}

// A journey that cannot even open the app fails app-starts with the
// reason, and the checks after it are skipped for app-starts, never left
// without a verdict that says why (grading reruns a failure a deadline
// decided together with the checks skipped for it), even when each
// check's own verdict is asked for.
func TestAJourneyThatCannotOpenFailsItsChecks(t *testing.T) {
	cat := load(t)
	only, err := cat.Select(catalog.Selection{Only: []string{"fallback"}})
	if err != nil {
		t.Fatal(err)
	}
	brokenWorker := studentapp.Variant{Name: "worker with a syntax error", Patches: []studentapp.Patch{
		{File: "sw.js", Old: "importScripts('/src/js/idb.js');\n", New: "importScripts('/src/js/idb.js');\nconst = ;\n"}}}
	e := env(t)
	e.IgnoreDependencies = true
	rep, err := runner.Run(context.Background(), e, studentApp(t, studentapp.CDN(), brokenWorker), only)
	if err != nil {
		t.Fatal(err)
	}
	got := byID(rep)
	if r := got["app-starts"]; r.Status != runner.Failed || !strings.Contains(r.Message, "open the app") {
		t.Errorf("app-starts is %s (%s), want failed because the app did not open", r.Status, r.Message)
	}
	if r := got["fallback"]; r.Status != runner.Skipped || r.SkippedFor != "app-starts" {
		t.Errorf("fallback is %s for %q (%s), want skipped for app-starts", r.Status, r.SkippedFor, r.Message)
	}
}

// TestAnAddressTheMirrorLacksIsTheEnvironments grades apps that cannot run
// without an outside address the mirror does not hold: a script the worker
// imports, a library the page's own code needs. No check may fail or pass
// on such an app: the report could not run, and says which address and
// what to do.
func TestAnAddressTheMirrorLacksIsTheEnvironments(t *testing.T) {
	cat := load(t)
	chapter, err := cat.Select(catalog.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	e := env(t)
	for _, tc := range []struct {
		variant studentapp.Variant
		url     string
	}{
		{studentapp.UnmirroredWorkerImport(), "https://storage.googleapis.com/workbox-cdn/releases/3.6.3/workbox-sw.js"},
		{studentapp.UnmirroredPageScript(), "https://code.jquery.com/jquery-3.6.0.min.js"},
	} {
		t.Run(tc.variant.Name, func(t *testing.T) {
			rep, err := runner.Run(context.Background(), e, studentApp(t, studentapp.CDN(), tc.variant), chapter)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.EnvironmentFailed() {
				t.Errorf("the report does not say the checks could not run: %s", summaryOf(rep))
			}
			said := false
			for _, r := range rep.Results {
				switch r.Status {
				case runner.Failed, runner.Passed:
					if r.ID != "app-starts" || r.Status == runner.Failed {
						t.Errorf("%s is %s on an app the checks could not run: %s", r.ID, r.Status, r.Message)
					}
				case runner.Error:
					if strings.Contains(r.Message, tc.url) && strings.Contains(r.Message, "frontend/mirror/table.go") {
						said = true
					}
				}
			}
			if !said {
				t.Errorf("no check names %s and the mirror's table: %s", tc.url, summaryOf(rep))
			}
		})
	}
}

func summaryOf(rep runner.Report) string {
	var out []string
	for _, r := range rep.Results {
		out = append(out, fmt.Sprintf("%s=%s (%s)", r.ID, r.Status, r.Message))
	}
	return strings.Join(out, "; ")
}

// TestOnlinePostAnswersForItsOwnErrors: online-post follows the offline
// parts in the same session and counts only the errors of its own page
// load and post. On checkpoint 01 the worker throws "Failed to fetch" a
// moment after register-sync's offline submit (that part's doing, and the
// parts between are skipped): online-post passes every time (with its
// line drawn before going online and without letting the app settle, it
// failed in 5 of 5 runs). An error every
// page load throws still fails it, also when the parts before it left the
// app's tab open (replay failed, so the closed-tabs replay did not run).
func TestOnlinePostAnswersForItsOwnErrors(t *testing.T) {
	cat := load(t)
	chapter, err := cat.Select(catalog.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	e := env(t)
	for i := range 5 {
		rep, err := runner.Run(context.Background(), e, checkpoint(t, "01"), chapter)
		if err != nil {
			t.Fatal(err)
		}
		if r := byID(rep)["online-post"]; r.Status != runner.Passed {
			t.Errorf("checkpoint 01, run %d: online-post is %s: %s", i+1, r.Status, r.Message)
		}
	}
	rep, err := runner.Run(context.Background(), e, studentApp(t, studentapp.CDN(), studentapp.OwnError()), chapter)
	if err != nil {
		t.Fatal(err)
	}
	got := byID(rep)
	if r := got["replay-app-closed"]; r.Status != runner.Skipped {
		t.Errorf("replay-app-closed is %s, want skipped (the replay fails on the page's error)", r.Status)
	}
	if r := got["online-post"]; r.Status != runner.Failed || !strings.Contains(r.Message, "expected no uncaught errors") {
		t.Errorf("online-post is %s (%s), want failed on the error its own page load throws", r.Status, r.Message)
	}
}

// TestAnAppThatSaysSyncIsDisabledIsNotBelieved: an app whose submit
// rejects with the words of a browser without Background Sync, in a
// browser that has it, fails register-sync as the app's mistake: the
// checks asked the browser instead of taking the app's word for it.
func TestAnAppThatSaysSyncIsDisabledIsNotBelieved(t *testing.T) {
	cat := load(t)
	chapter, err := cat.Select(catalog.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runner.Run(context.Background(), env(t), studentApp(t, studentapp.CDN(), studentapp.SaysSyncIsDisabled()), chapter)
	if err != nil {
		t.Fatal(err)
	}
	if rep.EnvironmentFailed() {
		t.Errorf("the report says the environment failed: %+v", rep.Results)
	}
	if r := byID(rep)["register-sync"]; r.Status != runner.Failed || !strings.Contains(r.Message, browser.NoSyncMessage) {
		t.Errorf("register-sync is %s (%s), want failed with the app's own words among the evidence", r.Status, r.Message)
	}
}
