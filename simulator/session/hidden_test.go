package session_test

import (
	"context"
	"strings"
	"testing"

	"synclab/frontend/studentapp"
	"synclab/simulator/session"
	"synclab/simulator/trace"
)

// The app's tab is hidden (it draws nothing), yet code that waits for the
// next animation frame runs as on screen, and a failed step still leaves a
// screenshot of the page as evidence.
func TestHiddenTab(t *testing.T) {
	ctx := context.Background()
	post := session.CreatePost(session.Post{Title: "Nächstes Bild", Location: "HTW Berlin", Photo: session.SamplePhoto(1), PhotoName: "foto.jpg"})

	t.Run("frame callbacks run", func(t *testing.T) {
		s := openApp(t, courseStyle(t, studentapp.NextFrame()))
		if err := s.Do(ctx, session.OpenApp()); err != nil {
			t.Fatal(err)
		}
		expectHidden(t, s)
		err := s.Do(ctx, session.GoOffline(), post, session.ExpectOutbox(1),
			session.GoOnline(), session.ExpectBackendTitles("Nächstes Bild"), session.ExpectOutbox(0))
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a failed step is photographed", func(t *testing.T) {
		s := openApp(t, courseStyle(t, studentapp.NoRegister()))
		err := s.Do(ctx, session.OpenApp(), session.GoOffline(), post, session.ExpectSyncTag("sync-new-post", true))
		if err == nil {
			t.Fatal("the step passed on an app that registers no sync task")
		}
		var shots []trace.Event
		for _, e := range s.Timeline.Events() {
			if e.Kind == "screenshot" {
				shots = append(shots, e)
			}
		}
		if len(shots) != 1 {
			t.Fatalf("want one screenshot of the failed step, got %d", len(shots))
		}
		if png, _ := shots[0].Data.(string); !strings.HasPrefix(shots[0].Text, "failed: ") || !strings.HasPrefix(png, "data:image/png;base64,") || len(png) < 1000 {
			t.Fatalf("want one screenshot of the failed step, got %d: %+v", len(shots), shots)
		}
		// The picture does not leave the tab on screen.
		expectHidden(t, s)
	})
}

func expectHidden(t *testing.T, s *session.Session) {
	t.Helper()
	got, err := session.PageString(context.Background(), s, "document.visibilityState")
	if err != nil || got != "hidden" {
		t.Fatalf("the app's tab is %q (%v), want hidden", got, err)
	}
}
