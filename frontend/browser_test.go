package frontend_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"synclab/backend/posts"
	"synclab/backend/samples"
	"synclab/frontend"
	"synclab/simulator/browser"
	"synclab/simulator/session"
	"synclab/simulator/trace"
)

// TestEveryCheckpointLoadsInChromium serves every checkpoint from the
// app's origin in a real browser: the service worker activates and controls
// the page, the feed shows the backend's posts, nothing throws, and no
// request goes anywhere but the app's two localhost origins.
func TestEveryCheckpointLoadsInChromium(t *testing.T) {
	ctx := context.Background()
	b, vendor := launch(t)
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	photo, err := samples.Photo(120, 80, 1)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 3)
	for _, st := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			fail := func(format string, args ...any) {
				mu.Lock()
				defer mu.Unlock()
				t.Errorf("checkpoint %s: "+format, append([]any{st.ID}, args...)...)
			}
			app, err := frontend.App(st.ID, vendor)
			if err != nil {
				fail("%v", err)
				return
			}
			if err := loadsCleanly(ctx, b, app, photo); err != nil {
				fail("%v", err)
			}
		}()
	}
	wg.Wait()
}

// loadsCleanly opens app with two posts at the backend and checks what
// TestEveryCheckpointLoadsInChromium promises.
func loadsCleanly(ctx context.Context, b *browser.Browser, app fs.FS, photo []byte) error {
	s, err := session.Open(ctx, session.Config{Browser: b, App: app})
	if err != nil {
		return err
	}
	defer s.Close()
	var problems []string
	err = s.Do(ctx,
		session.StoreDirectly(posts.NewPost{Title: "Erster", Location: "Berlin", FileName: "a.jpg", ContentType: "image/jpeg", Data: photo}),
		session.StoreDirectly(posts.NewPost{Title: "Zweiter", Location: "Potsdam", FileName: "b.jpg", ContentType: "image/jpeg", Data: photo}),
		session.OpenApp(),
		session.ExpectCards(2),
		session.Check("expect the cards to show title, location and photo", func(ctx context.Context, s *session.Session) error {
			cards, err := s.Cards(ctx)
			if err != nil {
				return err
			}
			for _, c := range cards {
				if c.Title == "" || c.Location == "" || !c.HasImage {
					return fmt.Errorf("card %+v lacks its title, location or photo", c)
				}
			}
			return nil
		}),
		session.ExpectNoErrors(),
	)
	if err != nil {
		return err
	}
	for _, e := range s.Timeline.Events() {
		if (e.Kind != "request" && e.Kind != "asset") || (e.Lane != trace.Page && e.Lane != trace.Worker) {
			continue
		}
		url := e.Text[strings.Index(e.Text, " ")+1:]
		if !strings.HasPrefix(url, session.AppOrigin+"/") && !strings.HasPrefix(url, session.APIOrigin+"/") {
			problems = append(problems, "the app requested "+url+", outside localhost")
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// TestLoadCheckCatchesOutsideRequestsAndErrors makes sure the check above
// can fail: an app that loads a script from a CDN, and one that throws.
func TestLoadCheckCatchesOutsideRequestsAndErrors(t *testing.T) {
	ctx := context.Background()
	b, vendor := launch(t)
	base, err := frontend.App("00", vendor)
	if err != nil {
		t.Fatal(err)
	}
	index, _ := fs.ReadFile(base, "index.html")
	photo, _ := samples.Photo(60, 40, 2)
	tests := []struct {
		name, file, content, wants string
	}{
		{"cdn script", "index.html", strings.Replace(string(index), "</head>", `<script src="https://cdn.example.org/lib.js"></script></head>`, 1), "outside localhost"},
		{"throwing page", "src/js/app.js", "throw new Error('kaputt');", "kaputt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := frontend.Overlay(fstest.MapFS{tc.file: {Data: []byte(tc.content)}}, base)
			err := loadsCleanly(ctx, b, app, photo)
			if err == nil || !strings.Contains(err.Error(), tc.wants) {
				t.Fatalf("error = %v, want it to mention %q", err, tc.wants)
			}
		})
	}
}

// launch starts a browser for the test and loads the app's libraries.
func launch(t *testing.T) (*browser.Browser, fs.FS) {
	t.Helper()
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		t.Fatalf("start a browser: %v", err)
	}
	t.Cleanup(b.Close)
	vendor, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return b, vendor
}
