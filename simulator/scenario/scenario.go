// Package scenario names the simulator's scenarios: short lists of session
// steps, each with its purpose and the checkpoint that first passes it.
package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"synclab/failure"
	"synclab/frontend"
	"synclab/simulator/session"
)

// Scenario is a named list of steps.
type Scenario struct {
	Name    string
	Purpose frontend.Text
	// Since is the first checkpoint that passes.
	Since string
	// AlsoPasses lists earlier checkpoints that pass for another reason
	// (e.g. they still send posts directly), with the reason.
	AlsoPasses []string
	AlsoWhy    string
	// FailsKind is the kind of failure (synclab/failure) expected on the
	// checkpoint before Since.
	FailsKind string
	// Steps are run in order.
	Steps []session.Step
	// Parts, if set, replace Steps: one journey through the app whose
	// stretches each have a verdict of their own (see Part).
	Parts []Part
}

// Part is a stretch of a scenario with a verdict of its own, so that
// several checks can observe one journey (queue → snackbar → replay) in one
// session. A part stops at its first failed step; the next part runs unless
// it needs a part that failed.
type Part struct {
	Name    string
	Purpose frontend.Text
	// Since is the first checkpoint that passes the part; FailsKind the
	// failure expected on the checkpoint before.
	Since     string
	FailsKind string
	// AlsoPasses lists earlier checkpoints that pass the part for another
	// reason (before step 03 the form still sends posts directly).
	AlsoPasses []string
	// Needs lists earlier parts that must pass for this one to make sense.
	Needs []string
	// After lists earlier parts whose steps must have run first, whatever
	// their verdict (e.g. the submit before looking into the outbox).
	After []string
	Steps []session.Step
}

// ShouldPass reports whether a checkpoint is expected to pass the part.
func (p Part) ShouldPass(step string) bool {
	return step >= p.Since || slices.Contains(p.AlsoPasses, step)
}

// Find returns the named part of the scenario.
func (sc Scenario) Part(name string) (Part, bool) {
	for _, p := range sc.parts() {
		if p.Name == name {
			return p, true
		}
	}
	return Part{}, false
}

// ShouldPass reports whether a checkpoint is expected to pass.
func (sc Scenario) ShouldPass(step string) bool {
	return step >= sc.Since || slices.Contains(sc.AlsoPasses, step)
}

// post is a post a scenario submits.
func post(title string) session.Post { return session.Post{Title: title, Location: "HTW Berlin"} }

// All returns every scenario, in the chapter's order.
func All() []Scenario {
	return []Scenario{
		offlineJourney(),
		onlineJourney(),
		{
			Name:       "online-post",
			Purpose:    frontend.Text{DE: "Ein online erstellter Beitrag erreicht das Backend und erscheint im Feed.", EN: "A post made while online reaches the backend and shows up in the feed."},
			Since:      "07",
			AlsoPasses: []string{"00", "01", "02"},
			AlsoWhy:    "before step 03 the form still sends posts directly",
			FailsKind:  failure.BackendPosts,
			Steps: []session.Step{
				session.OpenApp(),
				session.CreatePost(post("Mensa am Mittag")),
				session.ExpectBackendPosts(1),
				session.Reload(),
				session.ExpectCard("Mensa am Mittag"),
				session.ExpectNoErrors(),
			},
		},
		{
			Name:      "register-sync",
			Purpose:   frontend.Text{DE: "Beim Speichern wird die Sync-Task sync-new-post registriert.", EN: "Saving a post registers the sync task sync-new-post."},
			Since:     "01",
			FailsKind: failure.SyncTag,
			Steps: []session.Step{
				session.OpenApp(),
				session.WorkerOffline(true), // keeps the tag pending
				session.CreatePost(post("Bibliothek")),
				session.ExpectSyncTag(session.SyncTag, true),
			},
		},
		{
			Name:      "outbox-store",
			Purpose:   frontend.Text{DE: "Die IndexedDB posts-store hat den Object Store sync-posts.", EN: "IndexedDB posts-store has the object store sync-posts."},
			Since:     "02",
			FailsKind: failure.StoreMissing,
			Steps: []session.Step{
				session.OpenApp(),
				session.ExpectStore(session.DBName, session.OutboxName),
			},
		},
		{
			Name:      "offline-queue",
			Purpose:   frontend.Text{DE: "Ein offline erstellter Beitrag wartet mit Titel, Ort und Foto in sync-posts.", EN: "A post made offline waits in sync-posts with its title, location and photo."},
			Since:     "03",
			FailsKind: failure.OutboxCount,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Hörsaal offline")),
				session.ExpectOutbox(1),
				session.ExpectQueuedPost("Hörsaal offline", "HTW Berlin"),
				session.ExpectBackendPostsStay(0, 300*time.Millisecond),
			},
		},
		{
			Name:      "snackbar",
			Purpose:   frontend.Text{DE: "Nach dem Speichern bestätigt die Snackbar, dass der Beitrag zum Synchronisieren bereitliegt.", EN: "After saving, the snackbar confirms that the post is kept for syncing."},
			Since:     "04",
			FailsKind: failure.Snackbar,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Snackbar")),
				session.ExpectAnySnackbar(),
			},
		},
		{
			Name:       "fallback-without-syncmanager",
			Purpose:    frontend.Text{DE: "Ohne SyncManager wird der Beitrag sofort an das Backend gesendet.", EN: "Without SyncManager the post is sent to the backend at once."},
			Since:      "05",
			AlsoPasses: []string{"00", "01", "02"},
			AlsoWhy:    "before step 03 the form always sends posts directly",
			FailsKind:  failure.BackendPosts,
			Steps: []session.Step{
				session.RemoveSyncManager(),
				session.OpenApp(),
				session.CreatePost(post("Ohne SyncManager")),
				session.ExpectBackendPosts(1),
			},
		},
		{
			Name:      "sync-reads-outbox",
			Purpose:   frontend.Text{DE: "Sobald das Netz wieder da ist, liest der sync-Handler des Service Workers sync-posts.", EN: "When the network is back, the service worker's sync handler reads sync-posts."},
			Since:     "06",
			FailsKind: failure.WorkerAccess,
			Steps: []session.Step{
				session.OpenApp(),
				session.WatchWorkerStorage(),
				session.GoOffline(),
				session.CreatePost(post("Lesen")),
				session.ExpectSyncTag(session.SyncTag, true),
				session.GoOnline(),
				session.ExpectWorkerAccess("read", session.OutboxName),
			},
		},
		{
			Name:      "offline-replay",
			Purpose:   frontend.Text{DE: "Ein offline erstellter Beitrag wird gesendet, sobald das Netz zurück ist, und verlässt den Outbox-Store.", EN: "A post made offline is sent when the network is back and leaves the outbox."},
			Since:     "07",
			FailsKind: failure.BackendPosts,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Zurück online")),
				session.ExpectOutbox(1),
				session.RememberQueued(),
				session.ExpectBackendPostsStay(0, 200*time.Millisecond),
				session.GoOnline(),
				session.ExpectBackendPosts(1),
				session.ExpectReplayedAsEntered(),
				session.ExpectOutbox(0),
				session.ExpectNoErrors(),
			},
		},
		{
			Name:      "several-posts",
			Purpose:   frontend.Text{DE: "Drei offline gespeicherte Beiträge werden alle gesendet, jeder genau einmal.", EN: "Three posts queued offline are all replayed, each exactly once."},
			Since:     "07",
			FailsKind: failure.BackendPosts,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Erster")),
				session.CreatePost(post("Zweiter")),
				session.CreatePost(post("Dritter")),
				session.ExpectOutbox(3),
				session.GoOnline(),
				session.ExpectBackendPosts(3),
				session.ExpectOutbox(0),
				session.ExpectBackendPostsStay(3, 500*time.Millisecond),
			},
		},
		{
			Name:      "replay-app-closed",
			Purpose:   frontend.Text{DE: "Das Senden klappt auch, wenn alle Tabs der App geschlossen sind.", EN: "The replay happens even when every tab of the app is closed."},
			Since:     "07",
			FailsKind: failure.BackendPosts,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Tab zu")),
				session.ExpectOutbox(1),
				session.CloseAppTabs(),
				session.WorkerOffline(false),
				session.ExpectBackendPosts(1),
				session.ExpectOutbox(0),
			},
		},
		{
			Name:      "replay-failure-keeps-post",
			Purpose:   frontend.Text{DE: "Antwortet das Backend beim Senden mit 503, bleibt der Beitrag in sync-posts – nichts geht verloren.", EN: "When the backend answers the replay with 503, the post stays in sync-posts: nothing is lost."},
			Since:     "07",
			FailsKind: failure.PostRequests,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Backend streikt")),
				session.ExpectOutbox(1),
				session.FailNext(1, 503),
				session.GoOnline(),
				session.ExpectPostRequests(1),
				session.ExpectKeptOrStored("Backend streikt", time.Second),
			},
		},
		{
			Name:      "server-error-retry",
			Purpose:   frontend.Text{DE: "Ein 503 behält den Beitrag; der Browser wiederholt die Synchronisation, bis er gespeichert ist – nichts geht verloren.", EN: "A 503 keeps the post; the browser retries the sync until the post is stored, nothing lost."},
			Since:     "08",
			FailsKind: failure.BackendPosts,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Server down")),
				session.ExpectOutbox(1),
				session.FailNext(1, 503),
				session.GoOnline(),
				session.ExpectPostRequests(1),
				session.ExpectBackendPostsWithin(1, 10*time.Second),
				session.ExpectOutbox(0),
			},
		},
		{
			Name:      "lost-response",
			Purpose:   frontend.Text{DE: "Das Backend speichert den Beitrag, aber die Antwort geht verloren; die Wiederholung speichert ihn nicht doppelt.", EN: "The backend stores the post but the answer is lost; the retry does not store it twice."},
			Since:     "08",
			FailsKind: failure.StoredOnce,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Antwort verloren")),
				session.ExpectOutbox(1),
				session.DropNext(1),
				session.GoOnline(),
				session.ExpectPostRequests(2),
				session.ExpectStoredOnce("Antwort verloren"),
			},
		},
		{
			Name:      "dead-letter",
			Purpose:   frontend.Text{DE: "Ein dauerhafter Client-Fehler (4xx) verschiebt den Beitrag nach dead-letters, statt endlos zu wiederholen.", EN: "A permanent client error (4xx) moves the post to dead-letters instead of retrying forever."},
			Since:     "08",
			FailsKind: failure.Records,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Abgelehnt")),
				session.ExpectOutbox(1),
				session.FailNext(1, 422),
				session.GoOnline(),
				session.ExpectRecords(session.DBName, "dead-letters", 1),
				session.ExpectOutbox(0),
				session.ExpectBackendPostsStay(0, 300*time.Millisecond),
			},
		},
		{
			Name:      "upgrade-from-00",
			Purpose:   frontend.Text{DE: "Ein Browser mit posts-store v1 aus Checkpoint 00 bekommt sync-posts, und Offline-Beiträge werden gespeichert.", EN: "A browser that kept posts-store v1 from checkpoint 00 gets sync-posts, and offline posts are queued."},
			Since:     "08",
			FailsKind: failure.StoreMissing,
			Steps: []session.Step{
				session.SeedCheckpoint00Database(),
				session.OpenApp(),
				session.ExpectStore(session.DBName, session.OutboxName),
				session.GoOffline(),
				session.CreatePost(post("Nach dem Upgrade")),
				session.ExpectOutbox(1),
			},
		},
		{
			Name:      "page-updates",
			Purpose:   frontend.Text{DE: "Nach dem Senden zeigt die offene Seite die neue Karte ohne Neuladen.", EN: "After a replay the open page shows the new card without a reload."},
			Since:     "08",
			FailsKind: failure.FeedCard,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Live")),
				session.ExpectOutbox(1),
				session.GoOnline(),
				session.ExpectBackendPosts(1),
				session.ExpectCard("Live"),
			},
		},
		{
			Name:      "last-chance-notice",
			Purpose:   frontend.Text{DE: "Scheitert der letzte Versuch, sagt die Seite, dass der Beitrag gespeichert bleibt.", EN: "When the last retry fails, the page tells the user that the post is kept."},
			Since:     "08",
			FailsKind: failure.Snackbar,
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Letzte Chance")),
				session.ExpectOutbox(1),
				session.FailNext(100, 503),
				session.GoOnline(),
				session.ExpectPostRequests(1),
				session.DispatchSync(session.SyncTag, true),
				session.ExpectSnackbar("gespeichert und werden später gesendet"),
				session.ExpectOutbox(1),
			},
		},
	}
}

// Find returns the scenario with the given name.
func Find(name string) (Scenario, error) {
	var names []string
	for _, sc := range All() {
		if sc.Name == name {
			return sc, nil
		}
		names = append(names, sc.Name)
	}
	return Scenario{}, fmt.Errorf("no scenario %q; choose one of: %s", name, strings.Join(names, ", "))
}

// offlineJourney is the chapter's main journey in one session, a part for
// each thing it teaches: the app starts, the outbox store exists with the
// chapter's key, a post made offline is queued and its sync task
// registered, the snackbar confirms, and once online the worker reads the
// outbox and replays the post exactly as entered.
func offlineJourney() Scenario {
	const title, location = "Unterwegs offline", "HTW Berlin"
	return Scenario{
		Name:      "offline-journey",
		Purpose:   frontend.Text{DE: "Der ganze Weg eines offline erstellten Beitrags, jeder Abschnitt mit eigenem Urteil.", EN: "The whole journey of a post made offline, each stretch with its own verdict."},
		Since:     "07",
		FailsKind: failure.BackendPosts,
		Parts: []Part{
			{
				Name:    "app-starts",
				Purpose: frontend.Text{DE: "Die App lädt und ihr Service Worker wird aktiv.", EN: "The app loads and its service worker activates."},
				Since:   "00",
				Steps:   []session.Step{session.OpenApp()},
			},
			{
				Name:      "outbox-store",
				Purpose:   frontend.Text{DE: "posts-store hat den Store sync-posts mit keyPath id.", EN: "posts-store has the store sync-posts with keyPath id."},
				Since:     "02",
				FailsKind: failure.StoreMissing,
				Needs:     []string{"app-starts"},
				Steps:     []session.Step{session.ExpectStoreKey(session.DBName, session.OutboxName, "id")},
			},
			{
				Name:      "register-sync",
				Purpose:   frontend.Text{DE: "Das Absenden (offline) registriert die Sync-Task sync-new-post.", EN: "Submitting (offline) registers the sync task sync-new-post."},
				Since:     "01",
				FailsKind: failure.SyncTag,
				Needs:     []string{"app-starts"},
				Steps: []session.Step{
					session.WatchWorkerStorage(),
					session.GoOffline(),
					session.CreatePost(picked(title, 7)),
					session.ExpectSyncTag(session.SyncTag, true),
				},
			},
			{
				Name:      "offline-queue",
				Purpose:   frontend.Text{DE: "Offline landet der Beitrag mit Titel, Ort und Foto in sync-posts, und nichts erreicht das Backend.", EN: "Offline, the post lands in sync-posts with title, location and photo, and nothing reaches the backend."},
				Since:     "03",
				FailsKind: failure.OutboxCount,
				Needs:     []string{"outbox-store"},
				After:     []string{"register-sync"},
				Steps: []session.Step{
					session.ExpectOutbox(1),
					session.ExpectQueuedPost(title, location),
					session.RememberQueued(),
					session.ExpectBackendPostsStay(0, 300*time.Millisecond),
				},
			},
			{
				Name:      "snackbar",
				Purpose:   frontend.Text{DE: "Die Snackbar bestätigt das Speichern.", EN: "The snackbar confirms the save."},
				Since:     "04",
				FailsKind: failure.Snackbar,
				Needs:     []string{"offline-queue"},
				Steps:     []session.Step{session.ExpectAnySnackbar()},
			},
			{
				Name:      "sync-reads-outbox",
				Purpose:   frontend.Text{DE: "Wieder online liest der sync-Handler des Service Workers sync-posts.", EN: "Back online, the service worker's sync handler reads sync-posts."},
				Since:     "06",
				FailsKind: failure.WorkerAccess,
				Needs:     []string{"offline-queue", "register-sync"},
				Steps:     []session.Step{session.GoOnline(), session.ExpectWorkerAccess("read", session.OutboxName)},
			},
			{
				Name:      "replay",
				Purpose:   frontend.Text{DE: "Der Beitrag kommt genau wie eingegeben beim Backend an (Foto Byte für Byte) und verlässt die Outbox.", EN: "The post reaches the backend exactly as entered (the photo byte for byte) and leaves the outbox."},
				Since:     "07",
				FailsKind: failure.BackendPosts,
				Needs:     []string{"sync-reads-outbox"},
				Steps: []session.Step{
					session.ExpectBackendTitles(title),
					session.ExpectReplayedAsEntered(),
					session.ExpectNotQueued(title),
					session.ExpectNoErrors(),
				},
			},
			{
				Name:      "several-posts",
				Purpose:   frontend.Text{DE: "Zwei weitere offline gespeicherte Beiträge kommen beide an, jeder genau einmal.", EN: "Two more posts queued offline both arrive, each exactly once."},
				Since:     "07",
				FailsKind: failure.BackendPosts,
				Needs:     []string{"app-starts"},
				Steps: []session.Step{
					session.GoOffline(),
					session.CreatePost(picked("Erster", 1)),
					session.CreatePost(picked("Zweiter", 2)),
					session.ExpectQueuedTitles("Erster", "Zweiter"),
					session.GoOnline(),
					session.ExpectBackendTitles("Erster", "Zweiter"),
					session.ExpectNotQueued("Erster", "Zweiter"),
					session.ExpectEachStoredOnce(300*time.Millisecond, "Erster", "Zweiter"),
				},
			},
			{
				Name:      "replay-app-closed",
				Purpose:   frontend.Text{DE: "Das Senden klappt auch, wenn alle Tabs der App geschlossen sind.", EN: "The replay happens even when every tab of the app is closed."},
				Since:     "07",
				FailsKind: failure.BackendPosts,
				Needs:     []string{"app-starts"},
				Steps: []session.Step{
					session.GoOffline(),
					session.CreatePost(picked("Tab zu", 3)),
					session.ExpectQueuedTitles("Tab zu"),
					session.CloseAppTabs(),
					session.WorkerOffline(false),
					session.ExpectBackendTitles("Tab zu"),
					session.ExpectNotQueued("Tab zu"),
				},
			},
		},
	}
}

// picked is a post whose photo is chosen with the file picker. The journeys
// (what the checks run) use it for every post: it is quicker than waiting
// for the camera's picture, and the checks' verdicts never depend on the
// camera (a camera without a picture falls back to the picker anyway). The
// standalone scenarios still take their first photo with the camera.
func picked(title string, seed int) session.Post {
	return session.Post{Title: title, Location: "HTW Berlin", Photo: session.SamplePhoto(seed), PhotoName: "foto.jpg"}
}

// onlineJourney is the chapter's other journey in one session: a post made
// online, a replay the backend refuses with 503, and the fallback without
// SyncManager, each with its own verdict. It runs next to offlineJourney.
func onlineJourney() Scenario {
	return Scenario{
		Name:      "online-journey",
		Purpose:   frontend.Text{DE: "Online speichern, ein abgelehntes Senden (503) und der Weg ohne SyncManager, jeder Abschnitt mit eigenem Urteil.", EN: "Saving online, a replay refused with 503 and the way without SyncManager, each stretch with its own verdict."},
		Since:     "07",
		FailsKind: failure.BackendPosts,
		Parts: []Part{
			{
				Name:    "opens",
				Purpose: frontend.Text{DE: "Die App lädt und ihr Service Worker wird aktiv.", EN: "The app loads and its service worker activates."},
				Since:   "00",
				Steps:   []session.Step{session.OpenApp()},
			},
			{
				Name:       "online-post",
				Purpose:    frontend.Text{DE: "Ein online erstellter Beitrag erreicht das Backend und erscheint im Feed.", EN: "A post made while online reaches the backend and shows up in the feed."},
				Since:      "07",
				AlsoPasses: []string{"00", "01", "02"}, // the form still sends posts directly
				FailsKind:  failure.BackendPosts,
				Needs:      []string{"opens"},
				Steps: []session.Step{
					session.CreatePost(picked("Mensa am Mittag", 6)),
					session.ExpectBackendTitles("Mensa am Mittag"),
					session.Reload(),
					session.ExpectCard("Mensa am Mittag"),
					session.ExpectNoErrors(),
				},
			},
			{
				Name:      "failure-keeps-post",
				Purpose:   frontend.Text{DE: "Antwortet das Backend beim Senden mit 503, bleibt der Beitrag in sync-posts – nichts geht verloren.", EN: "When the backend answers the replay with 503, the post stays in sync-posts: nothing is lost."},
				Since:     "07",
				FailsKind: failure.PostRequests,
				Needs:     []string{"opens"},
				Steps: []session.Step{
					session.GoOffline(),
					session.CreatePost(picked("Backend streikt", 4)),
					session.ExpectQueuedTitles("Backend streikt"),
					session.FailNext(1, 503),
					session.GoOnline(),
					session.ExpectInjectedFault(),
					session.ExpectKeptOrStored("Backend streikt", 400*time.Millisecond),
				},
			},
			{
				Name:       "fallback",
				Purpose:    frontend.Text{DE: "Ohne SyncManager wird der Beitrag sofort an das Backend gesendet.", EN: "Without SyncManager the post is sent to the backend at once."},
				Since:      "05",
				AlsoPasses: []string{"00", "01", "02"}, // the form always sends posts directly
				FailsKind:  failure.BackendPosts,
				Needs:      []string{"opens"},
				Steps: []session.Step{
					session.ClearFaults(),
					session.GoOnline(),
					session.RemoveSyncManager(),
					session.Reload(),
					session.CreatePost(picked("Ohne SyncManager", 5)),
					session.ExpectBackendTitles("Ohne SyncManager"),
				},
			},
		},
	}
}
