package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	traceDir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		code  int
		wants []string
	}{
		{"list", []string{"-list", "-lang", "en"}, nil, exitPassed, []string{"chapter-journey", "    replay ", "07", "replay-app-closed", "dead-letter"}},
		{"list in German", []string{"-list", "-lang", "de"}, nil, exitPassed, []string{"Abläufe", "Der Weg eines offline erstellten Beitrags bis zum Backend"}},
		{"unknown check", []string{"-check", "nope"}, nil, exitBroken, []string{`no check or journey "nope"`}},
		{"check and journey", []string{"-check", "replay", "-scenario", "chapter-journey"}, nil, exitBroken, []string{"give -check or -scenario, not both"}},
		{"unknown step", []string{"-step", "42"}, nil, exitBroken, []string{`no step "42"`}},
		{"bad flag", []string{"-frobnicate"}, nil, exitBroken, []string{"flag provided but not defined"}},
		{"no browser", []string{"-step", "07"}, map[string]string{"CHROME_PATH": "/nonexistent/chrome"}, exitBroken, []string{"CHROME_PATH", "/nonexistent/chrome"}},
		{"passes", []string{"-step", "07", "-check", "replay", "-lang", "en", "-trace", traceDir}, nil, exitPassed,
			[]string{"✓ open the app", "✓ go online", "PASSED: replay", "trace.html"}},
		{"fails with the reason", []string{"-step", "06", "-check", "replay", "-lang", "en", "-timeout", "2s"}, nil, exitFailed,
			[]string{`✗ expect "Unterwegs offline" at the backend`, "FAILED: replay", `expected the backend to store "Unterwegs offline"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errOut)
			all := out.String() + errOut.String()
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, all)
			}
			for _, w := range tc.wants {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
	for _, f := range []string{"trace.json", "trace.html"} {
		st, err := os.Stat(filepath.Join(traceDir, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("-trace wrote no %s: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(traceDir, "trace.html"))
	for _, w := range []string{"service-worker", "backend", "data:image/png;base64,", "received POST /posts"} {
		if !bytes.Contains(html, []byte(w)) {
			t.Errorf("trace.html lacks %q", w)
		}
	}
}
