package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// goDeps lists, for every package that matches pattern, the packages it
// links (go list -deps, without tests), as the go command on PATH sees them
// with this process's environment (GOFLAGS included). Without a go command
// the test is skipped, except in CI (CI=true), where that is a failure.
func goDeps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the go command is needed to list the packages (%v)", err)
		}
		t.Skipf("the go command is not on PATH (%v): cannot list the packages", err)
	}
	cmd := exec.Command(goCmd, "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, pattern)
	cmd.Env = os.Environ()
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list %s: %v\n%s", pattern, err, exit.Stderr)
		}
		t.Fatalf("go list %s: %v", pattern, err)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) > 0 {
			deps[fields[0]] = fields[1:]
		}
	}
	if len(deps) == 0 {
		t.Fatalf("go list %s listed no package", pattern)
	}
	return deps
}

// TestTheBackendLinksNoBrowserAndCourseImportsNoSlides keeps the everyday
// server free of the browser driver (chromedp) and of the simulator, which
// only the course command (pictures), the simulator and the checks need;
// and keeps the course wing importing in one direction: slides may use
// course/…, nothing under course/ uses slides/….
func TestTheBackendLinksNoBrowserAndCourseImportsNoSlides(t *testing.T) {
	for _, tt := range []struct {
		name    string
		pattern string
		// forbidden are import path prefixes none of the packages may link.
		forbidden []string
	}{
		{
			name:      "backend",
			pattern:   "synclab/backend",
			forbidden: []string{"github.com/chromedp/", "synclab/simulator"},
		},
		{
			name:      "course",
			pattern:   "synclab/course/...",
			forbidden: []string{"synclab/slides"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for pkg, deps := range goDeps(t, tt.pattern) {
				for _, dep := range append([]string{pkg}, deps...) {
					for _, prefix := range tt.forbidden {
						if dep == prefix || strings.HasPrefix(dep, strings.TrimSuffix(prefix, "/")+"/") {
							t.Errorf("%s links %s", pkg, dep)
						}
					}
				}
			}
		})
	}
}
