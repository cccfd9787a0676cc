package session_test

import (
	"context"
	"errors"
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

// syncEventsSince returns the sync events from t on.
func syncEventsSince(s *session.Session, t time.Time) []session.SyncEvent {
	var out []session.SyncEvent
	for _, e := range s.SyncEvents() {
		if !e.Time.Before(t) {
			out = append(out, e)
		}
	}
	return out
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

// addComment is a new version of sw.js whose only change is a comment.
func addComment(sw string) string { return sw + "\n// v2\n" }

// otherTag is a new version of sw.js whose sync handler listens for
// another tag than the page registers (a seeded mistake).
func otherTag(sw string) string {
	return strings.Replace(sw, "event.tag === 'sync-new-post'", "event.tag === 'sync-posts-v2'", 1)
}

// deployWhileQueued queues a post offline, deploys edit and checks that
// offline still means offline: the new version is the session's worker,
// its fetches fail and the sync waits.
func deployWhileQueued(t *testing.T, s *session.Session, title string, edit func(string) string) {
	t.Helper()
	ctx := context.Background()
	steps := append(queueOffline(title),
		session.DeployWorkerVersion(edit),
		session.Check("offline still means offline for the new version", func(ctx context.Context, s *session.Session) error {
			fetched, err := session.WorkerFetches(ctx, s)
			if err != nil {
				return err
			}
			if fetched || !session.AttachedToActiveVersion(s) {
				return fmt.Errorf("the new version fetched %v, attached to it: %v; want its fetches to fail", fetched, session.AttachedToActiveVersion(s))
			}
			return nil
		}),
		session.ExpectBackendPostsStay(0, time.Second),
		session.ExpectQueuedTitles(title),
	)
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	for _, e := range s.SyncEvents() {
		if e.Is("dispatched") {
			t.Fatalf("a sync event was dispatched while offline: %v", s.SyncEvents())
		}
	}
	// How the new version took over (for -v).
	var deployed time.Time
	for _, e := range s.Timeline.Events() {
		if e.Text == "deploy a new version of the service worker (sw.js)" {
			deployed = e.Time
		}
		if !deployed.IsZero() && (e.Kind == "version" || e.Kind == "step") {
			t.Logf("+%5d ms %-14s %s", e.Time.Sub(deployed).Milliseconds(), e.Lane, e.Text)
		}
	}
}

func TestDeployWhileASyncWaits(t *testing.T) {
	for _, cp := range []string{"07", "08"} {
		t.Run(cp, func(t *testing.T) {
			s := open(t, cp)
			ctx := context.Background()
			const title = "Neue Version"
			deployWhileQueued(t, s, title, addComment)
			if err := s.Do(ctx, session.GoOnline(), session.ExpectStoredOnce(title)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestDeployWhileOnline: online, the new version is not attached to; the
// session finds the active one when it needs the worker, and a post made
// after the deploy is replayed by it.
func TestDeployWhileOnline(t *testing.T) {
	s := open(t, "08")
	ctx := context.Background()
	const title = "Danach"
	err := s.Do(ctx,
		session.OpenApp(),
		session.DeployWorkerVersion(addComment),
		session.GoOffline(),
		session.CreatePost(post(title, 3)),
		session.ExpectQueuedTitles(title),
		session.Check("the session's worker is the new version", func(ctx context.Context, s *session.Session) error {
			if !session.AttachedToActiveVersion(s) {
				return errors.New("the session is not attached to the active version")
			}
			return nil
		}),
		session.GoOnline(),
		session.ExpectStoredOnce(title),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeployAHandlerForAnotherTag: the new version's handler listens for
// another tag; the browser dispatches the registered one to it, the event
// completes without a request, and the post does not arrive.
func TestDeployAHandlerForAnotherTag(t *testing.T) {
	if !strings.Contains(otherTag("if (event.tag === 'sync-new-post') {"), "sync-posts-v2") {
		t.Fatal("the seeded mistake changes nothing")
	}
	for _, cp := range []string{"07", "08"} {
		t.Run(cp, func(t *testing.T) {
			s := open(t, cp)
			ctx := context.Background()
			const title = "Falscher Tag"
			deployWhileQueued(t, s, title, otherTag)
			online := time.Now()
			err := s.Do(ctx, session.GoOnline(), session.ExpectBackendTitles(title))
			if session.KindOf(err) != failure.BackendPosts || session.ByDeadline(err) {
				t.Fatalf("ExpectBackendTitles = %v (kind %q); want it to fail on an observation", err, session.KindOf(err))
			}
			dispatched, completed := false, false
			for _, e := range syncEventsSince(s, online) {
				dispatched = dispatched || e.Is("dispatched") && e.Tag == session.SyncTag
				completed = completed || e.Is("completed") && e.Tag == session.SyncTag && e.Meta["Status"] == "succeeded"
			}
			if !dispatched || !completed {
				t.Fatalf("sync events %v; want %q dispatched and completed", s.SyncEvents(), session.SyncTag)
			}
			if n := len(postRequests(s)); n != 0 {
				t.Fatalf("%d POST /posts; want none", n)
			}
			t.Logf("failed as expected: %v", err)
		})
	}
}

// TestTheBrowsersLastChanceOn08: the backend fails every replay; the
// browser's fourth attempt is its last chance, it fails, 08's handler
// tells the page, the post stays queued; opened again, 08 registers the
// sync anew and the post arrives.
func TestTheBrowsersLastChanceOn08(t *testing.T) {
	s := open(t, "08")
	ctx := context.Background()
	const title = "Letzte Chance"
	steps := append(queueOffline(title),
		session.FailNext(100, 503),
		session.GoOnline(),
		session.ExpectLastChance(),
		session.ExpectSnackbar("Beiträge konnten nicht gesendet werden"),
		session.ExpectQueuedTitles(title),
	)
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	var first, last time.Time
	attempts := 0
	for _, e := range s.SyncEvents() {
		if e.Is("dispatched") {
			attempts++
			if first.IsZero() {
				first = e.Time
			}
			last = e.Time
		}
	}
	if attempts != 3 {
		t.Fatalf("%d attempts, want Chromium's 3 (sync events %v)", attempts, s.SyncEvents())
	}
	t.Logf("last chance: attempt %d, %.1f s after the first", attempts, last.Sub(first).Seconds())
	if err := s.Do(ctx, session.ClearFaults(), session.CloseAppTabs(), session.ReopenApp(), session.ExpectStoredOnce(title)); err != nil {
		t.Fatal(err)
	}
}

// TestTheBrowsersLastChanceOn07: 07's sync event completes at once (its
// fetches are not handed to waitUntil), so the browser never retries and
// no last chance comes; the expectation says so without waiting out its
// 15 s. Opened again, 07 registers nothing: the post stays queued.
func TestTheBrowsersLastChanceOn07(t *testing.T) {
	s := open(t, "07")
	ctx := context.Background()
	const title = "Letzte Chance"
	steps := append(queueOffline(title),
		session.FailNext(100, 503),
		session.GoOnline(),
	)
	if err := s.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := s.Do(ctx, session.ExpectLastChance())
	if session.KindOf(err) != failure.SyncEvent || session.ByDeadline(err) || !strings.Contains(err.Error(), "the browser retries only a sync that failed") {
		t.Fatalf("ExpectLastChance on 07 = %v; want it to fail on the completed sync", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("ExpectLastChance took %v to fail", d)
	}
	t.Logf("ExpectLastChance failed after %v: %v", time.Since(start).Round(time.Millisecond), err)
	reopened := time.Now()
	if err := s.Do(ctx, session.ClearFaults(), session.CloseAppTabs(), session.ReopenApp()); err != nil {
		t.Fatal(err)
	}
	err = s.Do(ctx, session.ExpectBackendTitles(title))
	if session.KindOf(err) != failure.BackendPosts {
		t.Fatalf("ExpectBackendTitles after reopening 07 = %v; want it to fail", err)
	}
	if err := s.Do(ctx, session.ExpectQueuedTitles(title)); err != nil {
		t.Fatal(err)
	}
	if evs := syncEventsSince(s, reopened); len(evs) != 0 {
		t.Fatalf("07 synced after reopening: %v", evs)
	}
	var ee *session.ExpectationError
	t.Logf("after reopening: %v (by deadline: %v)", err, errors.As(err, &ee) && ee.Deadline)
}
