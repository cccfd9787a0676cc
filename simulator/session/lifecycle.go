package session

// The service worker's life beyond one version and one attempt: a worker
// stopped while a replay waits for its answer, a new version deployed
// while a sync waits, the browser's last attempt.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/trace"
)

// HoldNext makes the backend store the next n posts and hold their
// answers back until the client goes away (at most 15 s).
func HoldNext(n int) Step {
	return named(lang.Say("backend stores the next %d post(s) and holds the answer back", "das Backend speichert %[2]s und hält die Antwort zurück", n, nextPosts(n)), func(ctx context.Context, s *Session) error {
		s.Server.Lab.HoldNext(n)
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("next %d POST /posts: store, then hold the answer", n))
		return nil
	})
}

// StopWorkerWhileAnswerHeld waits until the backend holds the answer to a
// stored post (see HoldNext: the replay is on its way back), then stops the
// service worker, as the browser may do to an idle or busy worker at any
// time. It ends when the held request is gone, its client cut off. What
// the browser does next (a sync event that did not finish counts as
// failed and is retried) is for the expectations that follow to see.
func StopWorkerWhileAnswerHeld() Step {
	return named(lang.Say("stop the service worker while the backend holds the answer to a stored post", "den Service Worker anhalten, während das Backend die Antwort auf einen gespeicherten Beitrag zurückhält"), func(ctx context.Context, s *Session) error {
		lab := s.Server.Lab
		if st := lab.State(); st.HoldNext == 0 && st.Held == 0 {
			return errors.New("no answer is held and none will be: make the backend hold one first (HoldNext)")
		}
		err := s.waitFor(ctx, failure.PostRequests, lang.Say("a replayed post to be stored and its answer held", "ein wiederholter Beitrag wird gespeichert und seine Antwort zurückgehalten"), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				return lab.Held() > 0, lang.Say("the backend holds no answer after %s (answers: %s)", "das Backend hält keine Antwort zurück, nach %s (Antworten: %s)",
					nPostRequests(len(s.postRequests())), s.postStatuses()), nil
			})
		if err != nil {
			return err
		}
		held := lab.Held()
		if err := s.stopWorkers(ctx); err != nil {
			return err
		}
		stopped := time.Now()
		s.Timeline.Arrow(trace.Sim, trace.Worker, "fault", fmt.Sprintf("service worker stopped while the backend held %s", plural(held, "answer", "answers")))
		// The stop cuts the worker's requests off: the held one ends.
		deadline := stopped.Add(s.cfg.Timeout)
		for held > 0 && lab.Held() >= held {
			if time.Now().After(deadline) {
				return fmt.Errorf("the backend still holds the answer %v after the service worker was stopped", s.cfg.Timeout)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("the held request ended %d ms after the stop: its client went away", time.Since(stopped).Milliseconds()))
		return nil
	})
}
