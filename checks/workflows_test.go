package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/rhysd/actionlint"
)

// TestWorkflowsLint validates the project's workflow and the three the
// course copies (the students' checks on every push and the instructor's
// class grading on plain GitHub Actions, the Classroom 50 autograder) with
// actionlint; each of the course's says which engine it serves.
func TestWorkflowsLint(t *testing.T) {
	files, _ := filepath.Glob("workflows/*.yml")
	for _, want := range []string{"workflows/student-checks.yml", "workflows/grade-class.yml", "workflows/classroom50-autograde.yml"} {
		if !slices.Contains(files, want) {
			t.Errorf("no %s among %v", want, files)
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^# Engine: (plain GitHub Actions|Classroom 50)`).Match(b) {
			t.Errorf("%s does not say which engine it serves (a line \"# Engine: …\")", f)
		}
	}
	own, _ := filepath.Glob("../.github/workflows/*.yml")
	files = append(files, own...)
	if len(files) < 4 {
		t.Fatalf("expected the student, instructor, Classroom 50 and project workflows, found %v", files)
	}
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The linter does find mistakes (a job without runs-on, an unknown
	// expression).
	bad := filepath.Join(t.TempDir(), "bad.yml")
	if err := os.WriteFile(bad, []byte("on: push\njobs:\n  x:\n    steps:\n      - run: echo ${{ matrix.nope }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if errs, err := linter.LintFile(bad, nil); err != nil || len(errs) == 0 {
		t.Fatalf("actionlint found nothing wrong in a broken workflow (%v)", err)
	}
	for _, f := range files {
		errs, err := linter.LintFile(f, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range errs {
			t.Errorf("%s:%d:%d: %s [%s]", f, e.Line, e.Column, e.Message, e.Kind)
		}
	}
}
