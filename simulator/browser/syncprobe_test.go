package browser_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"synclab/simulator/browser"
	"synclab/simulator/browser/browsertest"
)

// TestBackgroundSyncIsAskedOfTheBrowser asks a full Chromium and the
// headless shell whether a page can register a background sync: the first
// can, the second says it cannot, in words that name the way out; the
// answer is kept.
func TestBackgroundSyncIsAskedOfTheBrowser(t *testing.T) {
	tests := []struct {
		name string
		path func(tb testing.TB) string
		can  bool
	}{
		{"chromium", func(testing.TB) string { return "" }, true},
		{"headless shell", browsertest.HeadlessShell, false},
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
