package session

import (
	"context"
	"errors"
)

// The kinds of failure: stable words the checks' data and hints refer to.
const (
	KindOutboxCount     = "outbox-count"      // sync-posts did not hold the expected number of records
	KindStoreMissing    = "store-missing"     // posts-store has no store sync-posts (or the database is missing)
	KindStoreKeyPath    = "store-keypath"     // sync-posts exists with another keyPath than "id"
	KindQueuedRecord    = "queued-record"     // the queued record lacks the title, location or photo
	KindBackendPosts    = "backend-posts"     // the backend did not store the expected number of posts
	KindPostRequests    = "post-requests"     // too few POST /posts reached the backend
	KindReplayedPost    = "replayed-post"     // a replayed post differs from what was entered
	KindStoredOnce      = "stored-once"       // a post was stored twice (or not at all) after a lost answer
	KindPostLost        = "post-lost"         // a post left the outbox without being stored
	KindSnackbar        = "snackbar"          // the snackbar showed nothing (or something else)
	KindFeedCard        = "feed-card"         // the feed did not show the card
	KindSyncTag         = "sync-tag"          // sync-new-post was not (or still) pending
	KindSyncEvent       = "sync-event"        // the browser did not report the expected sync events
	KindRecords         = "records"           // another store did not hold the expected records
	KindWorkerAccess    = "worker-access"     // the service worker did not read (or write) the store
	KindWorkerNotActive = "worker-not-active" // no service worker activated and controlled the page
	KindUncaughtError   = "uncaught-error"    // the page or the worker threw
	KindAppBroken       = "app-broken"        // a step could not act on the app (a missing element, a script error)
	KindDidNotFinish    = "did-not-finish"    // a check's steps did not end within its own deadline
	KindEnvironment     = "environment"       // not the app: browser, database, ports
)

// AsExpectation returns err's ExpectationError, or nil.
func AsExpectation(err error) *ExpectationError {
	var ee *ExpectationError
	if errors.As(err, &ee) {
		return ee
	}
	return nil
}

// ByDeadline reports whether a step's failure was decided by time running
// out (an expectation's deadline, the scenario's), not by an observation.
// Only such a verdict may differ when the same app runs again.
func ByDeadline(err error) bool {
	if ee := AsExpectation(err); ee != nil {
		return ee.Deadline
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// KindOf names the kind of a step's failure ("" for nil).
func KindOf(err error) string {
	if err == nil {
		return ""
	}
	var env *EnvironmentError
	if errors.As(err, &env) {
		return KindEnvironment
	}
	if ee := AsExpectation(err); ee != nil && ee.Kind != "" {
		return ee.Kind
	}
	return KindAppBroken
}
