package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/lang"
)

// TestTheProgramIsNamedAsInvoked: usage texts and messages name the
// program the way the user runs it, the installed command as well as the
// repository's.
func TestTheProgramIsNamedAsInvoked(t *testing.T) {
	for _, tc := range []struct {
		name, program string
		args          []string
		code          int
		want, refuse  []string
	}{
		{"installed, help", "synclab-checks", []string{"-lang", "en", "-h"}, exitPassed,
			[]string{"Usage: synclab-checks [flags]", "index.html", "-step"}, []string{"go run"}},
		{"installed, help in German", "synclab-checks", []string{"-lang", "de", "-h"}, exitPassed,
			[]string{"Aufruf: synclab-checks [Optionen]"}, []string{"go run"}},
		{"repository, help", "go run ./checks", []string{"-lang", "en", "-h"}, exitPassed,
			[]string{"go run ./checks [", "-app-dir"}, nil},
		{"installed, a bad flag", "synclab-checks", []string{"-format", "pdf"}, exitBroken,
			[]string{"synclab-checks: -format \"pdf\""}, []string{"go run"}},
		{"installed, an argument", "synclab-checks", []string{"-lang", "en", "03"}, exitBroken,
			[]string{"synclab-checks: unexpected argument \"03\""}, nil},
		{"repository, a bad flag", "go run ./checks", []string{"-format", "pdf"}, exitBroken,
			[]string{"checks: -format \"pdf\""}, nil},
		{"installed, -watch without an app folder", "synclab-checks", []string{"-watch", "-lang", "en"}, exitBroken,
			[]string{"synclab-checks: -watch needs your app folder", "-app-dir PATH"}, nil},
		{"installed, grade's usage", "synclab-checks", []string{"grade"}, exitBroken,
			[]string{"Usage: synclab-checks grade -out DIR"}, []string{"go run"}},
		{"installed, grade's bad flag", "synclab-checks", []string{"grade", "-flaky-reruns", "-1", "-out", t.TempDir(), "x"}, exitBroken,
			[]string{"synclab-checks grade: -flaky-reruns"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.program, tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout.String(), stderr.String())
			}
			all := stdout.String() + stderr.String()
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			for _, r := range tc.refuse {
				if strings.Contains(all, r) {
					t.Errorf("output says %q:\n%s", r, all)
				}
			}
		})
	}
}

// TestSummaryNamesTheProgram: the next thing to run, after everything
// passed, is said with the program as invoked.
func TestSummaryNamesTheProgram(t *testing.T) {
	rep := runner.Report{
		Results: []runner.Result{{ID: "app-starts", Status: runner.Passed, Points: 1, Max: 1, Title: lang.Text{DE: "Die App lädt", EN: "The app loads"}}},
		Points:  1, Max: 1,
	}
	for _, tc := range []struct{ program, lang, want string }{
		{"synclab-checks", "en", "synclab-checks -robust checks the robust version"},
		{"synclab-checks", "de", "synclab-checks -robust prüft die robuste Fassung"},
		{"go run ./checks", "en", "go run ./checks -robust checks the robust version"},
	} {
		var b bytes.Buffer
		summary(&b, tc.program, rep, output.Options{Lang: tc.lang})
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s, %s: summary lacks %q:\n%s", tc.program, tc.lang, tc.want, b.String())
		}
	}
}

// TestForYourApp: the heading over the reference checkpoint says how to
// check one's own app with the program as invoked.
func TestForYourApp(t *testing.T) {
	for _, tc := range []struct{ name, lang, want string }{
		{"go run ./checks", "en", "go run ./checks -app-dir PATH"},
		{"go run ./checks", "de", "go run ./checks -app-dir PFAD"},
		{"synclab-checks", "en", "run synclab-checks in its folder, or -app-dir PATH"},
		{"synclab-checks", "de", "synclab-checks in ihrem Ordner starten oder -app-dir PFAD"},
	} {
		if got := forYourApp(tc.name).In(tc.lang); got != tc.want {
			t.Errorf("forYourApp(%q) in %s = %q, want %q", tc.name, tc.lang, got, tc.want)
		}
	}
}

func TestNoRobustHint(t *testing.T) {
	last, beyond, err := frontend.ChapterBounds()
	if err != nil {
		t.Fatal(err)
	}
	for step, want := range map[string]bool{"": false, "00": true, "03": true, "06": true, last: false, beyond: true} {
		if got := noRobustHint(step, last, beyond); got != want {
			t.Errorf("noRobustHint(%q) = %v, want %v", step, got, want)
		}
	}
}

func TestShort(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"go run ./checks", "checks"},
		{"synclab-checks", "synclab-checks"},
		{"/usr/local/bin/synclab-checks", "synclab-checks"},
		{"", "checks"},
	} {
		if got := short(tc.name); got != tc.want {
			t.Errorf("short(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTheInstalledCommandNeedsAnApp: run in a folder without an app, the
// installed command says so instead of grading the reference checkpoint
// (whose full marks a student would take for their own); the
// repository's command still grades the reference.
func TestTheInstalledCommandNeedsAnApp(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, _, err := findApp(config{name: "/home/me/go/bin/synclab-checks", lang: "en"}, nil)
	if err == nil || !strings.Contains(err.Error(), "there is no app in") || !strings.Contains(err.Error(), "run synclab-checks in your app's folder") {
		t.Errorf("installed command in an empty folder: %v", err)
	}
	_, what, _, err := findApp(config{name: repositoryCommand, lang: "en"}, nil)
	if err != nil || !strings.Contains(what, "the reference checkpoint 07") {
		t.Errorf("repository command in an empty folder: %q, %v", what, err)
	}
}

// TestGradeSaysATypingMistakeFirst: grade's -mongo that names no source
// and a negative -flaky-reruns are said in the instructor's language
// before anything is read or written: no Gradescope result appears for a
// run that never started (it would read as the environment's failure).
func TestGradeSaysATypingMistakeFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"-mongo, German", []string{"-mongo", "mongo:/localhost", "-lang", "de"}, "erwartet wird auto, docker, embedded oder eine URI"},
		{"-mongo, English", []string{"-mongo", "bogus", "-lang", "en"}, "-mongo"},
		{"-flaky-reruns, German", []string{"-flaky-reruns", "-1", "-lang", "de"}, "-flaky-reruns muss 0 oder mehr sein"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			results := dir + "/results.json"
			// A submission grade would take: the old order wrote its
			// Gradescope result before it looked at -mongo.
			app := dir + "/app"
			if err := os.MkdirAll(app, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(app+"/index.html", []byte("<!doctype html><title>App</title>"), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"grade", "-gradescope-results", results}, tc.args...)
			code := run(context.Background(), "go run ./checks", append(args, app), &stdout, &stderr)
			if code != exitBroken {
				t.Fatalf("exit %d, want %d\n%s", code, exitBroken, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr.String())
			}
			if _, err := os.Stat(results); err == nil {
				t.Errorf("a Gradescope result was written for a run that never started")
			}
		})
	}
}
