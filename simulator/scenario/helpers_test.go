package scenario_test

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"testing"

	"synclab/frontend"
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
