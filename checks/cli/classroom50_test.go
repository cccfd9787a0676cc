package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/frontend/studentapp"
)

// TestGradeForClassroom50AndRegrade grades one submission (checkpoint 07
// without its snackbar, steps up to 04) as Classroom 50's workflow does:
// into a folder that holds grades of another Sync Lab version it refuses
// (exit 2, naming -allow-mixed-versions); with -compare against that
// grading and -classroom50-result it writes result.json (exit 0 although
// a check failed: the grading finished), says what changed and records
// the versions in every report.
func TestGradeForClassroom50AndRegrade(t *testing.T) {
	sub := filepath.Join(t.TempDir(), "anna")
	if err := studentapp.Write(sub, "07", studentapp.CDN(), studentapp.NoSnackbar()); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := cat.Select(catalog.Selection{Step: "04"})
	if err != nil {
		t.Fatal(err)
	}
	// The previous grading, written as the command writes it: every check
	// passed, by another Sync Lab.
	old := output.Versions{SyncLab: "0000000000000000000000000000000000000001", Browser: "HeadlessChrome/150.0.0.0"}
	prev := grading.Grade{Submission: grading.Submission{Name: "anna", AppDir: sub}, Status: grading.Graded, Versions: old, Attempts: 1}
	for _, ch := range checks {
		prev.Report.Results = append(prev.Report.Results, runner.Result{ID: ch.ID, Title: ch.Title, Points: ch.Points, Max: ch.Points, Status: runner.Passed})
		prev.Points += ch.Points
		prev.Max += ch.Points
	}
	prevDir := t.TempDir()
	if err := grading.Write(prevDir, []grading.Grade{prev}, checks, "en"); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"CLASSROOM": "pwa", "ASSIGNMENT": "sync", "OWNER": "anna", "SUBMISSION_TAG": "submit/1",
		"COMMIT_URL": "https://github.com/pwa/pwa-sync-anna/commit/abc", "RELEASE_URL": "https://github.com/pwa/pwa-sync-anna/releases/tag/submit%2F1"} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	if code := gradeCommand(ctx, "go run ./checks", []string{"-out", prevDir, "-step", "04", "-lang", "en", "-flaky-reruns", "0", sub}, &stdout, &stderr); code != exitBroken ||
		!strings.Contains(stderr.String(), "-allow-mixed-versions") || !strings.Contains(stderr.String(), "Sync Lab 000000000000, HeadlessChrome/150.0.0.0") {
		t.Fatalf("into a folder of another version: exit %d, want 2 with the reason:\n%s", code, stderr.String())
	}
	out := filepath.Join(t.TempDir(), "out")
	result := filepath.Join(t.TempDir(), "result.json")
	stdout.Reset()
	stderr.Reset()
	code := gradeCommand(ctx, "go run ./checks", []string{"-out", out, "-compare", prevDir, "-classroom50-result", result, "-step", "04", "-lang", "en", "-flaky-reruns", "0", sub}, &stdout, &stderr)
	if code != exitPassed {
		t.Fatalf("exit %d, want 0 (grading finished, a check failed):\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{"1 submission(s) changed, 0 unchanged", "anna: graded (6) → graded (5)", "snackbar: passed → failed (before: –; now: "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the terminal does not say %q:\n%s", want, stdout.String())
		}
	}
	raw, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Schema   string `json:"schema"`
		Score    int    `json:"score"`
		MaxScore int    `json:"max-score"`
		Tests    []struct {
			Name    string `json:"test-name"`
			Passed  bool   `json:"passed"`
			SyncLab string `json:"synclab-version"`
			Browser string `json:"browser-version"`
		} `json:"tests"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res.Schema != "classroom50/result/v1" || res.Score != 5 || res.MaxScore != 6 || len(res.Tests) != 5 {
		t.Fatalf("result.json: %s", raw)
	}
	if v := res.Tests[0]; v.SyncLab == "" || v.SyncLab == "unknown" || !strings.Contains(v.Browser, "Chrom") {
		t.Errorf("result.json names Sync Lab %q and browser %q", v.SyncLab, v.Browser)
	}
	for file, want := range map[string]string{"changes.json": `"id": "snackbar"`, "report.html": "Changes since the previous grading", "grades.csv": ",Chrome/"} {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s does not say %q (%v)", file, want, err)
		}
	}
}

// TestAllFlag: -all is a flag of the student's command.
func TestAllFlag(t *testing.T) {
	c, err := parseFlags("synclab-checks", []string{"-all"}, &bytes.Buffer{})
	if err != nil || !c.all {
		t.Fatalf("-all: %+v %v", c, err)
	}
}
