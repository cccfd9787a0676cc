package browser_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"synclab/simulator/browser"
)

// headlessShell returns Chromium's old headless shell, which has no
// Background Sync, or skips the test when it is not installed (CI installs
// Debian's chromium-headless-shell).
func headlessShell(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium-headless-shell", "chrome-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium-headless-shell installed (Debian: apt-get install chromium-headless-shell): the browser without Background Sync is not tried")
	return ""
}

// TestBackgroundSyncIsAskedOfTheBrowser asks a full Chromium and the
// headless shell whether a page can register a background sync: the first
// can, the second says it cannot, in words that name the way out; the
// answer is kept.
func TestBackgroundSyncIsAskedOfTheBrowser(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		can  bool
	}{
		{"chromium", func(t *testing.T) string { return "" }, true},
		{"headless shell", headlessShell, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			b, err := browser.Launch(ctx, browser.Options{ExecPath: tt.path(t)})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			start := time.Now()
			err = b.BackgroundSync(ctx)
			t.Logf("asked in %v: %v", time.Since(start).Round(time.Millisecond), err)
			var no *browser.NoBackgroundSyncError
			switch {
			case tt.can && err != nil:
				t.Fatalf("BackgroundSync = %v, want nil", err)
			case !tt.can && !errors.As(err, &no):
				t.Fatalf("BackgroundSync = %v, want a NoBackgroundSyncError", err)
			case !tt.can:
				for _, want := range []string{browser.NoSyncMessage, b.ExecPath, browser.PathEnv, "Chromium or Google Chrome"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("the error %q does not say %q", err, want)
					}
				}
			}
			if again := b.BackgroundSync(ctx); again != err {
				t.Errorf("asked again: %v, want the kept answer %v", again, err)
			}
		})
	}
}
