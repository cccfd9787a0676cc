package session_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"synclab/failure"
	"synclab/frontend"
	"synclab/frontend/studentapp"
	"synclab/simulator/session"
)

// An expectation that can no longer be met ends with the reason instead of
// waiting out its deadline, and the reason says what did not happen.
func TestDoomedExpectationsSayWhy(t *testing.T) {
	post := func(title string) session.Step {
		return session.CreatePost(session.Post{Title: title, Location: "HTW Berlin", Photo: session.SamplePhoto(1), PhotoName: "foto.jpg"})
	}
	tests := []struct {
		name, step string             // step: a checkpoint, or "" for variant
		variant    studentapp.Variant // of the course-style checkpoint 07
		steps      []session.Step
		want       string
	}{
		{"sync handler that sends nothing", "06", studentapp.Variant{},
			[]session.Step{session.OpenApp(), post("Online"), session.ExpectBackendTitles("Online")},
			"the browser's sync event finished without the service worker sending anything"},
		{"no sync handler at all", "05", studentapp.Variant{},
			[]session.Step{session.OpenApp(), session.WatchWorkerStorage(), session.GoOffline(), post("Offline"), session.GoOnline(), session.ExpectWorkerAccess("read", session.OutboxName)},
			"the browser's sync event finished without the service worker reading the outbox"},
		{"a replay the backend refuses", "", studentapp.FormDataWithoutFile(),
			[]session.Step{session.OpenApp(), post("Ohne Foto"), session.ExpectBackendTitles("Ohne Foto")},
			"the browser's sync event finished, the backend answered its 1 POST (400"},
		{"the outbox store with another keyPath", "", studentapp.KeyPathDiffers(),
			[]session.Step{session.OpenApp(), session.ExpectStoreKey(session.DBName, session.OutboxName, "id")},
			"a store keeps the keyPath it was created with"},
		{"a worker that fails the same way on every retry", "", studentapp.WrongStoreInWorker(),
			[]session.Step{session.OpenApp(), post("Online"), session.ExpectBackendTitles("Online")},
			"the service worker threw the same error again when the browser retried the sync, before sending anything"},
		// With DevTools attached to the worker (as in the offline journey)
		// its errors arrive on the worker's own connection, and may arrive
		// a moment before the browser's "dispatched" event of the retry.
		{"a watched worker that fails the same way on every retry", "", studentapp.WrongStoreInWorker(),
			[]session.Step{session.OpenApp(), session.WatchWorkerStorage(), session.GoOffline(), post("Offline"), session.ExpectOutbox(1),
				session.GoOnline(), session.ExpectWorkerAccess("read", session.OutboxName)},
			"the service worker threw the same error again when the browser retried the sync, before sending anything"},
		{"no snackbar after the sync task", "", studentapp.NoSnackbar(),
			[]session.Step{session.OpenApp(), session.GoOffline(), post("Offline"), session.ExpectOutbox(1), session.ExpectAnySnackbar()},
			"the submit registered its sync task"},
		// A greeting when the page loads is no confirmation of the submit.
		{"a snackbar only when the page loads", "", studentapp.SnackbarOnlyAtLoad(),
			[]session.Step{session.OpenApp(), session.GoOffline(), post("Offline"), session.ExpectOutbox(1), session.ExpectAnySnackbar()},
			"the submit registered its sync task"},
		{"no fallback without SyncManager", "04", studentapp.Variant{},
			[]session.Step{session.OpenApp(), session.RemoveSyncManager(), session.Reload(), post("Ohne"), session.ExpectBackendTitles("Ohne")},
			"without SyncManager the page sent nothing after the submit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *session.Session
			if tt.step == "" {
				s = openApp(t, courseStyle(t, tt.variant))
			} else {
				s = open(t, tt.step)
			}
			err := s.Do(context.Background(), tt.steps...)
			var ee *session.ExpectationError
			if !errors.As(err, &ee) || !strings.Contains(ee.Seen.EN, "it can no longer happen: "+tt.want) {
				t.Fatalf("checkpoint %s: error = %v\nwant an expectation that can no longer happen because %s", tt.step, err, tt.want)
			}
			// Students read it in German first.
			if !strings.Contains(ee.Seen.DE, "; das kann nicht mehr geschehen: ") || ee.Expected.DE == ee.Expected.EN {
				t.Errorf("the German says %q, expected %q", ee.Seen.DE, ee.Expected.DE)
			}
		})
	}
}

// The submit counts from before the click: what the click causes may be
// reported before the click's own answer arrives (a busy machine, a slow
// handler), and the rules that ask "did this follow the submit?" must
// still see it as after. (CI once lost the no-snackbar reason this way:
// the sync registration was handled before the click's answer.)
func TestSubmitCountsFromBeforeTheClick(t *testing.T) {
	ctx := context.Background()
	s := openApp(t, courseStyle(t, studentapp.Variant{}))
	if err := s.Do(ctx, session.OpenApp()); err != nil {
		t.Fatal(err)
	}
	// A click handler that takes its time, as a student's may.
	if _, err := session.PageString(ctx, s, `(() => {
  document.querySelector('#post-btn').addEventListener('click', () => {
    window.clickedAt = Date.now();
    while (Date.now() - window.clickedAt < 100) {}
  });
  return '';
})()`); err != nil {
		t.Fatal(err)
	}
	if err := s.Do(ctx, session.CreatePost(session.Post{Title: "Langsam", Location: "HTW Berlin", Photo: session.SamplePhoto(1), PhotoName: "foto.jpg"})); err != nil {
		t.Fatal(err)
	}
	out, err := session.PageString(ctx, s, "String(window.clickedAt)")
	if err != nil {
		t.Fatal(err)
	}
	clicked, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		t.Fatalf("the click handler did not run: window.clickedAt = %q", out)
	}
	if acted := session.Acted(s).UnixMilli(); acted > clicked {
		t.Fatalf("the submit counts from %d ms, %d ms after the click handler ran: it must count from before the click", acted, acted-clicked)
	}
}

// A form element the checks need and cannot find is named, in both
// languages, as the app's failure.
func TestAMissingFormElementIsNamed(t *testing.T) {
	s := openApp(t, courseStyle(t, studentapp.RenamedSaveButton()))
	err := s.Do(context.Background(), session.OpenApp(), session.CreatePost(session.Post{Title: "Umbenannt", Location: "HTW Berlin", Photo: session.SamplePhoto(1), PhotoName: "foto.jpg"}))
	ee := session.AsExpectation(err)
	if ee == nil || ee.Kind != failure.AppBroken || !strings.Contains(ee.Expected.EN, "#post-btn") || !strings.Contains(ee.Expected.DE, "ein Element #post-btn auf der Seite") {
		t.Fatalf("error = %v, want the missing #post-btn named as the app's failure", err)
	}
}

// courseStyle is the course-style checkpoint 07 with a student's mistake.
func courseStyle(t *testing.T, mistake studentapp.Variant) fs.FS {
	t.Helper()
	v, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "htw-insta")
	if err := studentapp.Write(dir, "07", mistake); err != nil {
		t.Fatal(err)
	}
	app, _, err := frontend.StudentFolder(dir, v)
	if err != nil {
		t.Fatal(err)
	}
	return app
}
