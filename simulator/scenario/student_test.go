package scenario_test

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
	"time"

	"synclab/failure"
	"synclab/frontend"
	"synclab/frontend/studentapp"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// studentApp writes checkpoint id with the variants in the course's layout
// and opens it the way a student's folder is opened (the repository root).
func studentApp(t testing.TB, id string, variants ...studentapp.Variant) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "htw-insta")
	if err := studentapp.Write(dir, id, variants...); err != nil {
		t.Fatal(err)
	}
	return dir
}

// studentFS is studentApp opened as grading opens a student's folder.
func studentFS(t testing.TB, id string, variants ...studentapp.Variant) fs.FS {
	t.Helper()
	v, err := vendor()
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := frontend.StudentFolder(studentApp(t, id, variants...), v)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestStudentAppsGetTheCheckpointsVerdicts grades apps built the way the
// course builds them (the starting repository's CDN links, its folder
// layout, other data shapes, console noise, made-up CDN hosts): every
// scenario must give the verdict it gives on the checkpoint they come from.
func TestStudentAppsGetTheCheckpointsVerdicts(t *testing.T) {
	ctx := context.Background()
	// passingOnly fixtures run only the scenarios their checkpoint passes:
	// what they prove is that nothing they add fails a scenario (the
	// course-style 08 runs every scenario, the robust ones included; the
	// checks' seeded faults grade course-style 07 apps that fail).
	// base is what the fixture is made from (a checkpoint, or the course's
	// own app); step is the checkpoint whose verdicts it must get.
	fixtures := []struct {
		name, base, step string
		variants         []studentapp.Variant
		passingOnly      bool
	}{
		{"course-style 07", "07", "07", []studentapp.Variant{studentapp.CDN()}, true},
		{"course-style 08", "08", "08", []studentapp.Variant{studentapp.CDN()}, false},
		{"07 with other data shapes, console noise and unknown CDN hosts", "07", "07", []studentapp.Variant{studentapp.CDN(), studentapp.Shapes(), studentapp.Noise(), studentapp.UnknownCDN()}, true},
		{"the course's own app with the chapter's code", studentapp.CourseApp, "07", nil, true},
		{"07 with Workbox 6.4.1 and OpenLayers 6.14.1 from CDNs", "07", "07", []studentapp.Variant{studentapp.CDN(), studentapp.Workbox(), studentapp.OpenLayers6141()}, true},
	}
	cdn := loadMirror(t)
	all := scenarios(t)
	type verdict struct {
		passed  bool
		notes   int
		hits    int
		err     error
		skipped bool
	}
	results := make([][]verdict, len(fixtures))
	sem := make(chan struct{}, 3)
	var wg sync.WaitGroup
	for i, fx := range fixtures {
		results[i] = make([]verdict, len(all))
		dir := studentApp(t, fx.base, fx.variants...)
		v, err := vendor()
		if err != nil {
			t.Fatal(err)
		}
		app, _, err := frontend.StudentFolder(dir, v)
		if err != nil {
			t.Fatal(err)
		}
		for j, sc := range all {
			if fx.passingOnly && !sc.ShouldPass(fx.step) {
				results[i][j].skipped = true
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := scenario.Run(ctx, shared, app, sc, scenario.Options{Session: session.Config{Mirror: cdn}})
				hits := 0
				for _, o := range r.Observed.Outside {
					if o.Outcome == browser.FromMirror {
						hits++
					}
				}
				results[i][j] = verdict{passed: r.Passed, notes: len(r.Observed.Notes), hits: hits, err: r.Err}
				if r.Environment {
					results[i][j].err = fmt.Errorf("environment: %w", r.Err)
				}
			}()
		}
	}
	wg.Wait()
	var table strings.Builder
	fmt.Fprintf(&table, "%-28s", "scenario")
	for _, fx := range fixtures {
		fmt.Fprintf(&table, " | %-14s", fx.name[:min(14, len(fx.name))])
	}
	table.WriteString("\n")
	for j, sc := range all {
		fmt.Fprintf(&table, "%-28s", sc.Name)
		for i, fx := range fixtures {
			got := results[i][j]
			if got.skipped {
				fmt.Fprintf(&table, " | %-14s", "–")
				continue
			}
			want := sc.ShouldPass(fx.step)
			mark := map[bool]string{true: "pass", false: "fail"}[got.passed]
			if got.passed != want {
				mark += " ≠ " + fx.step
				t.Errorf("%s on %s: passed=%v, but checkpoint %s passed=%v: %v", sc.Name, fx.name, got.passed, fx.step, want, got.err)
			}
			fmt.Fprintf(&table, " | %-14s", fmt.Sprintf("%s (%d, %d)", mark, got.hits, got.notes))
		}
		table.WriteString("\n")
	}
	t.Logf("verdicts (mirror hits, notes):\n%s", table.String())
	// The course-style apps really asked the mirror.
	for i, fx := range fixtures {
		if results[i][0].hits == 0 {
			t.Errorf("%s: the mirror answered nothing in online-post; are the CDN links in place?", fx.name)
		}
	}
}

// TestOwnErrorsStillCount: among unavailable outside addresses, an error in
// the student's own code still fails "expect no uncaught errors", and a
// worker that deletes without looking at response.ok loses the post.
func TestOwnErrorsStillCount(t *testing.T) {
	ctx := context.Background()
	cdn := loadMirror(t)
	v, err := vendor()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		variants []studentapp.Variant
		scenario string
		failure  string
	}{
		{"typo in a selector", []studentapp.Variant{studentapp.CDN(), studentapp.UnknownCDN(), studentapp.OwnError()}, "online-post", "expected no uncaught errors"},
		{"delete without response.ok", []studentapp.Variant{studentapp.CDN(), studentapp.DeleteWithoutOK()}, "failure-keeps-post", "to stay in the outbox"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, _, err := frontend.StudentFolder(studentApp(t, "07", tc.variants...), v)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenario.Find(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			r := scenario.Run(ctx, shared, app, sc, scenario.Options{Session: session.Config{Mirror: cdn}})
			if r.Passed || r.Environment || !strings.Contains(r.Err.Error(), tc.failure) {
				t.Fatalf("passed=%v environment=%v, want a failure saying %q: %v", r.Passed, r.Environment, tc.failure, r.Err)
			}
			t.Logf("failed as it should: %v; notes: %v", r.Err, r.Observed.Notes)
		})
	}
}

// TestUnknownOutsideAddressesAreNotes: what the unknown CDN hosts cause is
// listed as notes with who asked, never as the app's failure.
func TestUnknownOutsideAddressesAreNotes(t *testing.T) {
	ctx := context.Background()
	cdn := loadMirror(t)
	app := studentFS(t, "07", studentapp.CDN(), studentapp.UnknownCDN())
	sc, _ := scenario.Find("online-post")
	start := time.Now()
	r := scenario.Run(ctx, shared, app, sc, scenario.Options{Session: session.Config{Mirror: cdn}})
	if !r.Passed {
		t.Fatalf("online-post failed on an app whose only problem is unknown CDN hosts: %v", r.Err)
	}
	for _, want := range []lang.Text{
		{EN: "not available during the checks: " + studentapp.UnknownCSS + " (requested by the page, a stylesheet link)",
			DE: "während der Prüfungen nicht erreichbar: " + studentapp.UnknownCSS + " (angefragt von der Seite über einen Stylesheet-Link)"},
		{EN: "not available during the checks: " + studentapp.UnknownJS + " (requested by the page, a script tag)",
			DE: "während der Prüfungen nicht erreichbar: " + studentapp.UnknownJS + " (angefragt von der Seite über ein script-Tag)"},
	} {
		if !slices.Contains(r.Observed.Notes, want) {
			t.Errorf("notes lack %q:\n%v", want, r.Observed.Notes)
		}
	}
	for _, o := range r.Observed.Outside {
		if o.Outcome == browser.Unavailable && o.Time.Sub(start) > 30*time.Second {
			t.Errorf("an unavailable address was answered late: %+v", o)
		}
	}
	trace := t.TempDir()
	if err := r.Timeline.Write(trace, "unknown CDN"); err != nil {
		t.Fatalf("writing the timeline: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(trace, "trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), studentapp.UnknownJS) || !strings.Contains(string(b), `"outcome": "mirror"`) {
		t.Errorf("trace.json does not list the outside requests (%s, one answered from the mirror):\n%.2000s", studentapp.UnknownJS, b)
	}
}

// TestAnUnusableFormFailsWhatComesAfter: when the submit cannot happen (the
// student renamed the save button), the part that only looks at the outbox
// afterwards fails with that cause, not with an empty outbox and a hint
// about writeData.
func TestAnUnusableFormFailsWhatComesAfter(t *testing.T) {
	cdn := loadMirror(t)
	app := studentFS(t, "07", studentapp.CDN(), studentapp.RenamedSaveButton())
	sc, _ := scenario.Find("chapter-journey")
	r := scenario.Run(context.Background(), shared, app, sc, scenario.Options{Session: session.Config{Mirror: cdn}, Only: []string{"offline-queue"}})
	parts := map[string]scenario.PartResult{}
	for _, p := range r.Parts {
		parts[p.Name] = p
	}
	for _, name := range []string{"register-sync", "offline-queue"} {
		p, ok := parts[name]
		if !ok || p.Passed || p.Kind != failure.AppBroken || !strings.Contains(fmt.Sprint(p.Err), "#post-btn") {
			t.Errorf("%s: ran %v, passed %v, kind %q, error %v; want it to fail because #post-btn is missing", name, ok, p.Passed, p.Kind, p.Err)
		}
	}
}
