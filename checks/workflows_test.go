package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rhysd/actionlint"
)

// TestWorkflowsLint validates the project's workflow and the two the course
// copies (the students' checks on every push, the instructor's class
// grading) with actionlint.
func TestWorkflowsLint(t *testing.T) {
	files, _ := filepath.Glob("workflows/*.yml")
	own, _ := filepath.Glob("../.github/workflows/*.yml")
	files = append(files, own...)
	if len(files) < 3 {
		t.Fatalf("expected the student, instructor and project workflows, found %v", files)
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
