package session_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"synclab/backend/lab"
	"synclab/failure"
	"synclab/simulator/session"
)

// post is a post made with the file picker (no camera needed).
func post(title string, seed int) session.Post {
	return session.Post{Title: title, Location: "Berlin", Photo: session.SamplePhoto(seed), PhotoName: "foto.jpg"}
}

// queueOffline opens the app, goes offline and queues a post titled title.
func queueOffline(title string) []session.Step {
	return []session.Step{
		session.OpenApp(),
		session.GoOffline(),
		session.CreatePost(post(title, 1)),
		session.ExpectQueuedTitles(title),
	}
}

// postRequests returns the POST /posts the backend received, in order.
func postRequests(s *session.Session) []lab.Request {
	var out []lab.Request
	for _, r := range s.BackendRequests() {
		if r.Method == "POST" && r.Path == "/posts" {
			out = append(out, r)
		}
	}
	return out
}

// storedTimes counts how often the backend stores a post titled title.
func storedTimes(ctx context.Context, s *session.Session, title string) (int, error) {
	list, err := s.BackendPosts(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range list {
		if p.Title == title {
			n++
		}
	}
	return n, nil
}

// waitStored polls until the backend stores title n times (an observation
// the expectations then judge).
func waitStored(title string, n int) session.Step {
	return session.Check(fmt.Sprintf("wait until %q is stored %d times", title, n), func(ctx context.Context, s *session.Session) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err := storedTimes(ctx, s, title)
			if err != nil {
				return err
			}
			if got == n {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%q is stored %d times, want %d", title, got, n)
			}
			time.Sleep(25 * time.Millisecond)
		}
	})
}

// TestWorkerStoppedMidReplayOn08: the worker is stopped while the backend
// holds the answer to the replayed post (stored already). Chromium counts
// the unfinished sync event as failed and retries it a second later; the
// retry sends the same Idempotency-Key, so the post is stored once and
// the outbox empties.
func TestWorkerStoppedMidReplayOn08(t *testing.T) {
	s := open(t, "08")
	ctx := context.Background()
	const title = "Angehalten"
	steps := append(queueOffline(title),
		session.HoldNext(1),
		session.GoOnline(),
		session.StopWorkerWhileAnswerHeld(),
	)
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	if err := s.Do(ctx, session.ExpectStoredOnce(title), session.ExpectNotQueued(title)); err != nil {
		t.Fatal(err)
	}
	reqs := postRequests(s)
	if len(reqs) != 2 || reqs[0].Fault != "hold" || reqs[0].Status != 0 || reqs[1].Status != 200 ||
		reqs[0].IdempotencyKey == "" || reqs[1].IdempotencyKey != reqs[0].IdempotencyKey {
		t.Fatalf("POST /posts = %+v, want the held one (status 0) and its replay with the same key answered 200", reqs)
	}
	// What Chromium did with the sync event the stop cut short.
	var stopped, failedAt, retriedAt time.Time
	for _, e := range s.Timeline.Events() {
		if strings.HasPrefix(e.Text, "service worker stopped while the backend held") {
			stopped = e.Time
		}
	}
	for _, e := range s.SyncEvents() {
		switch {
		case e.Is("failed") && failedAt.IsZero():
			failedAt = e.Time
		case e.Is("dispatched") && !failedAt.IsZero() && retriedAt.IsZero():
			retriedAt = e.Time
		}
	}
	if stopped.IsZero() || failedAt.IsZero() || retriedAt.IsZero() {
		t.Fatalf("sync events %v: want the stop on the timeline and the stopped event failed and retried", s.SyncEvents())
	}
	t.Logf("the stopped sync event failed %d ms after the stop and was retried %d ms after it failed (sync events: %v)",
		failedAt.Sub(stopped).Milliseconds(), retriedAt.Sub(failedAt).Milliseconds(), s.SyncEvents())
}

// TestWorkerStoppedMidReplayOn07: checkpoint 07's handler does not hand
// its fetches to waitUntil, so the sync event has completed before the
// post reaches the backend; stopping the worker then cuts the fetch off:
// the post is stored, the browser does not retry, and the record stays
// in the outbox. The next sync (here: the next post) sends it again, and
// without an Idempotency-Key the backend stores it twice.
func TestWorkerStoppedMidReplayOn07(t *testing.T) {
	s := open(t, "07")
	ctx := context.Background()
	const title = "Angehalten"
	steps := append(queueOffline(title),
		session.HoldNext(1),
		session.GoOnline(),
		session.StopWorkerWhileAnswerHeld(),
		waitStored(title, 1),
	)
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	for _, e := range s.SyncEvents() {
		if e.Is("failed") {
			t.Fatalf("sync events %v: 07's sync event completed before the stop, none failed", s.SyncEvents())
		}
	}
	// Stored once and still queued (the stop lost the answer, not the
	// post); the next sync sends the old record again.
	steps = []session.Step{
		session.ExpectQueuedTitles(title),
		session.CreatePost(post("Danach", 2)),
		session.ExpectBackendTitles("Danach"),
		waitStored(title, 2),
	}
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	err := s.Do(ctx, session.ExpectStoredOnce(title))
	if session.KindOf(err) != failure.StoredOnce || !strings.Contains(err.Error(), `"Angehalten" to be stored exactly once`) || !strings.Contains(err.Error(), "stored it 2 times") {
		t.Fatalf("ExpectStoredOnce after the next sync = %v; want the duplicate named", err)
	}
	for _, r := range postRequests(s) {
		if r.IdempotencyKey != "" {
			t.Fatalf("07 sent an Idempotency-Key: %+v", r)
		}
	}
}
