package scenario_test

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"testing"

	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

func asStepError(err error, target **session.StepError) bool { return errors.As(err, target) }

// vendor loads the npm libraries once for all tests of the package.
var vendor = sync.OnceValues(func() (fs.FS, error) {
	return frontend.Vendor(context.Background(), frontend.VendorOptions{})
})

// checkpoint returns the app at step id with its libraries.
func checkpoint(tb testing.TB, id string) fs.FS {
	tb.Helper()
	v, err := vendor()
	if err != nil {
		tb.Fatal(err)
	}
	app, err := frontend.App(id, v)
	if err != nil {
		tb.Fatal(err)
	}
	return app
}

// loadMirror opens the CDN mirror over the repository's npm packages.
func loadMirror(tb testing.TB) *mirror.Mirror {
	tb.Helper()
	m, err := mirror.Load(context.Background(), frontend.VendorOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	return m
}

// scenarios is every scenario; the test stops when the checks and their steps
// disagree.
func scenarios(t testing.TB) []scenario.Scenario {
	t.Helper()
	scs, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	return scs
}
