// Package scenario names the simulator's scenarios: short lists of session
// steps, each with its purpose and the checkpoint that first passes it.
package scenario

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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
	// FailsWith is part of the failure expected on the checkpoint before Since.
	FailsWith string
	// Steps are run in order.
	Steps []session.Step
}

// ShouldPass reports whether a checkpoint is expected to pass.
func (sc Scenario) ShouldPass(step string) bool {
	return step >= sc.Since || slices.Contains(sc.AlsoPasses, step)
}

// Run runs the scenario in a session.
func (sc Scenario) Run(ctx context.Context, s *session.Session) error {
	return s.Do(ctx, sc.Steps...)
}

// post is a post a scenario submits.
func post(title string) session.Post { return session.Post{Title: title, Location: "HTW Berlin"} }

// All returns every scenario, in the chapter's order.
func All() []Scenario {
	return []Scenario{
		{
			Name:       "online-post",
			Purpose:    frontend.Text{DE: "Ein online erstellter Beitrag erreicht das Backend und erscheint im Feed.", EN: "A post made while online reaches the backend and shows up in the feed."},
			Since:      "07",
			AlsoPasses: []string{"00", "01", "02"},
			AlsoWhy:    "before step 03 the form still sends posts directly",
			FailsWith:  "expected the backend to store 1 post",
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
			FailsWith: `expected the sync tag "sync-new-post" to be pending`,
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
			FailsWith: `to have the store "sync-posts"`,
			Steps: []session.Step{
				session.OpenApp(),
				session.ExpectStore(session.DBName, session.OutboxName),
			},
		},
		{
			Name:      "offline-queue",
			Purpose:   frontend.Text{DE: "Ein offline erstellter Beitrag wartet mit Titel, Ort und Foto in sync-posts.", EN: "A post made offline waits in sync-posts with its title, location and photo."},
			Since:     "03",
			FailsWith: "expected the outbox (IndexedDB posts-store/sync-posts) to hold 1 record",
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Hörsaal offline")),
				session.ExpectOutbox(1),
				expectQueuedPost("Hörsaal offline"),
				session.ExpectBackendPostsStay(0, 300*time.Millisecond),
			},
		},
		{
			Name:      "snackbar",
			Purpose:   frontend.Text{DE: "Nach dem Speichern bestätigt die Snackbar, dass der Beitrag zum Synchronisieren bereitliegt.", EN: "After saving, the snackbar confirms that the post is kept for syncing."},
			Since:     "04",
			FailsWith: "expected the snackbar (#confirmation-toast) to show a message",
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
			FailsWith:  "expected the backend to store 1 post",
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
			FailsWith: `expected the service worker to read the IndexedDB store "sync-posts"`,
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
			FailsWith: "expected the backend to store 1 post",
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Zurück online")),
				session.ExpectOutbox(1),
				session.ExpectBackendPostsStay(0, 200*time.Millisecond),
				session.GoOnline(),
				session.ExpectBackendPosts(1),
				session.ExpectOutbox(0),
				session.ExpectNoErrors(),
			},
		},
		{
			Name:      "several-posts",
			Purpose:   frontend.Text{DE: "Drei offline gespeicherte Beiträge werden alle gesendet, jeder genau einmal.", EN: "Three posts queued offline are all replayed, each exactly once."},
			Since:     "07",
			FailsWith: "expected the backend to store 3 posts",
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
			FailsWith: "expected the backend to store 1 post",
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
			FailsWith: "at least 1 POST /posts request",
			Steps: []session.Step{
				session.OpenApp(),
				session.GoOffline(),
				session.CreatePost(post("Backend streikt")),
				session.ExpectOutbox(1),
				session.FailNext(1, 503),
				session.GoOnline(),
				session.ExpectPostRequests(1),
				session.ExpectKeptOrStored("Backend streikt", 1500*time.Millisecond),
			},
		},
		{
			Name:      "server-error-retry",
			Purpose:   frontend.Text{DE: "Ein 503 behält den Beitrag; der Browser wiederholt die Synchronisation, bis er gespeichert ist – nichts geht verloren.", EN: "A 503 keeps the post; the browser retries the sync until the post is stored, nothing lost."},
			Since:     "08",
			FailsWith: "expected the backend to store 1 post",
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
			FailsWith: `expected "Antwort verloren" to be stored exactly once and the outbox to be empty`,
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
			FailsWith: "dead-letters to hold 1 record",
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
			FailsWith: `to have the store "sync-posts"`,
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
			FailsWith: `expected a card "Live" in the feed`,
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
			FailsWith: "expected the snackbar (#confirmation-toast) to show",
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

// expectQueuedPost checks the queued record's fields and photo.
func expectQueuedPost(title string) session.Step {
	return session.Check("expect the queued record to hold title, location and photo", func(ctx context.Context, s *session.Session) error {
		recs, err := s.Outbox(ctx)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.String("title") != title {
				continue
			}
			if r.String("location") == "" {
				return fmt.Errorf("the queued post %q has no location", title)
			}
			for _, v := range r {
				if m, ok := v.(map[string]any); ok && m["__blob"] == true {
					if size, _ := m["size"].(float64); size > 0 {
						return nil
					}
				}
			}
			return fmt.Errorf("the queued post %q holds no photo (a Blob or File); fields: %v", title, keys(r))
		}
		return fmt.Errorf("no queued post titled %q", title)
	})
}

func keys(r session.Record) []string {
	var out []string
	for k := range r {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
