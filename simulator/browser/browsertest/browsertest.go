// Package browsertest holds what tests of several packages need from the
// browsers installed on the machine.
package browsertest

import (
	"os/exec"
	"testing"
)

// HeadlessShell returns the path of Chromium's old headless shell, a
// browser without Background Sync, or skips the test when none is
// installed (CI installs Debian's chromium-headless-shell).
func HeadlessShell(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium-headless-shell", "chrome-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Skip("no chromium-headless-shell installed (Debian: apt-get install chromium-headless-shell): the browser without Background Sync is not tried")
	return ""
}
