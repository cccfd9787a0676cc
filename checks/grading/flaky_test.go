package grading_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/runner"
	"synclab/lang"
)

// fakeChecks: b needs a, d needs b, c stands alone.
func fakeChecks() []catalog.Check {
	check := func(id string, deps ...string) catalog.Check {
		return catalog.Check{ID: id, Step: "01", Group: "core", Points: 1, DependsOn: deps,
			Title: lang.Text{DE: "Prüfung " + id, EN: "check " + id}, Help: lang.Text{DE: "Hilfe", EN: "help"}}
	}
	return []catalog.Check{check("a"), check("b", "a"), check("c"), check("d", "b")}
}

// deadlineFailed in a fake runner's script is a failure that a deadline
// decided (the result says Failed with Deadline set).
const deadlineFailed runner.Status = "failed when its time ran out"

// fakeRunner answers each run with the next verdicts of its script (the
// last one repeats); checks not named pass; a skipped check names its
// first dependency as the one it needed. It records what each run got.
type fakeRunner struct {
	script []map[string]runner.Status
	mu     sync.Mutex
	calls  [][]string
}

func (f *fakeRunner) run(_ context.Context, _ runner.Env, _ fs.FS, checks []catalog.Check) (runner.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	verdicts := f.script[min(len(f.calls), len(f.script)-1)]
	var ids []string
	var rep runner.Report
	for _, ch := range checks {
		ids = append(ids, ch.ID)
		st, ok := verdicts[ch.ID]
		if !ok {
			st = runner.Passed
		}
		r := runner.Result{ID: ch.ID, Step: ch.Step, Group: ch.Group, Title: ch.Title, Help: ch.Help, Max: ch.Points, Status: st}
		if st == deadlineFailed {
			r.Status, r.Deadline = runner.Failed, true
		}
		switch r.Status {
		case runner.Passed:
			r.Points = ch.Points
		case runner.Failed:
			r.Message = "expected a post, saw none"
		case runner.Error:
			r.Message = "the browser crashed"
		case runner.Skipped:
			if len(ch.DependsOn) > 0 {
				r.SkippedFor = ch.DependsOn[0]
			}
		}
		rep.Results = append(rep.Results, r)
		rep.Points += r.Points
		rep.Max += ch.Points
	}
	f.calls = append(f.calls, ids)
	return rep, nil
}

// appFolder is a submission with an app (the fake runner never looks at
// it).
func appFolder(t *testing.T) grading.Submission {
	t.Helper()
	dir := t.TempDir()
	mkfile(t, filepath.Join(dir, "index.html"), "<h1>anna</h1>")
	return grading.Submission{Name: "anna", Source: dir, AppDir: dir}
}

// TestFlaky: the checks whose verdict a deadline decided (D) run again,
// with the checks skipped behind them and what they need; a verdict that
// changes is reported as flaky (the points stay the first run's), a steady
// one is not; nothing reruns when everything passed or every failure was
// observed (F); an environment failure is retried as before and never
// taken for flakiness.
func TestFlaky(t *testing.T) {
	const (
		P = runner.Passed
		F = runner.Failed
		D = deadlineFailed
		S = runner.Skipped
		E = runner.Error
	)
	type verdicts = map[string]runner.Status
	all, failedB := []string{"a", "b", "c", "d"}, []string{"a", "b", "d"}
	for _, tc := range []struct {
		name     string
		reruns   int
		retries  int
		script   []verdicts
		status   grading.Status
		points   float64
		attempts int
		calls    [][]string
		flaky    []grading.Flake
	}{
		{name: "all passed: no rerun", reruns: 1, script: []verdicts{{}},
			status: grading.Graded, points: 4, attempts: 1, calls: [][]string{all}},
		{name: "steady failure", reruns: 1, script: []verdicts{{"b": D, "d": S}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all, failedB}},
		{name: "flaky", reruns: 1, script: []verdicts{{"b": D, "d": S}, {}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all, failedB},
			flaky: []grading.Flake{{ID: "b", Verdicts: []runner.Status{F, P}}, {ID: "d", Verdicts: []runner.Status{S, P}}}},
		{name: "a dependency passed first, failed on rerun", reruns: 1, script: []verdicts{{"b": D, "d": S}, {"a": D, "b": S, "d": S}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all, failedB},
			flaky: []grading.Flake{{ID: "a", Verdicts: []runner.Status{P, F}}}},
		{name: "only the failed check and what it needs rerun", reruns: 1, script: []verdicts{{"c": D}},
			status: grading.Graded, points: 3, attempts: 1, calls: [][]string{all, {"c"}}},
		{name: "switched off", reruns: 0, script: []verdicts{{"b": D, "d": S}, {}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all}},
		{name: "two reruns", reruns: 2, script: []verdicts{{"c": D}, {"c": D}, {}},
			status: grading.Graded, points: 3, attempts: 1, calls: [][]string{all, {"c"}, {"c"}},
			flaky: []grading.Flake{{ID: "c", Verdicts: []runner.Status{F, F, P}}}},
		{name: "environment retried, then steady", reruns: 1, retries: 2, script: []verdicts{{"a": E, "b": S, "d": S}, {"b": D, "d": S}},
			status: grading.Graded, points: 2, attempts: 2, calls: [][]string{all, all, failedB}},
		{name: "environment retried in a rerun", reruns: 1, retries: 2, script: []verdicts{{"b": D, "d": S}, {"a": E, "b": S, "d": S}, {}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all, failedB, failedB},
			flaky: []grading.Flake{{ID: "b", Verdicts: []runner.Status{F, P}}, {ID: "d", Verdicts: []runner.Status{S, P}}}},
		{name: "environment broke the rerun for good", reruns: 1, retries: 1, script: []verdicts{{"b": D, "d": S}, {"a": E, "b": S, "d": S}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all, failedB, failedB}},
		{name: "environment broke grading for good", reruns: 1, retries: 1, script: []verdicts{{"a": E, "b": S, "d": S}},
			status: grading.NotGraded, points: 0, attempts: 2, calls: [][]string{all, all}},
		{name: "an observed failure is certain: no rerun", reruns: 1, script: []verdicts{{"b": F, "d": S}, {}},
			status: grading.Graded, points: 2, attempts: 1, calls: [][]string{all}},
		{name: "only the deadline's failure and the checks skipped behind it rerun", reruns: 1, script: []verdicts{{"b": D, "d": S, "c": F}, {}},
			status: grading.Graded, points: 1, attempts: 1, calls: [][]string{all, failedB},
			flaky: []grading.Flake{{ID: "b", Verdicts: []runner.Status{F, P}}, {ID: "d", Verdicts: []runner.Status{S, P}}}},
		{name: "a skip behind an observed failure does not rerun", reruns: 1, script: []verdicts{{"a": F, "b": S, "d": S, "c": D}, {}},
			status: grading.Graded, points: 0, attempts: 1, calls: [][]string{all, {"c"}},
			flaky: []grading.Flake{{ID: "c", Verdicts: []runner.Status{F, P}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeRunner{script: tc.script}
			cfg := grading.Config{Checks: fakeChecks(), Jobs: 1, Retries: tc.retries, FlakyReruns: tc.reruns, Run: fake.run}
			grades, err := grading.GradeAll(context.Background(), cfg, []grading.Submission{appFolder(t)})
			if err != nil {
				t.Fatal(err)
			}
			g := grades[0]
			if g.Status != tc.status || g.Points != tc.points || g.Attempts != tc.attempts {
				t.Errorf("status %s, %v points, %d attempts (%s); want %s, %v, %d", g.Status, g.Points, g.Attempts, g.Reason, tc.status, tc.points, tc.attempts)
			}
			if !reflect.DeepEqual(fake.calls, tc.calls) {
				t.Errorf("runs %v, want %v", fake.calls, tc.calls)
			}
			if !reflect.DeepEqual(g.Flaky, tc.flaky) {
				t.Errorf("flaky %v, want %v", g.Flaky, tc.flaky)
			}
			if len(g.Flaky) > 0 && g.Reruns != tc.reruns {
				t.Errorf("%d reruns compared, want %d", g.Reruns, tc.reruns)
			}
			for _, r := range g.Report.Results {
				if r.Status == runner.Error && g.Status == grading.Graded {
					t.Errorf("a graded report holds an environment failure: %+v", r)
				}
			}
		})
	}
}

// TestGitAndFlakyInReports: the graded commit and the flaky checks show in
// grades.csv, grades.json, the submission's page, the class report and
// Gradescope's results.json.
func TestGitAndFlakyInReports(t *testing.T) {
	checks := fakeChecks()
	committed := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("", 3600))
	result := func(id string, st runner.Status) runner.Result {
		r := runner.Result{ID: id, Title: lang.Text{DE: id, EN: id}, Max: 1, Status: st}
		if st == runner.Passed {
			r.Points = 1
		}
		return r
	}
	late := lang.Text{EN: "no commit before 2026-11-19 23:59 on main: the first is from 2026-11-20 10:00 (0123456)",
		DE: "kein Commit vor 2026-11-19 23:59 auf main: der erste ist vom 2026-11-20 10:00 (0123456)"}
	grades := []grading.Grade{
		{
			Submission: grading.Submission{Name: "anna", Source: "anna.git", AppDir: "x", Commit: "0123456789abcdef0123456789abcdef01234567", CommitTime: committed},
			Status:     grading.Graded, Points: 2, Max: 4, Attempts: 1, Reruns: 1,
			Report: runner.Report{Points: 2, Max: 4, Results: []runner.Result{result("a", runner.Passed), result("b", runner.Failed), result("c", runner.Passed), result("d", runner.Skipped)}},
			Flaky:  []grading.Flake{{ID: "b", Verdicts: []runner.Status{runner.Failed, runner.Passed}}, {ID: "d", Verdicts: []runner.Status{runner.Skipped, runner.Passed}}},
		},
		{
			Submission: grading.Submission{Name: "ben", Source: "ben.git", Problem: late},
			Status:     grading.Invalid, Reason: late, Max: 4,
		},
	}
	out := t.TempDir()
	if err := grading.Write(out, grades, checks, "en"); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	rows, err := csv.NewReader(strings.NewReader(read("grades.csv"))).ReadAll()
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
	for name, want := range map[string]map[string]string{
		"anna": {"flaky": "b d", "commit": "0123456789abcdef0123456789abcdef01234567", "committed": "2026-11-20T10:00:00+01:00", "points": "2", "b": "failed"},
		"ben":  {"flaky": "", "commit": "", "status": "invalid"},
	} {
		for col, v := range want {
			if got := byName[name][col]; got != v {
				t.Errorf("grades.csv %s %s = %q, want %q", name, col, got, v)
			}
		}
	}
	var js []struct {
		Submission struct{ Commit string }
		Flaky      []grading.Flake `json:"flaky"`
	}
	if err := json.Unmarshal([]byte(read("grades.json")), &js); err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 || js[0].Submission.Commit == "" || !reflect.DeepEqual(js[0].Flaky, grades[0].Flaky) {
		t.Errorf("grades.json: %+v", js)
	}
	for file, wants := range map[string][]string{
		"submissions/anna/index.html":   {"Flaky checks – check by hand", "flaky: b failed when graded, passed on rerun", "commit 0123456789abcdef0123456789abcdef01234567 of 2026-11-20 10:00 &#43;01:00"},
		"submissions/ben/index.html":    {"no commit before 2026-11-19 23:59 on main"},
		"report.html":                   {"1 submission(s) with flaky checks", "flaky: b, d, check by hand", "✗?", "@0123456789ab"},
		"submissions/anna/results.json": {"FLAKY: b failed when graded, passed on rerun", "Flaky, to be checked by hand: d skipped when graded, passed on rerun"},
	} {
		page := read(file)
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("%s does not say %q", file, w)
			}
		}
	}
	if fmt.Sprint(grades[0].FlakyIDs()) != "[b d]" {
		t.Errorf("FlakyIDs = %v", grades[0].FlakyIDs())
	}

	// The course speaks German first: so do its reports, and no English
	// phrase is left in them (grades.csv and grades.json keep the data's
	// own words for scripts).
	de := t.TempDir()
	if err := grading.Write(de, grades, checks, "de"); err != nil {
		t.Fatal(err)
	}
	for file, wants := range map[string][]string{
		"submissions/anna/index.html":   {"Wackelige Checks – bitte von Hand prüfen", "wackelig: b beim Bewerten nicht bestanden, bei der Wiederholung bestanden", "commit 0123456789abcdef0123456789abcdef01234567 vom 2026-11-20 10:00"},
		"submissions/ben/index.html":    {"<b>ungültig</b>", "kein Commit vor 2026-11-19 23:59 auf main"},
		"report.html":                   {"1 Abgabe(n) mit wackeligen Checks", "wackelig: b, d, bitte von Hand prüfen", "Nicht bestandene Checks", "bewertet"},
		"submissions/anna/results.json": {"WACKELIG: b beim Bewerten nicht bestanden", "Wackelig, wird von Hand geprüft: d beim Bewerten übersprungen"},
	} {
		b, err := os.ReadFile(filepath.Join(de, file))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("German %s does not say %q", file, w)
			}
		}
		for _, en := range []string{"check by hand", "when graded", "on rerun", "Checks not passed", "submission(s)", ">graded", "invalid<", "no commit"} {
			if strings.Contains(page, en) {
				t.Errorf("German %s still says %q", file, en)
			}
		}
	}
}
