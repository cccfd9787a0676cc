package grading_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
)

// classChecks are four checks of 1, 2, 1 and 1 points; d is shown only
// after the deadline.
func classChecks() []catalog.Check {
	check := func(id string, points float64, vis string) catalog.Check {
		return catalog.Check{ID: id, Step: "01", Group: "core", Points: points, Visibility: vis,
			Title: lang.Text{DE: "Prüfung " + id, EN: "check " + id}, Help: lang.Text{DE: "Hilfe", EN: "help"}}
	}
	return []catalog.Check{check("a", 1, ""), check("b", 2, "visible"), check("c", 1, ""), check("d", 1, catalog.AfterDueDate)}
}

var (
	v1 = output.Versions{SyncLab: "1111111111111111111111111111111111111111", Browser: "HeadlessChrome/156.0.1"}
	v2 = output.Versions{SyncLab: "2222222222222222222222222222222222222222+modified", Browser: "HeadlessChrome/157.0.2"}
)

// graded makes a graded submission from verdicts (a missing check passes);
// a failed check's seen text is seen[id].
func graded(name string, v output.Versions, verdicts map[string]runner.Status, seen map[string]string) grading.Grade {
	g := grading.Grade{Submission: grading.Submission{Name: name, AppDir: name}, Status: grading.Graded, Attempts: 1, Versions: v}
	for _, ch := range classChecks() {
		st, ok := verdicts[ch.ID]
		if !ok {
			st = runner.Passed
		}
		r := runner.Result{ID: ch.ID, Title: ch.Title, Max: ch.Points, Status: st}
		switch st {
		case runner.Passed:
			r.Points = ch.Points
		case runner.Failed:
			r.Kind = "outbox-count"
			r.Expected = lang.Say("one record in the outbox", "ein Eintrag in der Outbox")
			r.Seen = lang.Say(seen[ch.ID], "DE "+seen[ch.ID])
			r.Message = "expected one record, saw " + seen[ch.ID]
		case runner.Skipped:
			r.SkippedFor = "a"
		}
		g.Report.Results = append(g.Report.Results, r)
		g.Points += r.Points
		g.Max += r.Max
	}
	g.Report.Points, g.Report.Max = g.Points, g.Max
	return g
}

// checkClassroom50 validates a result against the contract of
// classroom50/result/v1 (Classroom 50's wiki, "The result.json
// contract"): the fields, their types, whole non-negative points, score ≤
// max-score, and the totals as the tests' sums.
func checkClassroom50(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var res map[string]any
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res["schema"] != "classroom50/result/v1" {
		t.Errorf("schema %v", res["schema"])
	}
	for _, f := range []string{"classroom", "assignment", "submission", "commit", "release", "review", "datetime"} {
		if s, ok := res[f].(string); !ok || s == "" {
			t.Errorf("%s must be a non-empty string, is %v", f, res[f])
		}
	}
	if _, err := time.Parse(time.RFC3339, res["datetime"].(string)); err != nil || !strings.HasSuffix(res["datetime"].(string), "Z") {
		t.Errorf("datetime %v is not UTC ISO 8601", res["datetime"])
	}
	whole := func(what string, v any) int {
		f, ok := v.(float64)
		if !ok || f < 0 || f != float64(int(f)) {
			t.Errorf("%s must be a non-negative integer, is %v", what, v)
			return 0
		}
		return int(f)
	}
	score, maxScore := whole("score", res["score"]), whole("max-score", res["max-score"])
	tests, ok := res["tests"].([]any)
	if !ok {
		t.Fatalf("tests must be a list: %v", res["tests"])
	}
	sum, sumMax := 0, 0
	for i, x := range tests {
		tc, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("tests[%d] is not an object", i)
		}
		if s, ok := tc["test-name"].(string); !ok || s == "" {
			t.Errorf("tests[%d].test-name must be a non-empty string", i)
		}
		if _, ok := tc["passed"].(bool); !ok {
			t.Errorf("tests[%d].passed must be a boolean", i)
		}
		s, m := whole("tests.score", tc["score"]), whole("tests.max-score", tc["max-score"])
		if s > m {
			t.Errorf("tests[%d]: score %d > max-score %d", i, s, m)
		}
		sum, sumMax = sum+s, sumMax+m
	}
	if score > maxScore || score != sum || maxScore != sumMax {
		t.Errorf("score %d of %d; the tests sum to %d of %d", score, maxScore, sum, sumMax)
	}
	return res
}

func TestClassroom50Result(t *testing.T) {
	checks := classChecks()
	env := grading.Classroom50FromEnv(func(k string) string {
		return map[string]string{"CLASSROOM": "pwa-2026", "ASSIGNMENT": "sync", "USERNAME": "anna", "ASSIGNMENT_TYPE": "individual",
			"SUBMISSION_TAG": "submit/2026-12-01T10-00-00Z-abc", "COMMIT_URL": "https://github.com/o/r/commit/abc",
			"RELEASE_URL": "https://github.com/o/r/releases/tag/submit%2F1"}[k]
	})
	gradedAt := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	committed := time.Date(2026, 12, 1, 11, 0, 0, 0, time.FixedZone("", 3600))
	anna := graded("anna", v1, map[string]runner.Status{"b": runner.Failed, "d": runner.Failed}, map[string]string{"b": "0 records", "d": "secret detail"})
	anna.Submission.CommitTime = committed
	empty := grading.Grade{Submission: grading.Submission{Name: "ben"}, Status: grading.Invalid, Reason: lang.Say("no app found", "keine App gefunden"), Max: 5, Versions: v1}
	for _, tc := range []struct {
		name             string
		g                grading.Grade
		env              grading.Classroom50Env
		score, max       int
		datetime, refuse string
	}{
		{"graded", anna, env, 2, 5, "2026-12-01T10:00:00Z", ""},
		{"no app: finished, 0 points", empty, env, 0, 5, "2026-12-03T18:00:00Z", ""},
		{"not graded: no result", grading.Grade{Status: grading.NotGraded, Reason: lang.Same("browser crashed")}, env, 0, 0, "", "not graded (browser crashed)"},
		{"outside Classroom 50", anna, grading.Classroom50Env{}, 0, 0, "", "did not set CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := grading.Classroom50Result(tc.g, checks, tc.env, gradedAt, "en")
			if tc.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refuse) {
					t.Fatalf("error %v, want %q", err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res := checkClassroom50(t, raw)
			if int(res["score"].(float64)) != tc.score || int(res["max-score"].(float64)) != tc.max || res["datetime"] != tc.datetime {
				t.Errorf("score %v of %v at %v, want %d of %d at %s", res["score"], res["max-score"], res["datetime"], tc.score, tc.max, tc.datetime)
			}
			if res["owner"] != "anna" || res["review"] != "https://github.com/o/r/commit/abc" || res["graded_at"] != "2026-12-03T18:00:00Z" {
				t.Errorf("owner %v, review %v, graded_at %v", res["owner"], res["review"], res["graded_at"])
			}
			if !bytes.Contains(raw, []byte(`"synclab-version": "`+v1.SyncLab+`"`)) || !bytes.Contains(raw, []byte(v1.Browser)) {
				t.Errorf("the result does not name the versions:\n%s", raw)
			}
		})
	}
	raw, _ := grading.Classroom50Result(anna, checks, env, gradedAt, "en")
	if !bytes.Contains(raw, []byte("0 records")) || bytes.Contains(raw, []byte("secret detail")) || !bytes.Contains(raw, []byte("Details after the deadline")) {
		t.Errorf("a visible check's failure must be explained and one shown after the deadline must not:\n%s", raw)
	}
	half := anna
	half.Report.Results = slices.Clone(anna.Report.Results)
	half.Report.Results[0].Points = 0.5
	if _, err := grading.Classroom50Result(half, checks, env, gradedAt, "en"); err == nil || !strings.Contains(err.Error(), "whole points") {
		t.Errorf("half a point: %v, want a refusal (the format takes whole points)", err)
	}
}

// TestCompareReadsTheWrittenFormat writes a grading as the command does,
// grades again with changes and compares: the terminal, changes.json and
// report.html say who changed, which checks and why.
func TestCompareReadsTheWrittenFormat(t *testing.T) {
	checks := classChecks()
	before := []grading.Grade{
		graded("anna", v1, map[string]runner.Status{"b": runner.Failed}, map[string]string{"b": "0 records"}),
		graded("ben", v1, nil, nil),
		graded("cem", v1, map[string]runner.Status{"c": runner.Failed}, map[string]string{"c": "2 records"}),
		graded("dora", v1, nil, nil),
	}
	prev := t.TempDir()
	if err := grading.Write(prev, before, checks, "en"); err != nil {
		t.Fatal(err)
	}
	after := []grading.Grade{
		graded("anna", v2, nil, nil),
		graded("ben", v2, nil, nil),
		graded("cem", v2, map[string]runner.Status{"c": runner.Failed}, map[string]string{"c": "3 records"}),
		{Submission: grading.Submission{Name: "emil"}, Status: grading.NotGraded, Reason: lang.Say("the browser crashed", "der Browser stürzte ab"), Versions: v2},
	}
	c, err := grading.Compare(prev, after)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ch := range c.Changed {
		names = append(names, ch.Name)
	}
	if !slices.Equal(names, []string{"anna", "emil", "dora"}) || c.Unchanged != 2 {
		t.Fatalf("changed %v, %d unchanged; want [anna emil dora] and 2 (cem's verdicts stayed, only the seen count moved)", names, c.Unchanged)
	}
	anna := c.Changed[0]
	if anna.OldPoints != 3 || anna.NewPoints != 5 || len(anna.Checks) != 1 || anna.Checks[0].ID != "b" ||
		anna.Checks[0].Old != runner.Failed || anna.Checks[0].New != runner.Passed || anna.Checks[0].OldReason.EN != "0 records" {
		t.Errorf("anna: %+v", anna)
	}
	if len(c.PreviousVersions) != 1 || c.PreviousVersions[0] != v1 {
		t.Errorf("previous versions %v, want [%v]", c.PreviousVersions, v1)
	}
	var term bytes.Buffer
	grading.PrintComparison(&term, c, "en")
	for _, want := range []string{"3 submission(s) changed, 2 unchanged", "anna: graded (3) → graded (5)", "b: failed → passed (before: 0 records; now: –)",
		"emil: (none)  → not graded", `reason: "" → "the browser crashed"`, "dora: graded (5) → (none)"} {
		if !strings.Contains(term.String(), want) {
			t.Errorf("the terminal does not say %q:\n%s", want, term.String())
		}
	}
	out := t.TempDir()
	if err := grading.WriteWith(out, after, checks, grading.WriteOptions{Lang: "de", Changes: c}); err != nil {
		t.Fatal(err)
	}
	var back grading.Comparison
	b, err := os.ReadFile(filepath.Join(out, "changes.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil || len(back.Changed) != 3 || back.Changed[0].Checks[0].OldReason.DE != "DE 0 records" {
		t.Errorf("changes.json: %v %s", err, b)
	}
	page, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, want := range []string{"Änderungen gegenüber der letzten Bewertung", `<a href="submissions/anna/index.html">anna</a>`, "nicht bestanden: DE 0 records", "bestanden"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html does not say %q", want)
		}
	}
	if _, err := grading.Compare(t.TempDir(), after); err == nil || !strings.Contains(err.Error(), "read the previous grading") {
		t.Errorf("a folder without grades.json: %v", err)
	}
}

// TestOutputFolderVersions: a folder holding grades of another Sync Lab or
// browser is refused, with what to do; the same versions and an empty
// folder are fine.
func TestOutputFolderVersions(t *testing.T) {
	checks := classChecks()
	dir := t.TempDir()
	if err := grading.CheckOutputFolder(filepath.Join(dir, "new"), v1); err != nil {
		t.Fatalf("a new folder: %v", err)
	}
	if err := grading.Write(dir, []grading.Grade{graded("anna", v1, nil, nil)}, checks, "en"); err != nil {
		t.Fatal(err)
	}
	if err := grading.CheckOutputFolder(dir, v1); err != nil {
		t.Fatalf("the same versions: %v", err)
	}
	for _, now := range []output.Versions{v2, {SyncLab: v1.SyncLab, Browser: "HeadlessChrome/157"}} {
		err := grading.CheckOutputFolder(dir, now)
		var mv *grading.MixedVersionsError
		if !errors.As(err, &mv) {
			t.Fatalf("%v: %v, want a MixedVersionsError", now, err)
		}
		for _, want := range []string{"already holds grades of Sync Lab 111111111111, HeadlessChrome/156.0.1", "-allow-mixed-versions"} {
			if !strings.Contains(mv.Text().EN, want) {
				t.Errorf("%q does not say %q", mv.Text().EN, want)
			}
		}
		if !strings.Contains(mv.Text().DE, "enthält schon Noten von") {
			t.Errorf("German: %q", mv.Text().DE)
		}
	}
}

// TestClassReportAtAGlance: colours per verdict, mean and median, the most
// common failure reasons per check with links to the submissions, the
// versions; Gradescope's tests carry the checks' visibility.
func TestClassReportAtAGlance(t *testing.T) {
	checks := classChecks()
	grades := []grading.Grade{
		graded("anna", v1, map[string]runner.Status{"b": runner.Failed}, map[string]string{"b": "0 records"}),
		graded("ben", v1, map[string]runner.Status{"b": runner.Failed}, map[string]string{"b": "0 records"}),
		graded("cem", v1, map[string]runner.Status{"b": runner.Failed, "c": runner.Skipped}, map[string]string{"b": "2 records"}),
		graded("dora", v1, nil, nil),
		{Submission: grading.Submission{Name: "emil"}, Status: grading.NotGraded, Reason: lang.Same("browser"), Versions: v1},
	}
	if s := grading.PointStats(grades); s.N != 4 || s.Mean != 3.25 || s.Median != 3 {
		t.Errorf("stats %+v, want 4 submissions, mean 3.25, median 3 (3, 3, 2, 5; emil not graded)", s)
	}
	common := grading.CommonFailures(grades, checks, "en", 3)
	if b := common["b"]; len(b) != 2 || b[0].Reason != "0 records" || !slices.Equal(b[0].Submissions, []string{"anna", "ben"}) || b[1].Reason != "2 records" {
		t.Errorf("common failures of b: %+v", b)
	}
	out := t.TempDir()
	if err := grading.Write(out, grades, checks, "en"); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, want := range []string{"Mean <b>3.25</b> · median <b>3</b> of 5 points", `class="c passed"`, `class="c failed" title="0 records"`, `class="c skipped"`, `class="c notgraded"`,
		`2× 0 records: <a href="submissions/anna/index.html">anna</a>, <a href="submissions/ben/index.html">ben</a>`, "Graded with Sync Lab 111111111111, HeadlessChrome/156.0.1"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html does not say %q", want)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	if !bytes.Contains(csv, []byte(",synclab,browser\n")) || !bytes.Contains(csv, []byte(v1.SyncLab+","+v1.Browser)) {
		t.Errorf("grades.csv lacks the versions:\n%s", csv)
	}
	gs, _ := os.ReadFile(filepath.Join(out, "submissions", "anna", "results.json"))
	var res struct {
		Output string
		Tests  []struct{ Name, Visibility string }
	}
	if err := json.Unmarshal(gs, &res); err != nil {
		t.Fatal(err)
	}
	var vis []string
	for _, x := range res.Tests {
		vis = append(vis, x.Visibility)
	}
	if !slices.Equal(vis, []string{"visible", "visible", "visible", "after_due_date"}) || !strings.Contains(res.Output, "Sync Lab 111111111111") {
		t.Errorf("Gradescope: visibilities %v, output %q", vis, res.Output)
	}
	sub, _ := os.ReadFile(filepath.Join(out, "submissions", "anna", "index.html"))
	if !bytes.Contains(sub, []byte("Sync Lab 111111111111, HeadlessChrome/156.0.1")) {
		t.Error("the submission's page does not name the versions")
	}
}

// TestPartial: a grading stopped after two checks keeps their verdicts,
// fails the rest as unfinished, and is not graded (no score in
// Gradescope, never a zero).
func TestPartial(t *testing.T) {
	checks := classChecks()
	done := graded("anna", v1, map[string]runner.Status{"b": runner.Failed}, map[string]string{"b": "0 records"}).Report.Results[:2]
	g := grading.Partial(grading.Submission{Name: "anna"}, checks, done, v1, lang.Say("it was stopped", "sie wurde gestoppt"))
	if g.Status != grading.NotGraded || len(g.Report.Results) != 4 || g.Report.Results[2].Status != runner.Failed ||
		!strings.Contains(g.Reason.EN, "2 of 4 checks done, then it was stopped") {
		t.Fatalf("partial: %+v", g)
	}
	raw, err := grading.GradescopeResults(g, checks, "de")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	_ = json.Unmarshal(raw, &res)
	if _, has := res["score"]; has || !strings.Contains(res["output"].(string), "NICHT BEWERTET") || !bytes.Contains(raw, []byte("nicht fertig geworden")) {
		t.Errorf("partial results.json:\n%s", raw)
	}
}
