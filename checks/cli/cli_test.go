package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"synclab/frontend/studentapp"
)

func studentDir(t testing.TB, variants ...studentapp.Variant) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "htw-insta")
	if err := studentapp.Write(dir, "07", variants...); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCommand runs the command as a student would, and checks its exit
// codes and outputs.
func TestCommand(t *testing.T) {
	fault := studentDir(t, studentapp.CDN(), studentapp.NoFallback())
	junit := filepath.Join(t.TempDir(), "junit.xml")
	for _, tc := range []struct {
		name  string
		args  []string
		env   map[string]string
		code  int
		check func(t *testing.T, stdout, stderr string)
	}{
		{"reference checkpoint 02, German", []string{"-step", "02", "-lang", "de"}, nil, exitPassed, func(t *testing.T, out, _ string) {
			for _, want := range []string{"Referenz-Checkpoint 02", "✓ 00 Die App lädt", "✓ 02 posts-store hat den Store sync-posts", "Punkte: 3 von 3"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		}},
		{"a student's mistake, JSON", []string{"-app-dir", fault, "-only", "fallback", "-json", "-lang", "en"}, nil, exitFailed, func(t *testing.T, out, _ string) {
			var doc struct {
				App     string `json:"app"`
				Results []struct {
					ID, Status, Kind string
					Hint             *struct{ EN string }
				} `json:"results"`
				Points, Max float64
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			last := doc.Results[len(doc.Results)-1]
			if last.ID != "fallback" || last.Status != "failed" || last.Kind != "backend-posts" || last.Hint == nil || doc.Points != doc.Max-1 {
				t.Fatalf("results: %+v", doc)
			}
			if !strings.HasSuffix(doc.App, "public") {
				t.Errorf("app = %q, want the public/ folder of the repository", doc.App)
			}
		}},
		{"a student's mistake, German", []string{"-app-dir", fault, "-only", "fallback", "-lang", "de"}, nil, exitFailed, func(t *testing.T, out, _ string) {
			// What was expected and seen is the students' most-read text:
			// German words after the German labels.
			english := regexp.MustCompile(`\b(the|to|holds|has|after|answers|no longer|it)\b`)
			labels := 0
			for line := range strings.Lines(out) {
				label, text, ok := strings.Cut(strings.TrimSpace(line), ":")
				if !ok || (label != "erwartet" && label != "gesehen") {
					continue
				}
				labels++
				if w := english.FindString(text); w != "" {
					t.Errorf("%s says %q in English: %s", label, w, text)
				}
			}
			if labels != 2 || !strings.Contains(out, "das Backend speichert") {
				t.Errorf("want the failure's erwartet/gesehen in German:\n%s", out)
			}
		}},
		{"JUnit to a file", []string{"-app-dir", fault, "-only", "fallback", "-format", "junit", "-o", junit}, nil, exitFailed, func(t *testing.T, _, _ string) {
			b, err := os.ReadFile(junit)
			if err != nil {
				t.Fatal(err)
			}
			var suite struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
			}
			if err := xml.Unmarshal(b, &suite); err != nil || suite.Failures != 1 || suite.Tests != 2 {
				t.Errorf("junit.xml: %v, %+v\n%s", err, suite, b)
			}
		}},
		{"unknown check", []string{"-lang", "en", "-only", "nope"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, `no check "nope"`) {
				t.Errorf("stderr: %s", errOut)
			}
		}},
		{"bad format", []string{"-lang", "en", "-format", "pdf"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, `-format "pdf": choose text, json, junit or html`) {
				t.Errorf("stderr does not name the format and the choices: %s", errOut)
			}
		}},
		{"no such app folder", []string{"-lang", "en", "-app-dir", filepath.Join(t.TempDir(), "missing")}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "missing does not exist: give the folder that holds index.html and sw.js") {
				t.Errorf("stderr does not say the folder is missing and what to give: %s", errOut)
			}
		}},
		{"no browser", []string{"-step", "00", "-lang", "en"}, map[string]string{"CHROME_PATH": "/nonexistent/chrome"}, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "not your app") || !strings.Contains(errOut, "CHROME_PATH") {
				t.Errorf("stderr does not say the environment failed: %s", errOut)
			}
		}},
		{"no browser, German", []string{"-step", "00", "-lang", "de"}, map[string]string{"CHROME_PATH": "/nonexistent/chrome"}, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "nicht an deiner App") || !strings.Contains(errOut, "dort ist kein ausführbares Programm") || strings.Contains(errOut, "no executable") {
				t.Errorf("stderr does not say it in German: %s", errOut)
			}
		}},
		// What the student typed wrong is said in the student's language.
		{"no such app folder, German", []string{"-lang", "de", "-app-dir", "/nonexistent/app"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "der App-Ordner /nonexistent/app existiert nicht") {
				t.Errorf("stderr: %s", errOut)
			}
		}},
		{"no such step, German", []string{"-lang", "de", "-step", "99"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, `es gibt keinen Schritt "99"`) {
				t.Errorf("stderr: %s", errOut)
			}
		}},
		{"no such check, German", []string{"-lang", "de", "-only", "nix"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, `es gibt keinen Check "nix"`) {
				t.Errorf("stderr: %s", errOut)
			}
		}},
		{"a -mongo that names no source, German", []string{"-lang", "de", "-mongo", "mongo"}, nil, exitBroken, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, `-mongo "mongo": erwartet wird auto, docker, embedded`) || strings.Contains(errOut, "Umgebung") {
				t.Errorf("a typing mistake, not the environment's failure, in German: %s", errOut)
			}
		}},
		// Port 1 on loopback: no MongoDB answers there.
		{"a dead database, German", []string{"-step", "00", "-lang", "de", "-mongo", "mongodb://127.0.0.1:1/"}, nil, exitBroken, func(t *testing.T, out, errOut string) {
			for _, want := range []string{"nicht an deiner App", "mongodb://127.0.0.1:1/ antwortet nicht", "-mongo embedded"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q: %s", want, errOut)
				}
			}
			if strings.Contains(out, "✗") || strings.Contains(errOut, "does not answer") {
				t.Errorf("a check failed, or it was said in English:\n%s\n%s", out, errOut)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), "go run ./checks", tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
			tc.check(t, stdout.String(), stderr.String())
		})
	}
}
