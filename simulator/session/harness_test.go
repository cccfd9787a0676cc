package session_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"synclab/frontend"
	"synclab/frontend/studentapp"
	"synclab/simulator/session"
	"synclab/simulator/trace"
)

// exerciseApp is a small app whose own code uses everything the checks'
// page scripts replace or watch: the three dialogs, the MDL snackbar's
// text, a sync listener in the page, IndexedDB writes and reads, fetch,
// requestAnimationFrame and SyncManager. It reports what it got back on
// the console.
func exerciseApp() fstest.MapFS {
	return fstest.MapFS{
		"index.html": {Data: []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Übung</title>
<script defer src="/app.js"></script></head><body>
<div id="confirmation-toast" class="mdl-snackbar"><div class="mdl-snackbar__text"></div></div>
</body></html>`)},
		"sw.js": {Data: []byte(`self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('message', event => {
  const open = indexedDB.open('worker-db', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('things', { keyPath: 'id' });
  open.onsuccess = () => {
    const tx = open.result.transaction('things', 'readwrite');
    tx.objectStore('things').put({ id: 1, blob: new Blob(['x'], { type: 'text/plain' }) });
    tx.oncomplete = () => console.log('worker wrote');
  };
});
`)},
		"app.js": {Data: []byte(`navigator.serviceWorker.register('/sw.js');
window.exercise = async () => {
  alert('Erst Foto aufnehmen!');
  const yes = confirm('Sicher?');
  const name = prompt('Name?');
  console.log('dialogs answered: ' + yes + ' ' + JSON.stringify(name));
  document.querySelector('#confirmation-toast .mdl-snackbar__text').textContent = 'Gespeichert!';
  self.addEventListener('sync', () => {});
  await new Promise(r => requestAnimationFrame(r));
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('page-db', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('notes', { keyPath: 'id' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise(r => { const tx = db.transaction('notes', 'readwrite'); tx.objectStore('notes').put({ id: 'a', text: 'hallo' }); tx.oncomplete = r; });
  await new Promise(r => { const req = db.transaction('notes').objectStore('notes').getAll(); req.onsuccess = r; });
  const res = await fetch('/index.html');
  console.log('fetched ' + res.status + ', SyncManager ' + ('SyncManager' in window));
  (await navigator.serviceWorker.ready).active.postMessage('write');
  return 'done';
};
setTimeout(() => { if (navigator.serviceWorker.controller) window.exercise(); }, 0);
navigator.serviceWorker.addEventListener('controllerchange', () => window.exercise());
`)},
	}
}

// TestTheChecksScriptsRunInAPage runs every script the checks put into a
// page or a worker, in a real browser, under code that uses what they
// replace: the app's dialogs are answered and recorded, the snackbar's
// text and a sync listener in the page are seen, IndexedDB access is
// reported, the request and memory guards let an ordinary page be, and
// none of them throws.
func TestTheChecksScriptsRunInAPage(t *testing.T) {
	ctx := context.Background()
	s := openApp(t, exerciseApp())
	if err := s.Do(ctx, session.OpenApp(), session.WatchWorkerStorage()); err != nil {
		t.Fatal(err)
	}
	waitConsole(t, s, trace.Worker, "worker wrote")
	// The worker's storage as the checks read it when no tab is open.
	if err := s.Do(ctx, session.CloseAppTabs()); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Records(ctx, "worker-db", "things", true)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records read in the worker: %v, %v", recs, err)
	}
	if b, ok := recs[0].Blob("blob"); !ok || b.Size != 1 || b.Base64 != "eA==" {
		t.Errorf("the worker's record: %v", recs[0])
	}
	// Without SyncManager: the page's own code sees none.
	if err := s.Do(ctx, session.RemoveSyncManager(), session.ReopenApp()); err != nil {
		t.Fatal(err)
	}
	waitConsole(t, s, trace.Page, "fetched 200, SyncManager false")

	if got := s.Alerts(); !slices.Contains(got, "alert: Erst Foto aufnehmen!") || !slices.Contains(got, "confirm: Sicher?") || !slices.Contains(got, "prompt: Name?") {
		t.Errorf("dialogs recorded: %q", got)
	}
	page := s.Timeline.Tail(trace.Page, "console", 100)
	if !slices.Contains(page, `dialogs answered: true ""`) {
		t.Errorf("the app's dialogs were not answered as a person who confirms would: %q", page)
	}
	if !slices.Contains(page, "fetched 200, SyncManager true") {
		t.Errorf("fetch and SyncManager in the first page: %q", page)
	}
	if bar, _ := s.Snackbar(ctx); !slices.Contains(bar, "Gespeichert!") {
		t.Errorf("snackbar texts: %q", bar)
	}
	if at := s.PageSyncListener(); !strings.Contains(at, "app.js") {
		t.Errorf("the page's sync listener was not seen where it was added: %q", at)
	}
	idb := s.Timeline.Tail(trace.Page, "idb", 100)
	if !slices.Contains(idb, "write notes") || !slices.Contains(idb, "read notes") {
		t.Errorf("the page's IndexedDB access: %q", idb)
	}
	if w := s.Timeline.Tail(trace.Worker, "idb", 100); !slices.Contains(w, "write things") {
		t.Errorf("the worker's IndexedDB access: %q", w)
	}
	for _, e := range s.Timeline.Events() {
		if e.Kind == "exception" {
			t.Errorf("%s threw: %s", e.Lane, e.Text)
		}
	}
	if errs := s.Errors(); len(errs) > 0 {
		t.Errorf("uncaught errors: %q", errs)
	}
}

// waitConsole waits until lane logged line.
func waitConsole(t *testing.T, s *session.Session, lane trace.Lane, line string) {
	t.Helper()
	err := s.Do(context.Background(), session.Step{Name: "wait for " + line, Run: func(ctx context.Context, s *session.Session) error {
		for range 200 {
			if slices.Contains(s.Timeline.Tail(lane, "console", 100), line) {
				return nil
			}
			if err := session.Wait(25*1e6).Run(ctx, s); err != nil {
				return err
			}
		}
		return fmt.Errorf("%s never logged %q: %q", lane, line, s.Timeline.Tail(lane, "console", 100))
	}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTheChecksOwnErrorIsTheEnvironments: an exception thrown in a script
// of the checks' own (named synclab-harness/…) is never the app's error:
// the next step fails as the environment's, and the app's errors stay
// empty. An exception in the app's code stays the app's.
func TestTheChecksOwnErrorIsTheEnvironments(t *testing.T) {
	ctx := context.Background()
	s := openApp(t, exerciseApp())
	if err := s.Do(ctx, session.OpenApp()); err != nil {
		t.Fatal(err)
	}
	broken := session.HarnessScript("broken.js", "setTimeout(() => lang.Say('alert', 'x'), 0);")
	if _, err := session.PageString(ctx, s, "eval("+strconv.Quote(broken)+"), 'ok'"); err != nil {
		t.Fatal(err)
	}
	err := s.Do(ctx, session.Wait(200*1e6), session.Reload())
	var env *session.EnvironmentError
	if !errors.As(err, &env) || !strings.Contains(err.Error(), "lang is not defined") || !strings.Contains(err.Error(), "not of the app") {
		t.Fatalf("after the checks' own script threw: %v, want an environment error naming it", err)
	}
	if errs := s.Errors(); len(errs) > 0 {
		t.Errorf("the checks' own error was listed as the app's: %q", errs)
	}

	own := openApp(t, exerciseApp())
	if err := own.Do(ctx, session.OpenApp()); err != nil {
		t.Fatal(err)
	}
	if _, err := session.PageString(ctx, own, "setTimeout(() => window.noSuchFunction(), 0), 'ok'"); err != nil {
		t.Fatal(err)
	}
	if err := own.Do(ctx, session.Wait(200*1e6)); err != nil {
		t.Fatalf("an error of the app's own stopped the checks: %v", err)
	}
	if errs := own.Errors(); len(errs) != 1 || !strings.Contains(errs[0], "noSuchFunction") {
		t.Errorf("the app's own error: %q", errs)
	}
}

// TestThePhotoTheWayTheAppTakesIt: a journey gives the photo with the file
// picker where the app listens to it (the checkpoints), with the camera
// where only the camera is wired (the course's own app), and, when the app
// refuses a picked photo with a dialog, tries the camera before it goes
// on; the evidence says which way was used and what the app said.
func TestThePhotoTheWayTheAppTakesIt(t *testing.T) {
	decoy := studentapp.Variant{Name: "a picker listener that keeps nothing", Patches: []studentapp.Patch{
		{File: "src/js/feed.js", Old: "shareImageButton.addEventListener('click', openCreatePostModal);\n",
			New: "shareImageButton.addEventListener('click', openCreatePostModal);\nimagePicker.addEventListener('change', event => console.log('gewählt', event.target.files.length));\n"}}}
	for _, tc := range []struct {
		name    string
		app     fs.FS
		way     string
		dialogs []string
	}{
		{"checkpoint 07 (the picker is heard)", appOf(t, "07"), "file picker", nil},
		{"the course's own app (camera only)", studentFolder(t, studentapp.CourseApp), "camera", nil},
		{"the course's app with a picker listener that keeps nothing", studentFolder(t, studentapp.CourseApp, decoy), "camera (#player, #capture-btn), after the app refused one from the file picker (#image-picker) (alert: Erst Foto aufnehmen!)", []string{"alert: Erst Foto aufnehmen!"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openApp(t, tc.app)
			err := s.Do(context.Background(), session.OpenApp(), session.GoOffline(),
				session.CreatePost(session.Post{Title: "Foto", Location: "HTW Berlin", Photo: session.SamplePhoto(2), PhotoName: "foto.jpg"}),
				session.ExpectOutbox(1))
			if err != nil {
				t.Fatal(err)
			}
			ways := s.PhotoWays()
			if len(ways) != 1 || !strings.Contains(ways[0].EN, "a photo from the "+tc.way) {
				t.Errorf("photo ways: %v, want one saying %q", ways, tc.way)
			}
			if got := s.Alerts(); !slices.Equal(got, tc.dialogs) {
				t.Errorf("dialogs: %q, want %q", got, tc.dialogs)
			}
		})
	}
}

func appOf(t *testing.T, step string) fs.FS {
	t.Helper()
	v, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App(step, v)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func studentFolder(t *testing.T, base string, variants ...studentapp.Variant) fs.FS {
	t.Helper()
	v, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "htw-insta")
	if err := studentapp.Write(dir, base, variants...); err != nil {
		t.Fatal(err)
	}
	app, _, err := frontend.StudentFolder(dir, v)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestAWorkerThatCannotStartSaysWhy: when a file the worker imports
// throws while it is evaluated, the failure to open the app names the
// exception and where it was thrown, as the browser reports it.
func TestAWorkerThatCannotStartSaysWhy(t *testing.T) {
	broken := studentapp.Variant{Name: "db.js throws", Patches: []studentapp.Patch{
		{File: "src/js/db.js", Old: "const db = idb.openDB('posts-store', 1, {\n", New: "const db = idb.openDB('posts-store', 1, {\n    upgradeNeeded: undefinedHelper(),\n"}}}
	s := openApp(t, studentFolder(t, studentapp.CourseApp, broken))
	err := s.Do(context.Background(), session.OpenApp())
	if err == nil {
		t.Fatal("the app opened with a worker that cannot start")
	}
	msg := session.ErrorIn(err, "en")
	for _, want := range []string{"ReferenceError: undefinedHelper is not defined", "db.js:2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure does not say %q: %s", want, msg)
		}
	}
}
