package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"synclab/frontend/studentapp"
)

// TestGradescopeBundle builds the autograder bundle, unpacks it into a fake
// /autograder tree, does what setup.sh does that matters here (build the
// checks; the libraries come from this repository instead of npm), runs
// run_autograder on a submission and validates results.json against
// Gradescope's documented fields.
func TestGradescopeBundle(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "autograder.zip")
	var stdout, stderr bytes.Buffer
	if code := gradescopeCommand("go run ./checks", []string{"-o", bundle, "-step", "04", "-lang", "en"}, &stdout, &stderr); code != exitPassed {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	root := t.TempDir()
	source := filepath.Join(root, "source")
	unzipAll(t, bundle, source)
	for _, f := range []string{"setup.sh", "run_autograder", "synclab/go.mod", "synclab/checks/main.go", "synclab/checks/synclab-checks/main.go", "synclab/frontend/checks.json"} {
		st, err := os.Stat(filepath.Join(source, f))
		if err != nil {
			t.Fatalf("the bundle lacks %s", f)
		}
		if (f == "setup.sh" || f == "run_autograder") && st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", f)
		}
	}
	setup, _ := os.ReadFile(filepath.Join(source, "setup.sh"))
	for _, want := range []string{"go1.26.8.linux-amd64.tar.gz", "google-chrome-stable", "npm ci", "go build -o /autograder/source/synclab-checks ./checks/synclab-checks"} {
		if !bytes.Contains(setup, []byte(want)) {
			t.Errorf("setup.sh does not %q", want)
		}
	}
	runScript, _ := os.ReadFile(filepath.Join(source, "run_autograder"))
	for _, want := range []string{"grade -j 1 ", "timeout --signal=TERM", "${SYNCLAB_TIME_LIMIT:-540}"} {
		if !bytes.Contains(runScript, []byte(want)) {
			t.Errorf("run_autograder does not say %q", want)
		}
	}
	build := exec.Command("go", "build", "-o", filepath.Join(source, "synclab-checks"), "./checks/synclab-checks")
	build.Dir = filepath.Join(source, "synclab")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the bundled sources: %v\n%s", err, out)
	}
	if err := studentapp.Write(filepath.Join(root, "submission"), "07", studentapp.CDN(), studentapp.NoSnackbar()); err != nil {
		t.Fatal(err)
	}
	modules, err := filepath.Abs(filepath.Join("..", "..", "frontend", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	run := exec.Command("bash", filepath.Join(source, "run_autograder"))
	run.Env = append(os.Environ(), "AUTOGRADER_ROOT="+root, "SYNCLAB_NODE_MODULES="+modules)
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("run_autograder: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
	if err != nil {
		t.Fatalf("no results.json: %v\n%s", err, out)
	}
	var res map[string]any
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	score, ok := res["score"].(float64)
	tests, _ := res["tests"].([]any)
	if !ok || len(tests) != 5 || score != 5 {
		t.Fatalf("results.json: score %v, %d tests, want 5 of 6 points in 5 tests:\n%s", res["score"], len(tests), raw)
	}
	failed := 0
	for _, x := range tests {
		tc := x.(map[string]any)
		for _, field := range []string{"name", "score", "max_score", "status", "output", "visibility"} {
			if _, ok := tc[field]; !ok {
				t.Errorf("a test lacks %q: %v", field, tc)
			}
		}
		if tc["status"] == "failed" {
			failed++
			if !strings.Contains(tc["output"].(string), "snackbar") {
				t.Errorf("the failed test's output does not explain it: %v", tc["output"])
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d failed tests, want 1 (the snackbar)", failed)
	}
	if o, _ := res["output"].(string); !strings.Contains(o, "Sync Lab ") || !strings.Contains(o, "Chrome/") {
		t.Errorf("results.json does not name the Sync Lab and browser versions: %q", o)
	}

	// Stopped at the time limit (here 1 s, before the checks end), the run
	// leaves its results: unfinished, not graded, no score (never a 0).
	if err := os.Remove(filepath.Join(root, "results", "results.json")); err != nil {
		t.Fatal(err)
	}
	run = exec.Command("bash", filepath.Join(source, "run_autograder"))
	run.Env = append(os.Environ(), "AUTOGRADER_ROOT="+root, "SYNCLAB_NODE_MODULES="+modules, "SYNCLAB_TIME_LIMIT=1")
	out, _ = run.CombinedOutput()
	raw, err = os.ReadFile(filepath.Join(root, "results", "results.json"))
	if err != nil {
		t.Fatalf("no results.json after the time limit: %v\n%s", err, out)
	}
	var stopped map[string]any
	if err := json.Unmarshal(raw, &stopped); err != nil {
		t.Fatalf("results.json after the time limit: %v\n%s", err, raw)
	}
	if _, has := stopped["score"]; has || !strings.Contains(stopped["output"].(string), "NOT GRADED") || !strings.Contains(stopped["output"].(string), "unfinished") {
		t.Errorf("results.json after the time limit:\n%s\n%s", raw, out)
	}
}

func unzipAll(t *testing.T, file, dest string) {
	t.Helper()
	r, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, f := range r.File {
		p := filepath.Join(dest, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(p, b, f.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
