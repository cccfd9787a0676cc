package session_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"synclab/failure"
	"synclab/frontend"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

var shared *browser.Browser

func TestMain(m *testing.M) {
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		println("cannot start a browser for the session tests:", err.Error())
		os.Exit(1)
	}
	shared = b
	code := m.Run()
	b.Close()
	os.Exit(code)
}

func open(t *testing.T, step string) *session.Session {
	t.Helper()
	vendor, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App(step, vendor)
	if err != nil {
		t.Fatal(err)
	}
	return openApp(t, app)
}

// openApp opens a session for app, closed (with its timeline logged on
// failure) when the test ends.
func openApp(t *testing.T, app fs.FS) *session.Session {
	t.Helper()
	ctx := context.Background()
	s, err := session.Open(ctx, session.Config{Browser: shared, App: app})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			dir := t.TempDir()
			_ = s.WriteTrace(dir, t.Name())
			for _, e := range s.Timeline.Events() {
				t.Logf("%s %-14s %-9s %s", e.Time.Format("15:04:05.000"), e.Lane, e.Kind, e.Text)
			}
		}
		s.Close()
	})
	return s
}

func TestOfflinePostIsQueuedThenReplayed(t *testing.T) {
	s := open(t, "07")
	ctx := context.Background()
	start := time.Now()
	err := s.Do(ctx,
		session.OpenApp(),
		session.GoOffline(),
		session.CreatePost(session.Post{Title: "Offline", Location: "Berlin"}),
		session.ExpectOutbox(1),
		session.ExpectBackendPostsStay(0, 300*time.Millisecond),
		session.GoOnline(),
		session.ExpectBackendPosts(1),
		session.ExpectOutbox(0),
		session.ExpectNoErrors(),
		session.CloseAppTabs(),
		session.ExpectOutbox(0),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Going online sends the checks' own probe from the worker: it is not
	// the app's, so the app's trace does not show it.
	for _, e := range s.Timeline.Events() {
		if strings.Contains(e.Text, "synclab-network-check") {
			t.Errorf("the app's trace shows the checks' probe: %s %s %s", e.Lane, e.Kind, e.Text)
		}
	}
	t.Logf("scenario took %v; sync events %v", time.Since(start), s.SyncEvents())
}

func TestStorageLifecycleAndSyncSteps(t *testing.T) {
	s := open(t, "08")
	ctx := context.Background()
	photo := []byte("\xff\xd8\xff\xe0 a small stand-in for a photo")
	err := s.Do(ctx,
		session.OpenApp(),
		session.GoOffline(),
		session.CreatePost(session.Post{Title: "Gewählt", Location: "Datei", Photo: photo, PhotoName: "mine.jpg"}),
		session.ExpectOutbox(1),
		session.Check("read the outbox with the photo's bytes", func(ctx context.Context, s *session.Session) error {
			recs, err := s.Records(ctx, session.DBName, session.OutboxName, true)
			if err != nil {
				return err
			}
			b, ok := recs[0].Blob("image_id")
			if !ok || b.Name != "mine.jpg" || b.Size != int64(len(photo)) || b.Base64 != base64.StdEncoding.EncodeToString(photo) {
				return fmt.Errorf("queued photo = %+v, want the picked file's bytes", b)
			}
			dbs, err := s.Databases(ctx)
			if err != nil {
				return err
			}
			if len(dbs) != 1 || dbs[0].Version != 2 || !dbs[0].HasStore("dead-letters") || !dbs[0].HasStore("posts") {
				return fmt.Errorf("databases = %+v", dbs)
			}
			return nil
		}),
		session.ExpectSyncTag(session.SyncTag, true),
		session.CloseAppTabs(),
		// Storage is read by the service worker while no tab is open.
		session.ExpectOutbox(1),
		session.ExpectStore(session.DBName, "dead-letters"),
		session.ReopenApp(),
		session.GoOnline(),
		session.ExpectBackendPosts(1),
		session.ExpectOutbox(0),
		session.ExpectSyncRegistered(),
		session.ExpectSyncDispatched(1),
		session.StopServiceWorker(),
		session.DispatchSync(session.SyncTag, false),
		session.ExpectSyncDispatched(2),
		session.StartServiceWorker(),
		session.ExpectBackendPostsStay(1, 300*time.Millisecond),
		session.ExpectNoErrors(),
	)
	if err != nil {
		t.Fatal(err)
	}
	if reqs := s.BackendRequests(); len(reqs) == 0 {
		t.Fatal("no backend requests recorded")
	}
}

func TestExpectationsSayWhatWasSeen(t *testing.T) {
	s := open(t, "07")
	ctx := context.Background()
	err := s.Do(ctx, session.OpenApp(), session.Check("short deadline", func(ctx context.Context, s *session.Session) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Do(ctx, session.ExpectCard("Gibt es nicht"))
	var se *session.StepError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), `expected a card "Gibt es nicht"`) || !strings.Contains(err.Error(), "it shows 0 cards") {
		t.Fatalf("error = %v", err)
	}
	if err := s.Do(ctx, session.StopServiceWorker(), session.GoOffline()); err != nil {
		t.Fatal(err)
	}
	if err := s.Do(ctx, session.StopServiceWorker()); err == nil || !strings.Contains(err.Error(), "go online first") {
		t.Fatalf("stopping an offline worker = %v, want a refusal", err)
	}
}

// TestTheSyncAndFeedOraclesFailWhenNothingHappened: the oracles that watch
// the browser's sync events and the feed fail on an app that gives them
// nothing to see — checkpoint 00 sends a post straight to the backend and
// registers no sync — with their kind and what they saw (their passing
// side is in the test above and in the frontend's browser test).
func TestTheSyncAndFeedOraclesFailWhenNothingHappened(t *testing.T) {
	vendor, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App("00", vendor)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := session.Open(ctx, session.Config{Browser: shared, App: app, Timeout: 1500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Do(ctx, session.OpenApp(), session.CreatePost(session.Post{Title: "Direkt", Location: "Berlin"}), session.ExpectBackendPosts(1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		step session.Step
		kind string
		seen string
	}{
		{session.ExpectSyncRegistered(), failure.SyncEvent, "sync events so far: none"},
		{session.ExpectSyncDispatched(1), failure.SyncEvent, "sync events so far: none"},
		{session.ExpectCards(3), failure.FeedCard, "expected the feed to show 3 cards"},
	} {
		err := s.Do(ctx, tc.step)
		if err == nil {
			t.Errorf("%s passed on an app without it", tc.step.Name)
			continue
		}
		if k := session.KindOf(err); k != tc.kind || !strings.Contains(err.Error(), tc.seen) {
			t.Errorf("%s: kind %q, %v; want kind %q saying %q", tc.step.Name, k, err, tc.kind, tc.seen)
		}
	}
}
