// Package failure names the kinds of failure a check can end with:
// stable words that the checks' data (frontend/checks.json: fails_kind,
// the hints' kind), the simulator's expectations and the reports share.
// It holds nothing else and imports nothing of Sync Lab, so the data can
// be validated where the browser driver is not linked (the backend's
// course site).
package failure

import "slices"

// The kinds of failure.
const (
	OutboxCount     = "outbox-count"      // sync-posts did not hold the expected number of records
	StoreMissing    = "store-missing"     // posts-store has no store sync-posts (or the database is missing)
	StoreKeyPath    = "store-keypath"     // sync-posts exists with another keyPath than "id"
	QueuedRecord    = "queued-record"     // the queued record lacks the title, location or photo
	BackendPosts    = "backend-posts"     // the backend did not store the expected number of posts
	PostRequests    = "post-requests"     // too few POST /posts reached the backend
	ReplayedPost    = "replayed-post"     // a replayed post differs from what was entered
	StoredOnce      = "stored-once"       // a post was stored twice (or not at all) after a lost answer
	PostLost        = "post-lost"         // a post left the outbox without being stored
	Snackbar        = "snackbar"          // the snackbar showed nothing (or something else)
	FeedCard        = "feed-card"         // the feed did not show the card
	SyncTag         = "sync-tag"          // sync-new-post was not (or still) pending
	SyncEvent       = "sync-event"        // the browser did not report the expected sync events
	Records         = "records"           // another store did not hold the expected records
	WorkerAccess    = "worker-access"     // the service worker did not read (or write) the store
	WorkerNotActive = "worker-not-active" // no service worker activated and controlled the page
	UncaughtError   = "uncaught-error"    // the page or the worker threw
	AppBroken       = "app-broken"        // a step could not act on the app (a missing element, a script error)
	DidNotFinish    = "did-not-finish"    // a check's steps did not end within its own deadline
	Environment     = "environment"       // not the app: browser, database, ports
)

// All lists every kind, in the order above.
func All() []string {
	return []string{OutboxCount, StoreMissing, StoreKeyPath, QueuedRecord, BackendPosts, PostRequests, ReplayedPost, StoredOnce, PostLost, Snackbar, FeedCard, SyncTag, SyncEvent, Records, WorkerAccess, WorkerNotActive, UncaughtError, AppBroken, DidNotFinish, Environment}
}

// Known reports whether k is one of the kinds.
func Known(k string) bool { return slices.Contains(All(), k) }
