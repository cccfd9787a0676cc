package session

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"time"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/trace"
)

// Title-based expectations: a journey that makes several posts looks at its
// own posts by their titles, so that what an earlier stretch left behind
// (a post that never left the outbox, say) does not decide a later verdict.

// titleCounts counts how often each of titles occurs in have.
func titleCounts(titles []string, have []string) map[string]int {
	n := make(map[string]int, len(titles))
	for _, t := range titles {
		n[t] = 0
	}
	for _, h := range have {
		if _, ok := n[h]; ok {
			n[h]++
		}
	}
	return n
}

func describeCounts(titles []string, n map[string]int, where lang.Text) lang.Text {
	parts := make([]lang.Text, 0, len(titles))
	for _, t := range titles {
		parts = append(parts, lang.Say("%q %s", "%q %s", t, nTimes(n[t])))
	}
	return lang.Say("%s holds %s", "%s enthält %s", where, lang.Join(parts, ", "))
}

func quotedTitles(titles []string) string {
	return strings.Join(quoteAll(titles), ", ")
}

// backendTitles returns the titles the backend stores, and how it looks.
func (s *Session) backendTitles(ctx context.Context) ([]string, lang.Text, error) {
	list, err := s.BackendPosts(ctx)
	if err != nil {
		return nil, lang.Text{}, err
	}
	titles := make([]string, 0, len(list))
	for _, p := range list {
		titles = append(titles, p.Title)
	}
	return titles, lang.Say("after %s (answers: %s)", "nach %s (Antworten: %s)", nPostRequests(len(s.postRequests())), s.postStatuses()), nil
}

// outboxTitles returns the titles of the records in sync-posts.
func (s *Session) outboxTitles(ctx context.Context) ([]string, lang.Text, error) {
	recs, err := s.Outbox(ctx)
	if err != nil {
		return nil, lang.Text{}, err
	}
	titles := make([]string, 0, len(recs))
	for _, r := range recs {
		titles = append(titles, r.String("title"))
	}
	return titles, lang.Text{}, nil
}

// The places where titles are counted.
func atTheBackend() lang.Text { return lang.Text{EN: "the backend", DE: "das Backend"} }
func inTheOutbox() lang.Text  { return lang.Text{EN: "the outbox", DE: "die Outbox"} }

// titlesProbe looks at the titles fetch returns (and how it says things
// look) and holds when each of titles occurs a number of times that want
// accepts; it says where the titles were counted.
func titlesProbe(titles []string, where lang.Text, want func(int) bool, fetch func(ctx context.Context) ([]string, lang.Text, error)) probe {
	return func(ctx context.Context) (bool, lang.Text, error) {
		have, how, err := fetch(ctx)
		if err != nil {
			return false, lang.Text{}, err
		}
		n := titleCounts(titles, have)
		for _, t := range titles {
			if !want(n[t]) {
				seen := describeCounts(titles, n, where)
				if how.EN != "" {
					seen = lang.Say("%s %s", "%s %s", seen, how)
				}
				return false, seen, nil
			}
		}
		return true, lang.Text{}, nil
	}
}

// ExpectBackendTitles waits until the backend stores a post with each of
// titles.
func ExpectBackendTitles(titles ...string) Step {
	return named(lang.Say("expect %s at the backend", "%s im Backend erwarten", quotedTitles(titles)), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.BackendPosts, lang.Say("the backend to store %s", "das Backend speichert %s", quotedTitles(titles)), 0,
			titlesProbe(titles, atTheBackend(), func(n int) bool { return n > 0 }, s.backendTitles))
	})
}

// ExpectEachStoredOnce checks until d after the app's last activity (see
// holdsAfterActivity) that the backend stores each of titles exactly once
// (no post lost, none stored twice).
func ExpectEachStoredOnce(d time.Duration, titles ...string) Step {
	return named(lang.Say("expect %s stored exactly once each", "erwarten, dass %s jeweils genau einmal gespeichert ist", quotedTitles(titles)), func(ctx context.Context, s *Session) error {
		return s.holdsAfterActivity(ctx, failure.StoredOnce, lang.Say("the backend to store %s exactly once each", "das Backend speichert %s jeweils genau einmal", quotedTitles(titles)), d,
			titlesProbe(titles, atTheBackend(), func(n int) bool { return n == 1 }, s.backendTitles))
	})
}

// ExpectQueuedTitles waits until sync-posts holds a record with each of
// titles.
func ExpectQueuedTitles(titles ...string) Step {
	return named(lang.Say("expect %s in the outbox", "%s in der Outbox erwarten", quotedTitles(titles)), func(ctx context.Context, s *Session) error {
		err := s.waitFor(ctx, failure.OutboxCount, lang.Say("%s to hold %s", "%s enthält %s", outboxName(), quotedTitles(titles)), 0,
			titlesProbe(titles, inTheOutbox(), func(n int) bool { return n > 0 }, s.outboxTitles))
		s.snapshotOutbox(ctx, "outbox")
		return err
	})
}

// ExpectNotQueued waits until sync-posts holds none of titles, and ends
// early when nothing will take them out any more: the browser's last sync
// event finished, everything it sent was answered a while ago and no sync
// is pending.
func ExpectNotQueued(titles ...string) Step {
	return named(lang.Say("expect %s to leave the outbox", "erwarten, dass %s die Outbox verlässt", quotedTitles(titles)), func(ctx context.Context, s *Session) error {
		start := time.Now()
		queued := titlesProbe(titles, inTheOutbox(), func(n int) bool { return n == 0 }, s.outboxTitles)
		err := s.waitFor(ctx, failure.OutboxCount, lang.Say("%s to hold none of %s", "%s enthält keinen von %s", outboxName(), quotedTitles(titles)), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				ok, seen, err := queued(ctx)
				if ok || err != nil {
					return ok, seen, err
				}
				if why := s.syncSettled(start); why.EN != "" {
					return false, seen, &doomedError{seen: seen, why: why}
				}
				return false, seen, nil
			})
		s.snapshotOutbox(ctx, "outbox")
		return err
	})
}

// ExpectInjectedFault waits until the backend has answered a POST /posts
// with an injected fault (see FailNext and DropNext): the replay was tried.
func ExpectInjectedFault() Step {
	return named(lang.Say("expect a replay to meet the backend's fault", "erwarten, dass eine Wiederholung auf den Fehler des Backends trifft"), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.PostRequests, lang.Say("a POST /posts that meets the injected fault (the replay to be tried)", "ein POST /posts, der auf den eingeschleusten Fehler trifft (die Wiederholung wird versucht)"), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				posts := s.postRequests()
				for _, r := range posts {
					if r.Fault != "" {
						return true, lang.Text{}, nil
					}
				}
				return false, lang.Say("the backend received %s (answers: %s), none while the fault waited", "das Backend erhielt %s (Antworten: %s), keinen, während der Fehler wartete",
					nPostRequests(len(posts)), s.postStatuses()), nil
			})
	})
}

// ClearFaults takes back the backend faults that have not happened yet.
func ClearFaults() Step {
	return named(lang.Say("backend answers normally again", "das Backend antwortet wieder normal"), func(ctx context.Context, s *Session) error {
		s.Server.Lab.ClearFaults()
		s.Timeline.Add(trace.Backend, "fault", "faults cleared")
		return nil
	})
}

// SamplePhoto returns a small JPEG whose pixels depend on seed, for posts
// made with the file picker.
func SamplePhoto(seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x*4 + seed*40), uint8(y*5 + seed*15), uint8(seed * 70), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(fmt.Sprintf("encode a 64×48 JPEG in memory: %v", err)) // cannot happen with an in-memory writer
	}
	return b.Bytes()
}
