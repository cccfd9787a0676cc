package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"synclab/simulator/trace"
)

// probe looks once: whether the expectation holds, and what was seen.
type probe func(ctx context.Context) (ok bool, seen string, err error)

// waitFor polls p until it holds or the deadline passes, then fails with
// what was expected and what was seen, plus what the browser and the
// service worker reported meanwhile.
func (s *Session) waitFor(ctx context.Context, kind, expected string, within time.Duration, p probe) error {
	if within <= 0 {
		within = s.cfg.Timeout
	}
	start := time.Now()
	deadline := start.Add(within)
	var seen string
	for {
		ok, now, err := p(ctx)
		if d, doomed := asDoomed(err); doomed {
			return &ExpectationError{Kind: kind, Expected: expected, Within: time.Since(start), Seen: doomedSeen(d.seen, d.why), Context: s.explain(start)}
		}
		if err != nil {
			return err
		}
		seen = now
		if ok {
			return nil
		}
		failKind, why := kind, s.doomed(kind, start)
		if why == "" {
			failKind, why = KindAppBroken, s.stuckWorker(ctx, kind)
		}
		if why != "" {
			return &ExpectationError{Kind: failKind, Expected: expected, Within: time.Since(start), Seen: doomedSeen(seen, why), Context: s.explain(start)}
		}
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("expected %s; interrupted (%w); saw %s", expected, ctx.Err(), seen)
		case <-time.After(25 * time.Millisecond):
		}
	}
	return &ExpectationError{Kind: kind, Expected: expected, Within: within, Seen: seen, Context: s.explain(start)}
}

// holdsFor checks that p keeps holding for d (e.g. nothing is sent while
// offline).
func (s *Session) holdsFor(ctx context.Context, kind, expected string, d time.Duration, p probe) error {
	return s.holdsUntil(ctx, kind, expected, time.Now().Add(d), d, p)
}

// holdsAfterActivity checks that p holds until d has passed since the app
// last had a reason to change what p looks at: the checks' last submit or
// network switch, or the last POST /posts the backend received. Time that
// passed in earlier steps counts, so a quiet app is not waited for twice.
func (s *Session) holdsAfterActivity(ctx context.Context, kind, expected string, d time.Duration, p probe) error {
	s.mu.Lock()
	last := s.acted
	s.mu.Unlock()
	if _, post := s.answeredSince(last); post.After(last) {
		last = post
	}
	until := last.Add(d)
	if last.IsZero() {
		until = time.Now().Add(d)
	}
	return s.holdsUntil(ctx, kind, expected, until, d, p)
}

// holdsUntil checks p at once and then until until; within is what the
// error reports as the time p had to hold.
func (s *Session) holdsUntil(ctx context.Context, kind, expected string, until time.Time, within time.Duration, p probe) error {
	start := time.Now()
	d := until.Sub(start)
	for {
		ok, seen, err := p(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return &ExpectationError{Kind: kind, Expected: expected, Within: within, Seen: seen, Context: s.explain(start), Broken: true}
		}
		if time.Since(start) >= d {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// ExpectationError says what was expected and what was seen instead.
type ExpectationError struct {
	// Kind names the failure with a stable word (see the Kind constants),
	// for hints and for the checks' data.
	Kind     string
	Expected string
	Within   time.Duration
	Seen     string
	Context  string
	// Broken is set when the expectation held at first and then stopped.
	Broken bool
	// Instant is set for a look without waiting (no "within").
	Instant bool
}

func (e *ExpectationError) Error() string {
	if e.Instant {
		return "expected " + e.Expected + "; " + e.Seen
	}
	verb := "within"
	if e.Broken {
		verb = "for"
	}
	msg := fmt.Sprintf("expected %s %s %v; %s", e.Expected, verb, e.Within.Round(100*time.Millisecond), e.Seen)
	if e.Context != "" {
		msg += "; " + e.Context
	}
	return msg
}

// explain summarises what the browser and the app reported: the last sync
// events of the session (those before the wait count too: the sync may
// have been dispatched by the step before), the worker's last log lines and
// uncaught errors.
func (s *Session) explain(since time.Time) string {
	var parts []string
	events := s.SyncEvents()
	if len(events) > 5 {
		events = events[len(events)-5:]
	}
	if len(events) == 0 {
		parts = append(parts, "no sync event was dispatched")
	} else {
		var names []string
		for _, e := range events {
			when := "before"
			if !e.Time.Before(since) {
				when = fmt.Sprintf("+%d ms", e.Time.Sub(since).Milliseconds())
			}
			names = append(names, fmt.Sprintf("%s (%s)", e.String(), when))
		}
		parts = append(parts, "last sync events: "+strings.Join(names, "; "))
	}
	if logs := s.Timeline.Tail(trace.Worker, "console", 3); len(logs) > 0 {
		parts = append(parts, "the service worker logged: "+strings.Join(logs, " | "))
	}
	if errs := s.Errors(); len(errs) > 0 {
		parts = append(parts, "uncaught errors: "+strings.Join(errs, " | "))
	}
	return strings.Join(parts, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (s *Session) outboxProbe(want func(int) bool, missing *bool) probe {
	return func(ctx context.Context) (bool, string, error) {
		recs, err := s.Records(ctx, DBName, OutboxName, false)
		*missing = errors.Is(err, ErrNoStore)
		if *missing {
			return want(0), fmt.Sprintf("IndexedDB %s has no object store %q (the chapter's names: database %q, store %q)", DBName, OutboxName, DBName, OutboxName), nil
		}
		if err != nil {
			return false, "", err
		}
		var titles []string
		for _, r := range recs {
			titles = append(titles, fmt.Sprintf("%q", r.String("title")))
		}
		seen := "it holds " + plural(len(recs), "record", "records")
		if len(titles) > 0 {
			seen += " (" + strings.Join(titles, ", ") + ")"
		}
		return want(len(recs)), seen, nil
	}
}

// ExpectOutbox waits until sync-posts holds exactly n records.
func ExpectOutbox(n int) Step {
	return Step{Name: fmt.Sprintf("expect %s in the outbox", plural(n, "record", "records")), Run: func(ctx context.Context, s *Session) error {
		missing := false
		start := time.Now()
		p := s.outboxProbe(func(got int) bool { return got == n }, &missing)
		err := s.waitFor(ctx, KindOutboxCount, fmt.Sprintf("the outbox (IndexedDB posts-store/sync-posts) to hold %s", plural(n, "record", "records")), 0,
			func(ctx context.Context) (bool, string, error) {
				ok, seen, err := p(ctx)
				// The store is made when the page opens the database: it
				// will not appear later.
				if !ok && err == nil && missing && time.Since(start) > settle {
					return false, "", &doomedError{seen: seen, why: "the store is not created after the app opened its database"}
				}
				return ok, seen, err
			})
		s.snapshotOutbox(ctx, "outbox")
		if ee := AsExpectation(err); ee != nil && missing {
			ee.Kind = KindStoreMissing
		}
		return err
	}}
}

// ExpectOutboxStays checks that sync-posts keeps n records until d after
// the app's last activity (see holdsAfterActivity).
func ExpectOutboxStays(n int, d time.Duration) Step {
	return Step{Name: fmt.Sprintf("expect the outbox to keep %s", plural(n, "record", "records")), Run: func(ctx context.Context, s *Session) error {
		missing := false
		return s.holdsAfterActivity(ctx, KindOutboxCount, fmt.Sprintf("the outbox to keep %s", plural(n, "record", "records")), d,
			s.outboxProbe(func(got int) bool { return got == n }, &missing))
	}}
}

func (s *Session) backendProbe(want func(int) bool) probe {
	return func(ctx context.Context) (bool, string, error) {
		list, err := s.BackendPosts(ctx)
		if err != nil {
			return false, "", err
		}
		var titles []string
		for _, p := range list {
			titles = append(titles, fmt.Sprintf("%q", p.Title))
		}
		seen := fmt.Sprintf("the backend has %s", plural(len(list), "post", "posts"))
		if len(titles) > 0 {
			seen += " (" + strings.Join(titles, ", ") + ")"
		}
		seen += fmt.Sprintf(" after %s", plural(len(s.postRequests()), "POST /posts", "POST /posts requests"))
		return want(len(list)), seen, nil
	}
}

// ExpectBackendPosts waits until the backend stores exactly n posts.
func ExpectBackendPosts(n int) Step {
	return ExpectBackendPostsWithin(n, 0)
}

// ExpectBackendPostsWithin is ExpectBackendPosts with its own deadline.
func ExpectBackendPostsWithin(n int, within time.Duration) Step {
	return Step{Name: fmt.Sprintf("expect %s at the backend", plural(n, "post", "posts")), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindBackendPosts, fmt.Sprintf("the backend to store %s", plural(n, "post", "posts")), within,
			s.backendProbe(func(got int) bool { return got == n }))
	}}
}

// ExpectBackendPostsStay checks that the backend keeps n posts until d
// after the app's last activity (see holdsAfterActivity).
func ExpectBackendPostsStay(n int, d time.Duration) Step {
	return Step{Name: fmt.Sprintf("expect the backend to keep %s", plural(n, "post", "posts")), Run: func(ctx context.Context, s *Session) error {
		return s.holdsAfterActivity(ctx, KindBackendPosts, fmt.Sprintf("the backend to keep %s", plural(n, "post", "posts")), d,
			s.backendProbe(func(got int) bool { return got == n }))
	}}
}

// ExpectPostRequests waits until the backend received at least n POST /posts.
func ExpectPostRequests(atLeast int) Step {
	return Step{Name: fmt.Sprintf("expect at least %s", plural(atLeast, "POST /posts", "POST /posts requests")), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindPostRequests, fmt.Sprintf("at least %s", plural(atLeast, "POST /posts request", "POST /posts requests")), 0,
			func(ctx context.Context) (bool, string, error) {
				n := len(s.postRequests())
				return n >= atLeast, fmt.Sprintf("the backend received %d", n), nil
			})
	}}
}

// ExpectSnackbar waits until the snackbar has shown a text containing want.
func ExpectSnackbar(want string) Step {
	return Step{Name: fmt.Sprintf("expect the snackbar to say %q", want), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindSnackbar, fmt.Sprintf("the snackbar (#confirmation-toast) to show %q", want), 0,
			func(ctx context.Context) (bool, string, error) {
				texts, err := s.Snackbar(ctx)
				if err != nil {
					return false, "", err
				}
				if len(texts) == 0 {
					return false, "it showed nothing", nil
				}
				for _, t := range texts {
					if strings.Contains(strings.ToLower(t), strings.ToLower(want)) {
						return true, "", nil
					}
				}
				return false, "it showed " + quoteList(quoteAll(texts)), nil
			})
	}}
}

// ExpectAnySnackbar waits until the snackbar has shown any text.
func ExpectAnySnackbar() Step {
	return Step{Name: "expect a snackbar message", Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindSnackbar, "the snackbar (#confirmation-toast) to show a message", 0,
			func(ctx context.Context) (bool, string, error) {
				texts, err := s.Snackbar(ctx)
				if err != nil {
					return false, "", err
				}
				return len(texts) > 0, "it showed nothing", nil
			})
	}}
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprintf("%q", it)
	}
	return out
}

// ExpectCards waits until the feed shows exactly n cards.
func ExpectCards(n int) Step {
	return Step{Name: fmt.Sprintf("expect %s in the feed", plural(n, "card", "cards")), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindFeedCard, fmt.Sprintf("the feed to show %s", plural(n, "card", "cards")), 0, s.cardProbe(func(c []Card) bool { return len(c) == n }))
	}}
}

// ExpectCard waits until the feed shows a card with the title.
func ExpectCard(title string) Step {
	return Step{Name: fmt.Sprintf("expect a card %q in the feed", title), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindFeedCard, fmt.Sprintf("a card %q in the feed (without reloading)", title), 0, s.cardProbe(func(cards []Card) bool {
			for _, c := range cards {
				if c.Title == title {
					return true
				}
			}
			return false
		}))
	}}
}

func (s *Session) cardProbe(want func([]Card) bool) probe {
	return func(ctx context.Context) (bool, string, error) {
		cards, err := s.Cards(ctx)
		if err != nil {
			return false, "", err
		}
		var titles []string
		for _, c := range cards {
			titles = append(titles, fmt.Sprintf("%q", c.Title))
		}
		return want(cards), fmt.Sprintf("it shows %s (%s)", plural(len(cards), "card", "cards"), quoteList(titles)), nil
	}
}

// ExpectSyncTag waits until the registration has (or no longer has) tag
// pending.
func ExpectSyncTag(tag string, pending bool) Step {
	verb := "pending"
	if !pending {
		verb = "no longer pending"
	}
	return Step{Name: fmt.Sprintf("expect sync tag %q %s", tag, verb), Run: func(ctx context.Context, s *Session) error {
		start := time.Now()
		return s.waitFor(ctx, KindSyncTag, fmt.Sprintf("the sync tag %q to be %s", tag, verb), 0, func(ctx context.Context) (bool, string, error) {
			tags, err := s.SyncTags(ctx)
			if err != nil {
				return false, "", err
			}
			has := false
			for _, t := range tags {
				has = has || t == tag
			}
			if pending && !has && len(tags) > 0 && time.Since(start) > settle {
				return false, "", &doomedError{seen: "pending tags: " + quoteList(tags), why: "the app registered another tag"}
			}
			return has == pending, fmt.Sprintf("pending tags: %s", quoteList(tags)), nil
		})
	}}
}

// ExpectSyncRegistered waits until the browser reports a registered sync.
func ExpectSyncRegistered() Step {
	return expectSyncEvent("registered", "the browser to register a sync", 1)
}

// ExpectSyncDispatched waits until the browser dispatched n sync events.
func ExpectSyncDispatched(n int) Step {
	return expectSyncEvent("dispatched", fmt.Sprintf("the browser to dispatch %s", plural(n, "sync event", "sync events")), n)
}

// ExpectSyncFailed waits until the browser reports n failed sync events
// (each is retried later).
func ExpectSyncFailed(n int) Step {
	return expectSyncEvent("failed", fmt.Sprintf("the browser to report %s (a rejected waitUntil)", plural(n, "failed sync event", "failed sync events")), n)
}

func expectSyncEvent(word, expected string, n int) Step {
	return Step{Name: "expect " + strings.TrimPrefix(expected, "the "), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindSyncEvent, expected, 0, func(ctx context.Context) (bool, string, error) {
			count := 0
			var names []string
			for _, e := range s.SyncEvents() {
				names = append(names, e.Name)
				if e.Is(word) {
					count++
				}
			}
			return count >= n, fmt.Sprintf("sync events so far: %s", quoteList(names)), nil
		})
	}}
}

// ExpectStore waits until the database has the store.
func ExpectStore(db, store string) Step {
	return Step{Name: fmt.Sprintf("expect the IndexedDB store %s/%s", db, store), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindStoreMissing, fmt.Sprintf("IndexedDB %s to have the store %q", db, store), 0, func(ctx context.Context) (bool, string, error) {
			d, ok, err := s.Database(ctx, db)
			if err != nil {
				return false, "", err
			}
			if !ok {
				return false, fmt.Sprintf("there is no database %q", db), nil
			}
			var names []string
			for _, st := range d.Stores {
				names = append(names, st.Name)
			}
			return d.HasStore(store), fmt.Sprintf("%s version %d has the stores %s", db, d.Version, quoteList(names)), nil
		})
	}}
}

// ExpectStoreKey waits until db has the store and its keyPath is key (the
// chapter fixes keyPath "id" for sync-posts).
func ExpectStoreKey(db, store, key string) Step {
	return Step{Name: fmt.Sprintf("expect %s/%s with keyPath %q", db, store, key), Run: func(ctx context.Context, s *Session) error {
		missing := false
		start := time.Now()
		err := s.waitFor(ctx, KindStoreKeyPath, fmt.Sprintf("IndexedDB %s to have the store %q with keyPath %q", db, store, key), 0, func(ctx context.Context) (bool, string, error) {
			if missing && time.Since(start) > settle {
				return false, "", &doomedError{seen: fmt.Sprintf("%s has no store %q", db, store), why: "the store is not created after the app opened its database"}
			}
			missing = true
			d, ok, err := s.Database(ctx, db)
			if err != nil {
				return false, "", err
			}
			if !ok {
				return false, fmt.Sprintf("there is no database %q", db), nil
			}
			for _, st := range d.Stores {
				if st.Name == store {
					missing = false
					seen := fmt.Sprintf("the store %q has keyPath %q", store, st.KeyPath)
					if st.KeyPath != key && time.Since(start) > settle {
						// A store's keyPath is fixed when it is created; only
						// a new database version (a reload) could change it.
						return false, "", &doomedError{seen: seen, why: "a store keeps the keyPath it was created with"}
					}
					return st.KeyPath == key, seen, nil
				}
			}
			var names []string
			for _, st := range d.Stores {
				names = append(names, st.Name)
			}
			return false, fmt.Sprintf("%s version %d has no store %q, only %s", db, d.Version, store, quoteList(names)), nil
		})
		if ee := AsExpectation(err); ee != nil && missing {
			ee.Kind = KindStoreMissing
		}
		return err
	}}
}

// ExpectRecords waits until db/store holds n records.
func ExpectRecords(db, store string, n int) Step {
	return Step{Name: fmt.Sprintf("expect %s in %s", plural(n, "record", "records"), store), Run: func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, KindRecords, fmt.Sprintf("%s/%s to hold %s", db, store, plural(n, "record", "records")), 0, func(ctx context.Context) (bool, string, error) {
			recs, err := s.Records(ctx, db, store, false)
			if errors.Is(err, ErrNoStore) {
				return false, "the store does not exist", nil
			}
			if err != nil {
				return false, "", err
			}
			return len(recs) == n, "it holds " + plural(len(recs), "record", "records"), nil
		})
	}}
}

// ExpectNoErrors fails if a page or the service worker threw.
func ExpectNoErrors() Step {
	return Step{Name: "expect no uncaught errors", Run: func(ctx context.Context, s *Session) error {
		if errs := s.Errors(); len(errs) > 0 {
			return &ExpectationError{Kind: KindUncaughtError, Expected: "no uncaught errors", Seen: "saw " + strings.Join(errs, " | "), Instant: true}
		}
		return nil
	}}
}

// Check runs f as a step (for assertions that need values).
func Check(name string, f func(ctx context.Context, s *Session) error) Step {
	return Step{Name: name, Run: f}
}

// ExpectStoredOnce waits until the outbox is empty and the backend holds
// exactly one post titled title, and checks that it stays that way.
func ExpectStoredOnce(title string) Step {
	return Step{Name: fmt.Sprintf("expect %q stored exactly once and the outbox empty", title), Run: func(ctx context.Context, s *Session) error {
		expected := fmt.Sprintf("%q to be stored exactly once and the outbox to be empty", title)
		p := func(ctx context.Context) (bool, string, error) {
			list, err := s.BackendPosts(ctx)
			if err != nil {
				return false, "", err
			}
			n := 0
			for _, p := range list {
				if p.Title == title {
					n++
				}
			}
			recs, err := s.Outbox(ctx)
			if err != nil {
				return false, "", err
			}
			seen := fmt.Sprintf("the backend stored it %s after %s, the outbox holds %s",
				plural(n, "time", "times"), plural(len(s.postRequests()), "POST /posts", "POST /posts requests"), plural(len(recs), "record", "records"))
			return n == 1 && len(recs) == 0, seen, nil
		}
		if err := s.waitFor(ctx, KindStoredOnce, expected, 0, p); err != nil {
			return err
		}
		return s.holdsFor(ctx, KindStoredOnce, expected, 500*time.Millisecond, p)
	}}
}

// ExpectKeptOrStored checks until d after the app's last activity (the
// failed replay, say; see holdsAfterActivity) that the post titled title is
// never lost: it stays in the outbox until the backend stores it.
func ExpectKeptOrStored(title string, d time.Duration) Step {
	return Step{Name: fmt.Sprintf("expect %q to stay in the outbox until it is stored", title), Run: func(ctx context.Context, s *Session) error {
		expected := fmt.Sprintf("%q to stay in the outbox (IndexedDB posts-store/sync-posts) or be stored at the backend", title)
		return s.holdsAfterActivity(ctx, KindPostLost, expected, d, func(ctx context.Context) (bool, string, error) {
			recs, err := s.Outbox(ctx)
			if err != nil {
				return false, "", err
			}
			queued := 0
			for _, r := range recs {
				if r.String("title") == title {
					queued++
				}
			}
			list, err := s.BackendPosts(ctx)
			if err != nil {
				return false, "", err
			}
			stored := 0
			for _, p := range list {
				if p.Title == title {
					stored++
				}
			}
			seen := fmt.Sprintf("the outbox holds it %s and the backend %s after %s (answers: %s)",
				plural(queued, "time", "times"), plural(stored, "time", "times"),
				plural(len(s.postRequests()), "POST /posts", "POST /posts requests"), s.postStatuses())
			return queued+stored > 0, seen, nil
		})
	}}
}
