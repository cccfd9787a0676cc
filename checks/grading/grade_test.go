package grading_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/frontend/studentapp"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

// TestGradeAClass grades a small mixed class twice: full marks, a
// student's mistake, an earlier step handed in as a .zip, a hostile
// archive and a folder without an app; the files an instructor gets are
// complete, Gradescope's results.json has its fields, and the second run
// gives the same grades.
func TestGradeAClass(t *testing.T) {
	ctx := context.Background()
	class := t.TempDir()
	writeApps(t, class, map[string][]studentapp.Variant{
		"anna":  {studentapp.CDN()},
		"ben":   {studentapp.CDN(), studentapp.NoFallback()},
		"chris": {studentapp.CDN(), studentapp.NoSnackbar()},
	})
	// dana hands in checkpoint 03 as a zip of her repository.
	cp, err := frontend.Checkpoint("03")
	if err != nil {
		t.Fatal(err)
	}
	var files []entry
	_ = fsWalk(cp, func(p string, b []byte) { files = append(files, entry{name: "htw-insta/public/" + p, body: b}) })
	writeZip(t, filepath.Join(class, "dana.zip"), files...)
	writeZip(t, filepath.Join(class, "eve.zip"), entry{name: "../../escape.txt", body: []byte("x")})
	mkfile(t, filepath.Join(class, "frank", "README.md"), "todo")
	// gustav and hanna hand in the course's own app (the photo only from
	// the camera), hanna without the snackbar; greta's worker imports a
	// script the checks cannot offer: not graded, not zero.
	for name, variants := range map[string][]studentapp.Variant{"gustav": nil, "hanna": {studentapp.NoSnackbar()}} {
		if err := studentapp.Write(filepath.Join(class, name), studentapp.CourseApp, variants...); err != nil {
			t.Fatal(err)
		}
	}
	writeApps(t, class, map[string][]studentapp.Variant{"greta": {studentapp.CDN(), studentapp.UnmirroredWorkerImport()}})

	checks, b, m := checksAndBrowser(t, "05")
	cfg := grading.Config{Env: runner.Env{Session: session.Config{Browser: b, Mirror: m}, Parallel: 1}, Checks: checks, Jobs: 3, Retries: 2}

	var csvs [2]string
	for i := range csvs {
		subs, err := grading.Collect(ctx, []string{class}, t.TempDir(), grading.CollectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		grades, err := grading.GradeAll(ctx, cfg, subs)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		if err := grading.Write(out, grades, checks, "en"); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(out, "grades.csv"))
		if err != nil {
			t.Fatal(err)
		}
		csvs[i] = string(raw)
		if i > 0 {
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]map[string]string{}
		for _, r := range rows[1:] {
			m := map[string]string{}
			for j, h := range rows[0] {
				m[h] = r[j]
			}
			byName[r[0]] = m
		}
		max := catalog.MaxPoints(checks)
		for name, want := range map[string]struct{ points, status, col, val string }{
			"anna":   {ftoa(max), "graded", "fallback", "passed"},
			"ben":    {ftoa(max - 1), "graded", "fallback", "failed"},
			"chris":  {ftoa(max - 1), "graded", "snackbar", "failed"},
			"dana":   {ftoa(max - 2), "graded", "snackbar", "failed"},
			"eve":    {"0", "invalid", "reason", "archive refused: entry \"../../escape.txt\" would land outside the submission"},
			"frank":  {"0", "invalid", "reason", "no app found: found README.md but no index.html"},
			"gustav": {ftoa(max), "graded", "fallback", "passed"},
			"hanna":  {ftoa(max - 1), "graded", "snackbar", "failed"},
			"greta":  {"", "not graded", "app-starts", "error"},
		} {
			got := byName[name]
			if got["points"] != want.points || got["status"] != want.status || got[want.col] != want.val {
				t.Errorf("%s: %v, want points %s, status %s, %s=%s", name, got, want.points, want.status, want.col, want.val)
			}
		}
		for _, f := range []string{"grades.json", "report.html", "submissions/anna/index.html", "submissions/ben/results.json", "submissions/eve/results.json"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("missing %s", f)
			}
		}
		traces, _ := filepath.Glob(filepath.Join(out, "submissions", "ben", "trace", "*", "trace.html"))
		if len(traces) == 0 {
			t.Error("no timeline (sequence diagram) for ben")
		}
		var gs struct {
			Score *float64 `json:"score"`
			Tests []struct {
				Name       string   `json:"name"`
				Score      *float64 `json:"score"`
				MaxScore   *float64 `json:"max_score"`
				Status     string   `json:"status"`
				Output     string   `json:"output"`
				Visibility string   `json:"visibility"`
			} `json:"tests"`
		}
		raw, _ = os.ReadFile(filepath.Join(out, "submissions", "ben", "results.json"))
		if err := json.Unmarshal(raw, &gs); err != nil {
			t.Fatal(err)
		}
		if gs.Score == nil || *gs.Score != max-1 || len(gs.Tests) != len(checks) {
			t.Fatalf("Gradescope results: %s", raw)
		}
		for _, tc := range gs.Tests {
			if tc.Name == "" || tc.Score == nil || tc.MaxScore == nil || (tc.Status != "passed" && tc.Status != "failed") || tc.Visibility != "visible" {
				t.Errorf("Gradescope test lacks a documented field: %+v", tc)
			}
		}
	}
	if csvs[0] != csvs[1] {
		t.Fatalf("grading again gave other grades:\n%s\n%s", csvs[0], csvs[1])
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// A submission that floods its server with requests must not cost the
// submission graded next to it anything: they share one browser (and its
// network service). Before the page-side flood guard, the correct app's
// worker did not activate while its neighbour flooded, and it got 0.
func TestFloodingNeighbourCostsNothing(t *testing.T) {
	ctx := context.Background()
	class := t.TempDir()
	writeApps(t, class, map[string][]studentapp.Variant{
		"ida": {studentapp.CDN()},
		"jan": {studentapp.CDN(), studentapp.RequestFlood()},
	})
	checks, b, m := checksAndBrowser(t, "05")
	subs, err := grading.Collect(ctx, []string{class}, t.TempDir(), grading.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := grading.Config{Env: runner.Env{Session: session.Config{Browser: b, Mirror: m}, Parallel: 1, CloseLater: runner.CloseInBackground}, Checks: checks, Jobs: 2, Retries: 2}
	grades, err := grading.GradeAll(ctx, cfg, subs)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, g := range grades {
		seen[g.Submission.Name] = true
		switch g.Submission.Name {
		case "ida":
			if g.Status != grading.Graded || g.Points != g.Max {
				t.Errorf("ida (correct) got %v of %v (%s) next to a flood: %+v", g.Points, g.Max, g.Status, failures(g))
			}
		case "jan":
			if g.Points == g.Max || !slices.ContainsFunc(g.Report.Results, func(r runner.Result) bool { return strings.Contains(r.Message, "request flood") }) {
				t.Errorf("jan (flood) got %v of %v without a check saying \"request flood\": %+v", g.Points, g.Max, failures(g))
			}
		default:
			t.Errorf("a grade for %q, who is not in the class", g.Submission.Name)
		}
	}
	for _, name := range []string{"ida", "jan"} {
		if !seen[name] {
			t.Errorf("no grade for %s: %d grades for a class of 2", name, len(grades))
		}
	}
}

func failures(g grading.Grade) []string {
	var out []string
	for _, r := range g.Report.Results {
		if r.Status != runner.Passed {
			out = append(out, fmt.Sprintf("%s %s: %s", r.ID, r.Status, r.Message))
		}
	}
	return out
}

// checksAndBrowser selects the checks up to step and starts a browser and
// the CDN mirror for the test.
func checksAndBrowser(t *testing.T, step string) ([]catalog.Check, *browser.Browser, *mirror.Mirror) {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := cat.Select(catalog.Selection{Step: step})
	if err != nil {
		t.Fatal(err)
	}
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	m, err := mirror.Load(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return checks, b, m
}

// writeApps writes one course-style app of step 07 per name into class,
// each with its variants.
func writeApps(t *testing.T, class string, apps map[string][]studentapp.Variant) {
	t.Helper()
	for name, variants := range apps {
		if err := studentapp.Write(filepath.Join(class, name), "07", variants...); err != nil {
			t.Fatal(err)
		}
	}
}
