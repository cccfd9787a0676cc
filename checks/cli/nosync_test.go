package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/frontend/studentapp"
	"synclab/simulator/browser"
	"synclab/simulator/browser/browsertest"
)

// TestABrowserWithoutBackgroundSyncCannotRunTheChecks runs the student's
// command and grade on the course's own app with Chromium's headless
// shell, which has no Background Sync. Neither may blame the app: the
// command says the checks could not run and why (no check failed, no next
// step in the app's code is suggested), and grade refuses before the class
// instead of leaving every submission "not graded".
func TestABrowserWithoutBackgroundSyncCannotRunTheChecks(t *testing.T) {
	t.Setenv(browser.PathEnv, browsertest.HeadlessShell(t))
	app := filepath.Join(t.TempDir(), "course-app")
	if err := studentapp.Write(app, studentapp.CourseApp); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("the student's command", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := run(ctx, "go run ./checks", []string{"-app-dir", app, "-lang", "en", "-json"}, &stdout, &stderr)
		if code != exitBroken {
			t.Fatalf("exit %d, want %d (could not run)\nstderr:\n%s", code, exitBroken, stderr.String())
		}
		var doc struct {
			Results []struct{ ID, Status, Message string }
		}
		if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout.String())
		}
		errored := 0
		for _, r := range doc.Results {
			switch r.Status {
			case "failed":
				t.Errorf("%s failed (%s): a browser without Background Sync is not the app's fault", r.ID, r.Message)
			case "error":
				errored++
				if !strings.Contains(r.Message, browser.NoSyncMessage) || strings.Contains(r.Message, "bug of Sync Lab") {
					t.Errorf("%s could not run with %q; want the browser's missing Background Sync, not a bug of Sync Lab", r.ID, r.Message)
				}
			}
		}
		if errored == 0 {
			t.Errorf("no check says it could not run: %+v", doc.Results)
		}
		for _, want := range []string{"not your app", "does not do Background Sync", browser.PathEnv} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
			}
		}
	})

	t.Run("the student's command, German", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := run(ctx, "go run ./checks", []string{"-app-dir", app, "-lang", "de"}, &stdout, &stderr)
		if code != exitBroken {
			t.Fatalf("exit %d, want %d (could not run)\nstderr:\n%s", code, exitBroken, stderr.String())
		}
		for where, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
			if !strings.Contains(text, "kann keine Hintergrundsynchronisation") || strings.Contains(text, "does not do Background Sync") {
				t.Errorf("%s does not say it in German:\n%s", where, text)
			}
		}
		if strings.Contains(stdout.String(), "Als Nächstes") {
			t.Errorf("the summary suggests a next step in the app's code:\n%s", stdout.String())
		}
	})

	t.Run("grade", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "grades")
		var stdout, stderr bytes.Buffer
		code := gradeCommand(ctx, "go run ./checks", []string{"-out", out, "-lang", "en", app}, &stdout, &stderr)
		if code != exitBroken {
			t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitBroken, stdout.String(), stderr.String())
		}
		if !strings.Contains(stderr.String(), "does not do Background Sync") {
			t.Errorf("stderr does not say why:\n%s", stderr.String())
		}
		if strings.Contains(stdout.String(), "course-app") {
			t.Errorf("a submission was graded:\n%s", stdout.String())
		}
		if _, err := os.Stat(filepath.Join(out, "grades.csv")); err == nil {
			t.Errorf("grades were written")
		}
	})
}
