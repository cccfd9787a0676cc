package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/trace"
)

// probe looks once: whether the expectation holds, and what was seen.
type probe func(ctx context.Context) (ok bool, seen lang.Text, err error)

// waitFor polls p until it holds or the deadline passes, then fails with
// what was expected and what was seen, plus what the browser and the
// service worker reported meanwhile.
func (s *Session) waitFor(ctx context.Context, wantKind string, expected lang.Text, within time.Duration, p probe) error {
	if within <= 0 {
		within = s.cfg.Timeout
	}
	start := time.Now()
	deadline := start.Add(within)
	var seen lang.Text
	for {
		ok, now, err := p(ctx)
		if d, doomed := asDoomed(err); doomed {
			return &ExpectationError{Kind: wantKind, Expected: expected, Within: time.Since(start), Seen: doomedSeen(d.seen, d.why), Context: s.explain(start), Doomed: true}
		}
		if err != nil {
			return err
		}
		seen = now
		if ok {
			return nil
		}
		failKind, why := wantKind, s.doomed(wantKind, start)
		if why.EN == "" {
			failKind, why = failure.AppBroken, s.stuckWorker(ctx, wantKind)
		}
		if why.EN != "" {
			return &ExpectationError{Kind: failKind, Expected: expected, Within: time.Since(start), Seen: doomedSeen(seen, why), Context: s.explain(start), Doomed: true}
		}
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("expected %s; interrupted (%w); saw %s", expected.EN, ctx.Err(), seen.EN)
		case <-time.After(25 * time.Millisecond):
		}
	}
	return &ExpectationError{Kind: wantKind, Expected: expected, Within: within, Seen: seen, Context: s.explain(start), Deadline: true}
}

// holdsFor checks that p keeps holding for d (e.g. nothing is sent while
// offline).
func (s *Session) holdsFor(ctx context.Context, wantKind string, expected lang.Text, d time.Duration, p probe) error {
	return s.holdsUntil(ctx, wantKind, expected, time.Now().Add(d), d, p)
}

// holdsAfterActivity checks that p holds until d has passed since the app
// last had a reason to change what p looks at: the checks' last submit or
// network switch, or the last POST /posts the backend received. Time that
// passed in earlier steps counts, so a quiet app is not waited for twice.
func (s *Session) holdsAfterActivity(ctx context.Context, wantKind string, expected lang.Text, d time.Duration, p probe) error {
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
	return s.holdsUntil(ctx, wantKind, expected, until, d, p)
}

// holdsUntil checks p at once and then until until; within is what the
// error reports as the time p had to hold.
func (s *Session) holdsUntil(ctx context.Context, wantKind string, expected lang.Text, until time.Time, within time.Duration, p probe) error {
	start := time.Now()
	d := until.Sub(start)
	for {
		ok, seen, err := p(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return &ExpectationError{Kind: wantKind, Expected: expected, Within: within, Seen: seen, Context: s.explain(start), Broken: true}
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

// ExpectationError says what was expected and what was seen instead, in
// both languages (Error is the English).
type ExpectationError struct {
	// Kind names the failure with a stable word (see the Kind constants),
	// for hints and for the checks' data.
	Kind     string
	Expected lang.Text
	Within   time.Duration
	Seen     lang.Text
	// Context is what the browser and the app reported meanwhile.
	Context lang.Text
	// Broken is set when the expectation held at first and then stopped.
	Broken bool
	// Instant is set for a look without waiting (no "within").
	Instant bool
	// Doomed is set when the wait ended early, after Within, on an
	// observation that the expectation can no longer hold (said in Seen).
	Doomed bool
	// Unusable is set when a step could not use the app at all (a form
	// element missing): what later steps would look at was never made.
	Unusable bool
	// Deadline is set when the time ran out before the expectation held:
	// nothing was observed that decides it, so another run might differ.
	// Without it the failure rests on an observation (a rule that says the
	// expectation can no longer hold, a broken promise, a look).
	Deadline bool
}

func (e *ExpectationError) Error() string { return e.In(lang.English) }

// In says the failure in l ("de" or "en").
func (e *ExpectationError) In(l string) string {
	var msg lang.Text
	within := duration(e.Within.Round(100 * time.Millisecond))
	switch {
	case e.Instant:
		msg = lang.Say("expected %s; %s", "erwartet: %s; %s", e.Expected, e.Seen)
	case e.Broken:
		msg = lang.Say("expected %s for %v; %s", "erwartet für %[2]v: %[1]s; %[3]s", e.Expected, within, e.Seen)
	case e.Doomed:
		msg = lang.Say("expected %s; after %v, %s", "erwartet: %s; nach %v: %s", e.Expected, within, e.Seen)
	default:
		msg = lang.Say("expected %s within %v; %s", "erwartet innerhalb von %[2]v: %[1]s; %[3]s", e.Expected, within, e.Seen)
	}
	if e.Context.EN != "" {
		msg = lang.Say("%s; %s", "%s; %s", msg, e.Context)
	}
	return msg.In(l)
}

// explain summarises what the browser and the app reported: the last sync
// events of the session (those before the wait count too: the sync may
// have been dispatched by the step before), the worker's last log lines and
// uncaught errors.
func (s *Session) explain(since time.Time) lang.Text {
	var parts []lang.Text
	events := s.SyncEvents()
	if len(events) > 5 {
		events = events[len(events)-5:]
	}
	if len(events) == 0 {
		parts = append(parts, lang.Say("no sync event was dispatched", "es wurde kein sync-Ereignis ausgelöst"))
	} else {
		var names []lang.Text
		for _, e := range events {
			when := lang.Text{EN: "before", DE: "vorher"}
			if !e.Time.Before(since) {
				when = lang.Same(fmt.Sprintf("+%d ms", e.Time.Sub(since).Milliseconds()))
			}
			names = append(names, lang.Say("%s (%s)", "%s (%s)", e.String(), when))
		}
		parts = append(parts, lang.Say("last sync events: %s", "letzte sync-Ereignisse: %s", lang.Join(names, "; ")))
	}
	if logs := s.Timeline.Tail(trace.Worker, "console", 3); len(logs) > 0 {
		parts = append(parts, lang.Say("the service worker logged: %s", "der Service Worker schrieb: %s", strings.Join(logs, " | ")))
	}
	if errs := s.Errors(); len(errs) > 0 {
		parts = append(parts, lang.Say("uncaught errors: %s", "nicht abgefangene Fehler: %s", strings.Join(errs, " | ")))
	}
	return lang.Join(parts, "; ")
}

// plural says n things in English (for step names).
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// outboxName is how the expectations name the chapter's outbox.
func outboxName() lang.Text {
	return lang.Say("the outbox (IndexedDB %s/%s)", "die Outbox (IndexedDB %s/%s)", DBName, OutboxName)
}

func (s *Session) outboxProbe(want func(int) bool, missing *bool) probe {
	return func(ctx context.Context) (bool, lang.Text, error) {
		recs, err := s.Records(ctx, DBName, OutboxName, false)
		*missing = errors.Is(err, ErrNoStore)
		if *missing {
			return want(0), lang.Say("IndexedDB %[1]s has no object store %[2]q (the chapter's names: database %[1]q, store %[2]q)",
				"IndexedDB %[1]s hat keinen Object Store %[2]q (die Namen im Kapitel: Datenbank %[1]q, Store %[2]q)", DBName, OutboxName), nil
		}
		if err != nil {
			return false, lang.Text{}, err
		}
		var titles []string
		for _, r := range recs {
			titles = append(titles, fmt.Sprintf("%q", r.String("title")))
		}
		seen := lang.Say("it holds %s", "sie enthält %s", nRecords(len(recs)))
		if len(titles) > 0 {
			seen = lang.Say("%s (%s)", "%s (%s)", seen, strings.Join(titles, ", "))
		}
		return want(len(recs)), seen, nil
	}
}

// ExpectOutbox waits until sync-posts holds exactly n records.
func ExpectOutbox(n int) Step {
	return named(lang.Say("expect %s in the outbox", "%s in der Outbox erwarten", nRecords(n)), func(ctx context.Context, s *Session) error {
		missing := false
		start := time.Now()
		held := 0
		p := s.outboxProbe(func(got int) bool { held = got; return got == n }, &missing)
		err := s.waitFor(ctx, failure.OutboxCount, lang.Say("%s to hold %s", "%s enthält %s", outboxName(), nRecords(n)), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				ok, seen, err := p(ctx)
				// The store is made when the page opens the database: it
				// will not appear later.
				if !ok && err == nil && missing && time.Since(start) > settle {
					return false, lang.Text{}, &doomedError{seen: seen, why: storeNotCreated()}
				}
				if !ok && err == nil && !missing && held < n {
					if why := s.outboxStaysShort(start); why.EN != "" {
						return false, lang.Text{}, &doomedError{seen: seen, why: why}
					}
				}
				return ok, seen, err
			})
		s.snapshotOutbox(ctx, "outbox")
		if ee := AsExpectation(err); ee != nil && missing {
			ee.Kind = failure.StoreMissing
		}
		return err
	})
}

func storeNotCreated() lang.Text {
	return lang.Say("the store is not created after the app opened its database", "der Store entsteht nicht mehr, nachdem die App ihre Datenbank geöffnet hat")
}

func (s *Session) backendProbe(want func(int) bool) probe {
	return func(ctx context.Context) (bool, lang.Text, error) {
		list, err := s.BackendPosts(ctx)
		if err != nil {
			return false, lang.Text{}, err
		}
		var titles []string
		for _, p := range list {
			titles = append(titles, fmt.Sprintf("%q", p.Title))
		}
		seen := lang.Say("the backend has %s", "das Backend hat %s", nPosts(len(list)))
		if len(titles) > 0 {
			seen = lang.Say("%s (%s)", "%s (%s)", seen, strings.Join(titles, ", "))
		}
		seen = lang.Say("%s after %s", "%s nach %s", seen, nPostRequests(len(s.postRequests())))
		return want(len(list)), seen, nil
	}
}

// ExpectBackendPosts waits until the backend stores exactly n posts.
func ExpectBackendPosts(n int) Step {
	return ExpectBackendPostsWithin(n, 0)
}

// ExpectBackendPostsWithin is ExpectBackendPosts with its own deadline.
func ExpectBackendPostsWithin(n int, within time.Duration) Step {
	return named(lang.Say("expect %s at the backend", "%s im Backend erwarten", nPosts(n)), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.BackendPosts, lang.Say("the backend to store %s", "das Backend speichert %s", nPosts(n)), within,
			s.backendProbe(func(got int) bool { return got == n }))
	})
}

// ExpectBackendPostsStay checks that the backend keeps n posts until d
// after the app's last activity (see holdsAfterActivity).
func ExpectBackendPostsStay(n int, d time.Duration) Step {
	return named(lang.Say("expect the backend to keep %s", "erwarten, dass das Backend %s behält", nPosts(n)), func(ctx context.Context, s *Session) error {
		return s.holdsAfterActivity(ctx, failure.BackendPosts, lang.Say("the backend to keep %s", "das Backend behält %s", nPosts(n)), d,
			s.backendProbe(func(got int) bool { return got == n }))
	})
}

// ExpectPostRequests waits until the backend received at least n POST /posts.
func ExpectPostRequests(atLeast int) Step {
	return named(lang.Say("expect at least %s", "mindestens %s erwarten", nPostRequests(atLeast)), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.PostRequests, lang.Say("at least %s", "mindestens %s", count(atLeast, "POST /posts request", "POST /posts requests", "POST-Anfrage an /posts", "POST-Anfragen an /posts")), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				n := len(s.postRequests())
				return n >= atLeast, lang.Say("the backend received %d", "das Backend erhielt %d", n), nil
			})
	})
}

// snackbarName is how the expectations name the snackbar.
func snackbarName() lang.Text {
	return lang.Say("the snackbar (#confirmation-toast)", "die Snackbar (#confirmation-toast)")
}

// ExpectSnackbar waits until the snackbar has shown a text containing want.
func ExpectSnackbar(want string) Step {
	return named(lang.Say("expect the snackbar to say %q", "erwarten, dass die Snackbar %q zeigt", want), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.Snackbar, lang.Say("%s to show %q", "%s zeigt %q", snackbarName(), want), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				texts, err := s.Snackbar(ctx)
				if err != nil {
					return false, lang.Text{}, err
				}
				if len(texts) == 0 {
					return false, showedNothing(), nil
				}
				for _, t := range texts {
					if strings.Contains(strings.ToLower(t), strings.ToLower(want)) {
						return true, lang.Text{}, nil
					}
				}
				return false, lang.Say("it showed %s", "sie zeigte %s", listOrNone(quoteAll(texts))), nil
			})
	})
}

func showedNothing() lang.Text { return lang.Say("it showed nothing", "sie zeigte nichts") }

// ExpectAnySnackbar waits until the snackbar has shown any text since the
// last action (the submit it should confirm).
func ExpectAnySnackbar() Step {
	return named(lang.Say("expect a snackbar message", "eine Meldung der Snackbar erwarten"), func(ctx context.Context, s *Session) error {
		// Only a message since the last action (the submit) confirms it:
		// a greeting shown when the page loaded does not.
		s.mu.Lock()
		since := s.acted
		s.mu.Unlock()
		return s.waitFor(ctx, failure.Snackbar, lang.Say("%s to show a message", "%s zeigt eine Meldung", snackbarName()), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				if texts := s.snackbarSince(since); len(texts) > 0 {
					return true, lang.Say("it showed %s", "sie zeigte %s", strings.Join(quoteAll(texts), ", ")), nil
				}
				if earlier := s.snackbarSince(time.Time{}); len(earlier) > 0 {
					return false, lang.Say("it showed nothing after the submit, only before it: %s", "sie zeigte nach dem Absenden nichts, nur davor: %s", strings.Join(quoteAll(earlier), ", ")), nil
				}
				return false, showedNothing(), nil
			})
	})
}

// snackbarSince returns the texts the snackbar has shown at or after t,
// oldest first.
func (s *Session) snackbarSince(t time.Time) []string {
	var out []string
	for _, e := range s.Timeline.Events() {
		if e.Lane == trace.Page && e.Kind == "snackbar" && !e.Time.Before(t) {
			out = append(out, e.Text)
		}
	}
	return out
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
	return named(lang.Say("expect %s in the feed", "%s im Feed erwarten", nCards(n)), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.FeedCard, lang.Say("the feed to show %s", "der Feed zeigt %s", nCards(n)), 0, s.cardProbe(func(c []Card) bool { return len(c) == n }))
	})
}

// ExpectCard waits until the feed shows a card with the title.
func ExpectCard(title string) Step {
	return named(lang.Say("expect a card %q in the feed", "eine Karte %q im Feed erwarten", title), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.FeedCard, lang.Say("a card %q in the feed (without reloading)", "eine Karte %q im Feed (ohne Neuladen)", title), 0, s.cardProbe(func(cards []Card) bool {
			for _, c := range cards {
				if c.Title == title {
					return true
				}
			}
			return false
		}))
	})
}

func (s *Session) cardProbe(want func([]Card) bool) probe {
	return func(ctx context.Context) (bool, lang.Text, error) {
		cards, err := s.Cards(ctx)
		if err != nil {
			return false, lang.Text{}, err
		}
		var titles []string
		for _, c := range cards {
			titles = append(titles, fmt.Sprintf("%q", c.Title))
		}
		return want(cards), lang.Say("it shows %s (%s)", "er zeigt %s (%s)", nCards(len(cards)), listOrNone(titles)), nil
	}
}

// ExpectSyncTag waits until the registration has (or no longer has) tag
// pending.
func ExpectSyncTag(tag string, pending bool) Step {
	title := lang.Say("expect sync tag %q pending", "erwarten, dass der Sync-Tag %q wartet", tag)
	expected := lang.Say("the sync tag %q to be pending", "der Sync-Tag %q wartet", tag)
	if !pending {
		title = lang.Say("expect sync tag %q no longer pending", "erwarten, dass der Sync-Tag %q nicht mehr wartet", tag)
		expected = lang.Say("the sync tag %q to be no longer pending", "der Sync-Tag %q wartet nicht mehr", tag)
	}
	return named(title, func(ctx context.Context, s *Session) error {
		start := time.Now()
		return s.waitFor(ctx, failure.SyncTag, expected, 0, func(ctx context.Context) (bool, lang.Text, error) {
			tags, err := s.SyncTags(ctx)
			if err != nil {
				return false, lang.Text{}, err
			}
			has := false
			for _, t := range tags {
				has = has || t == tag
			}
			seen := lang.Say("pending tags: %s", "wartende Tags: %s", listOrNone(tags))
			if pending && !has && len(tags) > 0 && time.Since(start) > settle {
				return false, lang.Text{}, &doomedError{seen: seen, why: lang.Say("the app registered another tag", "die App hat einen anderen Tag registriert")}
			}
			return has == pending, seen, nil
		})
	})
}

// ExpectSyncRegistered waits until the browser reports a registered sync.
func ExpectSyncRegistered() Step {
	return expectSyncEvent("registered", lang.Say("expect browser to register a sync", "erwarten, dass der Browser einen Sync registriert"),
		lang.Say("the browser to register a sync", "der Browser registriert einen Sync"), 1)
}

// ExpectSyncDispatched waits until the browser dispatched n sync events.
func ExpectSyncDispatched(n int) Step {
	events := count(n, "sync event", "sync events", "sync-Ereignis", "sync-Ereignisse")
	return expectSyncEvent("dispatched", lang.Say("expect browser to dispatch %s", "erwarten, dass der Browser %s auslöst", events),
		lang.Say("the browser to dispatch %s", "der Browser löst %s aus", events), n)
}

func expectSyncEvent(word string, title, expected lang.Text, n int) Step {
	return named(title, func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.SyncEvent, expected, 0, func(ctx context.Context) (bool, lang.Text, error) {
			count := 0
			var names []string
			for _, e := range s.SyncEvents() {
				names = append(names, e.Name)
				if e.Is(word) {
					count++
				}
			}
			return count >= n, lang.Say("sync events so far: %s", "sync-Ereignisse bisher: %s", listOrNone(names)), nil
		})
	})
}

// ExpectStore waits until the database has the store.
func ExpectStore(db, store string) Step {
	return named(lang.Say("expect the IndexedDB store %s/%s", "den IndexedDB-Store %s/%s erwarten", db, store), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.StoreMissing, lang.Say("IndexedDB %s to have the store %q", "IndexedDB %s hat den Store %q", db, store), 0, func(ctx context.Context) (bool, lang.Text, error) {
			d, ok, err := s.Database(ctx, db)
			if err != nil {
				return false, lang.Text{}, err
			}
			if !ok {
				return false, noDatabase(db), nil
			}
			var names []string
			for _, st := range d.Stores {
				names = append(names, st.Name)
			}
			if len(names) == 0 {
				return false, lang.Say("%s version %d has no stores", "%s Version %d hat keine Stores", db, d.Version), nil
			}
			return d.HasStore(store), lang.Say("%s version %d has the stores %s", "%s Version %d hat die Stores %s", db, d.Version, strings.Join(names, ", ")), nil
		})
	})
}

func noDatabase(db string) lang.Text {
	return lang.Say("there is no database %q", "es gibt keine Datenbank %q", db)
}

// ExpectStoreKey waits until db has the store and its keyPath is key (the
// chapter fixes keyPath "id" for sync-posts).
func ExpectStoreKey(db, store, key string) Step {
	return named(lang.Say("expect %s/%s with keyPath %q", "%s/%s mit keyPath %q erwarten", db, store, key), func(ctx context.Context, s *Session) error {
		missing := false
		start := time.Now()
		err := s.waitFor(ctx, failure.StoreKeyPath, lang.Say("IndexedDB %s to have the store %q with keyPath %q", "IndexedDB %s hat den Store %q mit keyPath %q", db, store, key), 0, func(ctx context.Context) (bool, lang.Text, error) {
			if missing && time.Since(start) > settle {
				return false, lang.Text{}, &doomedError{seen: lang.Say("%s has no store %q", "%s hat keinen Store %q", db, store), why: storeNotCreated()}
			}
			missing = true
			d, ok, err := s.Database(ctx, db)
			if err != nil {
				return false, lang.Text{}, err
			}
			if !ok {
				return false, noDatabase(db), nil
			}
			for _, st := range d.Stores {
				if st.Name == store {
					missing = false
					seen := lang.Say("the store %q has keyPath %q", "der Store %q hat keyPath %q", store, st.KeyPath)
					if st.KeyPath != key && time.Since(start) > settle {
						// A store's keyPath is fixed when it is created; only
						// a new database version (a reload) could change it.
						return false, lang.Text{}, &doomedError{seen: seen, why: lang.Say("a store keeps the keyPath it was created with", "ein Store behält den keyPath, mit dem er angelegt wurde")}
					}
					return st.KeyPath == key, seen, nil
				}
			}
			var names []string
			for _, st := range d.Stores {
				names = append(names, st.Name)
			}
			if len(names) == 0 {
				return false, lang.Say("%s version %d has no stores", "%s Version %d hat keine Stores", db, d.Version), nil
			}
			return false, lang.Say("%s version %d has no store %q, only %s", "%s Version %d hat keinen Store %q, nur %s", db, d.Version, store, strings.Join(names, ", ")), nil
		})
		if ee := AsExpectation(err); ee != nil && missing {
			ee.Kind = failure.StoreMissing
		}
		return err
	})
}

// ExpectRecords waits until db/store holds n records.
func ExpectRecords(db, store string, n int) Step {
	return named(lang.Say("expect %s in %s", "%s in %s erwarten", nRecords(n), store), func(ctx context.Context, s *Session) error {
		return s.waitFor(ctx, failure.Records, lang.Say("%s/%s to hold %s", "%s/%s enthält %s", db, store, nRecords(n)), 0, func(ctx context.Context) (bool, lang.Text, error) {
			recs, err := s.Records(ctx, db, store, false)
			if errors.Is(err, ErrNoStore) {
				return false, lang.Say("the store does not exist", "den Store gibt es nicht"), nil
			}
			if err != nil {
				return false, lang.Text{}, err
			}
			return len(recs) == n, lang.Say("it holds %s", "er enthält %s", nRecords(len(recs))), nil
		})
	})
}

// ExpectNoErrors fails if a page or the service worker threw (since the
// start, or since the last CountErrorsFromHere).
func ExpectNoErrors() Step {
	return named(lang.Say("expect no uncaught errors", "keine nicht abgefangenen Fehler erwarten"), func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		from := s.errorsFrom
		s.mu.Unlock()
		if errs, _ := s.sortErrors(from); len(errs) > 0 {
			return &ExpectationError{Kind: failure.UncaughtError, Expected: lang.Say("no uncaught errors", "keine nicht abgefangenen Fehler"),
				Seen: lang.Say("saw %s", "%s", strings.Join(errs, " | ")), Instant: true}
		}
		return nil
	})
}

// CountErrorsFromHere makes the next ExpectNoErrors count only the errors
// thrown from now on: a part that follows others in one session answers
// for its own errors, not for theirs. It first lets the app settle (see
// quietFor): an error the app throws a moment after what an earlier part
// did (a fetch that fails offline) is that part's.
func CountErrorsFromHere() Step {
	return named(lang.Say("let the app settle, then count uncaught errors from here on", "die App zur Ruhe kommen lassen, dann nicht abgefangene Fehler ab hier zählen"), func(ctx context.Context, s *Session) error {
		// Settled or not after 2 s, the line is drawn: an app that throws
		// all the time answers for it.
		if _, err := pollUntil(ctx, 2*time.Second, 20*time.Millisecond, func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			last := s.acted
			if n := len(s.errors); n > 0 && s.errors[n-1].Time.After(last) {
				last = s.errors[n-1].Time
			}
			return time.Since(last) >= quietFor
		}); err != nil {
			return err
		}
		s.mu.Lock()
		s.errorsFrom = time.Now()
		s.mu.Unlock()
		return nil
	})
}

// quietFor is how long the app has thrown nothing and the checks have
// done nothing to it before CountErrorsFromHere draws its line.
const quietFor = 300 * time.Millisecond

// Check runs f as a step (for assertions that need values).
func Check(name string, f func(ctx context.Context, s *Session) error) Step {
	return Step{Name: name, Run: f}
}

// ExpectStoredOnce waits until the outbox is empty and the backend holds
// exactly one post titled title, and checks that it stays that way. It
// ends early when that can no longer be: the post is stored twice, or it
// is still queued and nothing will send it any more (see syncSettled).
func ExpectStoredOnce(title string) Step {
	return named(lang.Say("expect %q stored exactly once and the outbox empty", "erwarten, dass %q genau einmal gespeichert und die Outbox leer ist", title), func(ctx context.Context, s *Session) error {
		expected := lang.Say("%q to be stored exactly once and the outbox to be empty", "%q ist genau einmal gespeichert und die Outbox leer", title)
		start := time.Now()
		p := func(ctx context.Context) (bool, lang.Text, error) {
			list, err := s.BackendPosts(ctx)
			if err != nil {
				return false, lang.Text{}, err
			}
			n := 0
			for _, p := range list {
				if p.Title == title {
					n++
				}
			}
			recs, err := s.Outbox(ctx)
			if err != nil {
				return false, lang.Text{}, err
			}
			seen := lang.Say("the backend stored it %s after %s, the outbox holds %s", "das Backend speicherte ihn %s nach %s, die Outbox enthält %s",
				nTimes(n), nPostRequests(len(s.postRequests())), nRecords(len(recs)))
			switch {
			case n == 1 && len(recs) == 0:
				return true, seen, nil
			case n > 1:
				return false, seen, &doomedError{seen: seen, why: lang.Say("a post stored twice stays stored twice", "ein doppelt gespeicherter Beitrag bleibt doppelt")}
			case len(recs) > 0:
				if why := s.syncSettled(start); why.EN != "" {
					return false, seen, &doomedError{seen: seen, why: why}
				}
			}
			return false, seen, nil
		}
		if err := s.waitFor(ctx, failure.StoredOnce, expected, 0, p); err != nil {
			return err
		}
		return s.holdsFor(ctx, failure.StoredOnce, expected, 500*time.Millisecond, p)
	})
}

// ExpectKeptOrStored checks until d after the app's last activity (the
// failed replay, say; see holdsAfterActivity) that the post titled title is
// never lost: it stays in the outbox until the backend stores it.
func ExpectKeptOrStored(title string, d time.Duration) Step {
	return named(lang.Say("expect %q to stay in the outbox until it is stored", "erwarten, dass %q in der Outbox bleibt, bis er gespeichert ist", title), func(ctx context.Context, s *Session) error {
		expected := lang.Say("%q to stay in the outbox (IndexedDB %s/%s) or be stored at the backend", "%q bleibt in der Outbox (IndexedDB %s/%s) oder ist im Backend gespeichert", title, DBName, OutboxName)
		return s.holdsAfterActivity(ctx, failure.PostLost, expected, d, func(ctx context.Context) (bool, lang.Text, error) {
			recs, err := s.Outbox(ctx)
			if err != nil {
				return false, lang.Text{}, err
			}
			queued := 0
			for _, r := range recs {
				if r.String("title") == title {
					queued++
				}
			}
			list, err := s.BackendPosts(ctx)
			if err != nil {
				return false, lang.Text{}, err
			}
			stored := 0
			for _, p := range list {
				if p.Title == title {
					stored++
				}
			}
			seen := lang.Say("the outbox holds it %s and the backend %s after %s (answers: %s)", "die Outbox enthält ihn %s und das Backend %s nach %s (Antworten: %s)",
				nTimes(queued), nTimes(stored), nPostRequests(len(s.postRequests())), s.postStatuses())
			return queued+stored > 0, seen, nil
		})
	})
}
