package session_test

import (
	"context"
	"os"
	"testing"
	"time"

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
	ctx := context.Background()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App(step, vendor)
	if err != nil {
		t.Fatal(err)
	}
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
	t.Logf("scenario took %v; sync events %v", time.Since(start), s.SyncEvents())
}
