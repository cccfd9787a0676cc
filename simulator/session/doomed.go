package session

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"synclab/failure"
	"synclab/lang"
)

// settle is how long an expectation waits before it decides that something
// the app should have started by now will not happen any more.
const settle = time.Second

// doomedError is returned by a probe that sees its expectation can no
// longer hold: the wait ends at once instead of at its deadline.
type doomedError struct{ seen, why lang.Text }

func (e *doomedError) Error() string { return e.seen.EN + " (" + e.why.EN + ")" }

// asDoomed reports whether err says the expectation can no longer hold.
func asDoomed(err error) (*doomedError, bool) {
	var d *doomedError
	ok := errors.As(err, &d)
	return d, ok
}

// needsReplay reports whether expectations of kind need the service worker
// to replay the outbox.
func needsReplay(wantKind string) bool {
	switch wantKind {
	case failure.BackendPosts, failure.PostRequests, failure.WorkerAccess, failure.ReplayedPost:
		return true
	}
	return false
}

// doomed says why an expectation of kind, waited for since start, can no
// longer be met (empty if it still can): the page crashed; the service worker
// threw while it should be replaying; the app went offline and back
// without ever registering a sync task, so nothing will replay its posts;
// the browser's sync event finished, nothing it sent is still on its way
// and no other sync is pending; or, without SyncManager, the submit sent
// nothing.
func (s *Session) doomed(wantKind string, start time.Time) lang.Text {
	s.mu.Lock()
	crashed := s.crashed
	wentOffline := s.wentOffline
	noSyncManager := s.noSyncMg
	acted := s.acted
	registered := false
	var registeredAt time.Time
	for _, e := range s.syncLog {
		if e.Is("registered") {
			registered, registeredAt = true, e.Time
		}
	}
	sentAny := s.postsSentSince(time.Time{}) > 0
	sentSinceActed := s.postsSentSince(acted) > 0
	s.mu.Unlock()
	if crashed {
		return lang.Say("the page crashed", "die Seite ist abgestürzt")
	}
	if wantKind == failure.SyncTag && !registered && time.Since(start) > settle {
		return lang.Say("the browser reported no sync registration at all", "der Browser meldete überhaupt keine Sync-Registrierung")
	}
	// The snackbar confirms the sync task: it follows the registration at
	// once (the course shows it when register() resolves), not seconds
	// later.
	if wantKind == failure.Snackbar && !acted.IsZero() && !registeredAt.Before(acted) && time.Since(registeredAt) > 2*settle && time.Since(start) > settle {
		return lang.Say("the submit registered its sync task %s ago and no snackbar followed", "das Absenden registrierte seine Sync-Task vor %s, aber es folgte keine Snackbar", seconds(time.Since(registeredAt)))
	}
	if !needsReplay(wantKind) {
		return lang.Text{}
	}
	if msg, at := s.workerErrorSince(start); msg != "" && time.Since(at) > 300*time.Millisecond {
		if !s.retryScheduledSince(at.Add(-time.Second)) {
			return lang.Say("the service worker threw: %s", "der Service Worker warf einen Fehler: %s", msg)
		}
		// The browser retried, and the worker threw the same again before
		// it sent anything: every retry will end the same way. (A worker
		// that rejects on purpose, to be retried, has sent its POST.)
		if again := s.sameErrorOnRetry(msg, at); !again.IsZero() && time.Since(again) > 300*time.Millisecond {
			return lang.Say("the service worker threw the same error again when the browser retried the sync, before sending anything: %s",
				"der Service Worker warf denselben Fehler erneut, als der Browser den Sync wiederholte, bevor er etwas sendete: %s", msg)
		}
	}
	if wentOffline && !registered && time.Since(start) > settle {
		return lang.Say("no sync task was registered, so nothing will send the queued post", "es wurde keine Sync-Task registriert, daher wird der wartende Beitrag nie gesendet")
	}
	if !registered && !noSyncManager && !sentAny && time.Since(start) > settle {
		return lang.Say("no sync task was registered and nothing was sent, so nothing will send the post", "es wurde keine Sync-Task registriert und nichts gesendet, daher wird der Beitrag nie gesendet")
	}
	if !noSyncManager && time.Since(start) > settle {
		quiet, sent, answered := s.syncQuiet()
		switch {
		case !quiet:
		case wantKind == failure.WorkerAccess:
			return lang.Say("the browser's sync event finished without the service worker reading the outbox, and no other sync is pending",
				"das sync-Ereignis des Browsers endete, ohne dass der Service Worker die Outbox las, und kein anderer Sync wartet")
		case sent == 0:
			return nothingSent()
		default:
			return lang.Say("the browser's sync event finished, the backend answered its %s (%s), and no other sync is pending",
				"das sync-Ereignis des Browsers endete, das Backend beantwortete die dabei gesendeten %s (%s), und kein anderer Sync wartet",
				count(answered, "POST", "POSTs", "POST", "POSTs"), s.postStatuses())
		}
	}
	if noSyncManager && wantKind == failure.BackendPosts && !acted.IsZero() && time.Since(acted) > settle && time.Since(start) > settle && !sentSinceActed {
		return lang.Say("without SyncManager the page sent nothing after the submit", "ohne SyncManager sendete die Seite nach dem Absenden nichts")
	}
	return lang.Text{}
}

// syncSettled says why nothing will change the outbox any more (empty
// while something still may): the browser's last sync event finished and
// no other sync is pending, every POST sent since it began was answered
// (or cut off), the last more than settle ago, and the app is online.
func (s *Session) syncSettled(start time.Time) lang.Text {
	s.mu.Lock()
	offline := s.swOff || s.pageOff
	noSyncManager := s.noSyncMg
	s.mu.Unlock()
	if offline || noSyncManager || time.Since(start) < settle {
		return lang.Text{}
	}
	quiet, _, answered := s.syncQuiet()
	switch {
	case !quiet:
		return lang.Text{}
	case answered == 0:
		return nothingSent()
	}
	return lang.Say("the browser's sync event finished, every POST sent since it began has ended (%s: %s), and no other sync is pending",
		"das sync-Ereignis des Browsers endete, jeder seitdem gesendete POST ist zu Ende (%s: %s), und kein anderer Sync wartet",
		count(answered, "POST", "POSTs", "POST", "POSTs"), s.postStatuses())
}

// syncQuiet reports whether nothing is on its way any more: the browser's
// last sync event finished more than settle ago and no other sync is
// pending, and every POST sent since it began was answered (or cut off),
// the last more than settle ago. It returns how many POSTs were sent since
// that event began and how many of them ended.
func (s *Session) syncQuiet() (quiet bool, sent, answered int) {
	s.mu.Lock()
	dispatched, finished := s.lastSyncFinished()
	sent = s.postsSentSince(dispatched)
	s.mu.Unlock()
	if finished.IsZero() || time.Since(finished) <= settle {
		return false, sent, 0
	}
	answered, lastAnswer := s.answeredSince(dispatched)
	return answered >= sent && time.Since(lastAnswer) > settle, sent, answered
}

// nothingSent says that a finished sync event sent nothing.
func nothingSent() lang.Text {
	return lang.Say("the browser's sync event finished without the service worker sending anything, and no other sync is pending",
		"das sync-Ereignis des Browsers endete, ohne dass der Service Worker etwas sendete, und kein anderer Sync wartet")
}

// outboxStaysShort says why records a submit should have put into the
// outbox will not come any more (empty if they still may): the submit
// registered its sync task more than two seconds ago — the chapter writes
// the post first and registers after — and the outbox still lacks them.
func (s *Session) outboxStaysShort(start time.Time) lang.Text {
	s.mu.Lock()
	acted := s.acted
	var registeredAt time.Time
	for _, e := range s.syncLog {
		if e.Is("registered") {
			registeredAt = e.Time
		}
	}
	s.mu.Unlock()
	if acted.IsZero() || registeredAt.Before(acted) || time.Since(registeredAt) < 2*settle || time.Since(start) < settle {
		return lang.Text{}
	}
	return lang.Say("the submit registered its sync task %s ago, but the post was not written to sync-posts",
		"das Absenden registrierte seine Sync-Task vor %s, aber der Beitrag wurde nicht in sync-posts geschrieben", seconds(time.Since(registeredAt)))
}

// lastSyncFinished returns when the browser last dispatched a sync event
// and when that event finished, if it did and nothing was registered since
// (zero times otherwise): then no sync is pending. A failed event the
// browser will retry has not finished. Call with s.mu held.
func (s *Session) lastSyncFinished() (dispatched, finished time.Time) {
	for _, e := range s.syncLog {
		switch {
		case e.Is("registered"):
			finished = time.Time{}
		case e.Is("dispatched"):
			dispatched, finished = e.Time, time.Time{}
		case e.Is("completed") && !dispatched.IsZero():
			finished = e.Time
		}
	}
	if finished.IsZero() {
		return time.Time{}, time.Time{}
	}
	return dispatched, finished
}

// workerErrorSince returns an uncaught error of the service worker's own
// code since t (not a network failure, which may pass), and when it came.
func (s *Session) workerErrorSince(t time.Time) (string, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.errors {
		if e.Time.Before(t) || networkFailure.MatchString(e.Text) {
			continue
		}
		if strings.HasPrefix(e.Text, "service worker") || strings.HasPrefix(e.Text, "service-worker") {
			return e.Text, e.Time
		}
	}
	return "", time.Time{}
}

// sameErrorOnRetry returns when the service worker threw msg again after a
// later sync event began than the one at first, with no POST sent since
// (zero if it did not). The worker's errors and the browser's sync events
// come on different DevTools connections when the checks watch the worker,
// so the retry's error may be received a moment before its "dispatched"
// event: an error up to a second before it counts (the browser retries two
// seconds or more after a failure, so it cannot be the first attempt's).
func (s *Session) sameErrorOnRetry(msg string, first time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.postsSentSince(first.Add(-time.Second)) > 0 {
		return time.Time{}
	}
	var retried time.Time
	for _, e := range s.syncLog {
		if e.Time.After(first) && e.Is("dispatched") {
			retried = e.Time
			break
		}
	}
	if retried.IsZero() {
		return time.Time{}
	}
	for _, e := range s.errors {
		if e.Text == msg && e.Time.After(first) && !e.Time.Before(retried.Add(-retryErrorSkew)) {
			return e.Time
		}
	}
	return time.Time{}
}

// retryErrorSkew is how much earlier than its sync event a retry's error
// may be received (see sameErrorOnRetry).
const retryErrorSkew = time.Second

// retryScheduledSince reports whether the browser failed a sync event
// since t and scheduled another attempt: a worker that rejects its
// waitUntil on purpose (to be retried) has not given up.
func (s *Session) retryScheduledSince(t time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.syncLog {
		if !e.Time.Before(t) && e.Is("failed") {
			return true
		}
	}
	return false
}

func doomedSeen(seen, why lang.Text) lang.Text {
	return lang.Say("%s; it can no longer happen: %s", "%s; das kann nicht mehr geschehen: %s", seen, why)
}

// answeredSince counts the POST /posts the backend answered that arrived
// since t, and returns when the latest of them arrived (zero if none).
func (s *Session) answeredSince(t time.Time) (n int, last time.Time) {
	for _, r := range s.postRequests() {
		if !r.Time.Before(t) {
			n++
			if r.Time.After(last) {
				last = r.Time
			}
		}
	}
	return n, last
}

// postsSentSince counts the POSTs to the backend that a page or the worker
// sent since t (answered or still on their way). Call with s.mu held.
func (s *Session) postsSentSince(t time.Time) int {
	n := 0
	for _, at := range s.postsSent {
		if !at.Before(t) {
			n++
		}
	}
	return n
}

// stuckWorker reports, for an expectation that needs the replay, a service
// worker whose sync event has run for more than 2 s and that does not
// answer DevTools within a second: its handler keeps the worker's thread
// busy (an endless loop). A handler that waits for the network answers at
// once. The stuck worker is stopped, so that it stops costing the machine
// (and every other submission being graded) a processor core. It asks the
// worker at most once a second.
func (s *Session) stuckWorker(ctx context.Context, wantKind string) lang.Text {
	if !needsReplay(wantKind) {
		return lang.Text{}
	}
	s.mu.Lock()
	running := s.syncRunningSince()
	due := time.Since(s.pinged) > time.Second
	if due {
		s.pinged = time.Now()
	}
	cur := s.sw
	s.mu.Unlock()
	if running.IsZero() || time.Since(running) < 2*time.Second || !due {
		return lang.Text{}
	}
	why := lang.Say("the service worker has been running its sync handler for %s and does not answer: is the handler stuck in an endless loop? (the checks stopped it)",
		"der Service Worker führt seinen sync-Handler seit %s aus und antwortet nicht: hängt der Handler in einer Endlosschleife? (die Prüfungen haben ihn angehalten)", seconds(time.Since(running)))
	if cur == nil {
		// Not attached yet (nothing needed the worker before, as when a
		// post is made online right after the app opened): attaching asks
		// the worker too, with the same second.
		id, err := s.workerTarget(ctx)
		if err != nil || id == "" {
			return lang.Text{}
		}
		if _, err := s.attachWorker(ctx, id, time.Second); err != nil && ctx.Err() == nil {
			if ee, ok := errors.AsType[*ExpectationError](err); ok && ee.Kind == failure.AppBroken {
				return why // attachWorker stopped it
			}
		}
		return lang.Text{}
	}
	cctx, cancel := withDeadline(ctx, cur.ctx, time.Second)
	defer cancel()
	_, err := chromedp.Run(cctx, chromedp.Evaluate[chromedp.Void](`1`))
	if err == nil || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
		return lang.Text{}
	}
	s.stopRunaway(why)
	return why
}

// syncRunningSince returns when the browser dispatched a sync event that
// has neither completed nor failed yet (zero if none). Call with s.mu held.
func (s *Session) syncRunningSince() time.Time {
	var running time.Time
	for _, e := range s.syncLog {
		switch {
		case e.Is("dispatched"):
			running = e.Time
		case e.Is("completed") || e.Is("failed"):
			running = time.Time{}
		}
	}
	return running
}
