package scenario

import (
	"time"

	"synclab/frontend"
	"synclab/simulator/session"
)

// Block is a check's steps. Everything else about the check (what it
// proves, its step, the failure the step before shows, its hints) is its
// row in frontend/checks.json; a new check is that row and a block here.
type Block struct {
	// Journey is the session the check shares with others ("" for a
	// session of its own); its steps continue where the parts before
	// stopped.
	Journey string
	// Needs, if set, replaces the parts the check needs to make sense:
	// by default the row's depends_on that are in the journey. (A check
	// that makes posts of its own needs only the app, though its grade
	// depends on the replay.)
	Needs []string
	// After lists the parts whose steps must have run first, whatever
	// their verdict (the submit before a look into the outbox).
	After []string
	// AlsoPasses lists earlier checkpoints that pass for another reason,
	// AlsoWhy says which.
	AlsoPasses []string
	AlsoWhy    string
	Steps      []session.Step
}

// Journey is a session that several checks observe one after the other.
type Journey struct {
	Name    string
	Purpose frontend.Text
}

// chapter is the journey of the chapter's checks.
const chapter = "chapter-journey"

// Journeys returns the journeys the checks run in.
func Journeys() []Journey {
	return []Journey{
		{Name: chapter, Purpose: frontend.Text{DE: "Der Weg eines offline erstellten Beitrags bis zum Backend, dann online speichern, ein abgelehntes Senden (503) und der Weg ohne SyncManager, alles in einem Browserkontext, jeder Abschnitt mit eigenem Urteil", EN: "The journey of a post made offline to the backend, then saving online, a replay refused with 503 and the way without SyncManager, all in one browser context, each stretch with its own verdict"}},
	}
}

// journeyPost is the offline journey's post.
const journeyPost, journeyPlace = "Unterwegs offline", "HTW Berlin"

// Blocks returns every check's steps, keyed by the check's id.
func Blocks() map[string]Block {
	return map[string]Block{
		// The chapter's journey: a post made offline, from the start of the
		// app to its replay.
		"app-starts":   {Journey: chapter, Steps: []session.Step{session.OpenApp()}},
		"outbox-store": {Journey: chapter, Steps: []session.Step{session.ExpectStoreKey(session.DBName, session.OutboxName, "id")}},
		"register-sync": {Journey: chapter, Steps: []session.Step{
			session.WatchWorkerStorage(),
			session.GoOffline(),
			session.CreatePost(picked(journeyPost, 7)),
			session.ExpectSyncTag(session.SyncTag, true),
		}},
		"offline-queue": {Journey: chapter, After: []string{"register-sync"}, Steps: []session.Step{
			session.ExpectOutbox(1),
			session.ExpectQueuedPost(journeyPost, journeyPlace),
			session.RememberQueued(),
			session.ExpectBackendPostsStay(0, 300*time.Millisecond),
		}},
		"snackbar":          {Journey: chapter, Steps: []session.Step{session.ExpectAnySnackbar()}},
		"sync-reads-outbox": {Journey: chapter, Steps: []session.Step{session.GoOnline(), session.ExpectWorkerAccess("read", session.OutboxName)}},
		"replay": {Journey: chapter, Steps: []session.Step{
			session.ExpectBackendTitles(journeyPost),
			session.ExpectReplayedAsEntered(),
			session.ExpectNotQueued(journeyPost),
			session.ExpectNoErrors(),
		}},
		"several-posts": {Journey: chapter, Needs: []string{"app-starts"}, Steps: []session.Step{
			session.GoOffline(),
			session.CreatePost(picked("Erster", 1)),
			session.CreatePost(picked("Zweiter", 2)),
			session.ExpectQueuedTitles("Erster", "Zweiter"),
			session.GoOnline(),
			session.ExpectBackendTitles("Erster", "Zweiter"),
			session.ExpectNotQueued("Erster", "Zweiter"),
			session.ExpectEachStoredOnce(300*time.Millisecond, "Erster", "Zweiter"),
		}},
		"replay-app-closed": {Journey: chapter, Needs: []string{"app-starts"}, Steps: []session.Step{
			session.GoOffline(),
			session.CreatePost(picked("Tab zu", 3)),
			session.ExpectQueuedTitles("Tab zu"),
			session.CloseAppTabs(),
			session.WorkerOffline(false),
			session.ExpectBackendTitles("Tab zu"),
			session.ExpectNotQueued("Tab zu"),
		}},

		// Then, in the same session: a post made online, a replay refused
		// with 503, the way without SyncManager.
		// online-post answers for its own page load and post: online
		// again, the app settled, the page loaded afresh (or opened, after
		// the closed-tabs replay).
		"online-post": {Journey: chapter, AlsoPasses: []string{"00", "01", "02"}, AlsoWhy: "before step 03 the form still sends posts directly", Steps: []session.Step{
			session.EnsureOnline(),
			session.CountErrorsFromHere(),
			session.Reload(),
			session.CreatePost(picked("Mensa am Mittag", 6)),
			session.ExpectBackendTitles("Mensa am Mittag"),
			session.Reload(),
			session.ExpectCard("Mensa am Mittag"),
			session.ExpectNoErrors(),
		}},
		"failure-keeps-post": {Journey: chapter, Needs: []string{"app-starts"}, Steps: []session.Step{
			session.GoOffline(),
			session.CreatePost(picked("Backend streikt", 4)),
			session.ExpectQueuedTitles("Backend streikt"),
			session.FailNext(1, 503),
			session.GoOnline(),
			session.ExpectInjectedFault(),
			session.ExpectKeptOrStored("Backend streikt", 400*time.Millisecond),
		}},
		"fallback": {Journey: chapter, AlsoPasses: []string{"00", "01", "02"}, AlsoWhy: "before step 03 the form always sends posts directly", Steps: []session.Step{
			session.ClearFaults(),
			session.GoOnline(),
			session.RemoveSyncManager(),
			session.Reload(),
			session.CreatePost(picked("Ohne SyncManager", 5)),
			session.ExpectBackendTitles("Ohne SyncManager"),
		}},

		// The robust step (08), each in a session of its own.
		"upgrade-from-00": {Steps: []session.Step{
			session.SeedCheckpoint00Database(),
			session.OpenApp(),
			session.ExpectStore(session.DBName, session.OutboxName),
			session.GoOffline(),
			session.CreatePost(post("Nach dem Upgrade")),
			session.ExpectOutbox(1),
		}},
		"server-error-retry": {Steps: queuedOffline("Server down",
			session.FailNext(1, 503),
			session.GoOnline(),
			session.ExpectPostRequests(1),
			session.ExpectBackendPostsWithin(1, 10*time.Second),
			session.ExpectOutbox(0),
		)},
		"lost-response": {Steps: queuedOffline("Antwort verloren",
			session.DropNext(1),
			session.GoOnline(),
			session.ExpectPostRequests(2),
			session.ExpectStoredOnce("Antwort verloren"),
		)},
		"dead-letter": {Steps: queuedOffline("Abgelehnt",
			session.FailNext(1, 422),
			session.GoOnline(),
			session.ExpectRecords(session.DBName, "dead-letters", 1),
			session.ExpectOutbox(0),
			session.ExpectBackendPostsStay(0, 300*time.Millisecond),
		)},
		"page-updates": {Steps: queuedOffline("Live",
			session.GoOnline(),
			session.ExpectBackendPosts(1),
			session.ExpectCard("Live"),
		)},
		"worker-stopped-mid-replay": {Steps: queuedOffline("Mitten im Senden",
			session.HoldNext(1),
			session.GoOnline(),
			session.StopWorkerWhileAnswerHeld(),
			session.ExpectBackendTitles("Mitten im Senden"),
			session.ExpectStoredOnce("Mitten im Senden"),
		)},
		"worker-update-keeps-sync": {AlsoPasses: []string{"07"}, AlsoWhy: "07's worker already hands a waiting sync to its next version: the tag belongs to the registration", Steps: queuedOffline("Neue Version",
			session.DeployWorkerVersion(func(sw string) string { return sw + "\n// a new version of the service worker\n" }),
			session.ExpectKeptOrStored("Neue Version", 300*time.Millisecond),
			session.GoOnline(),
			session.ExpectBackendTitles("Neue Version"),
			session.ExpectStoredOnce("Neue Version"),
		)},
		"last-chance": {Steps: queuedOffline("Letzte Chance",
			session.FailNext(100, 503),
			session.GoOnline(),
			session.ExpectLastChance(),
			session.ExpectSnackbar("gespeichert und werden später gesendet"),
			session.ExpectKeptOrStored("Letzte Chance", 300*time.Millisecond),
			session.ClearFaults(),
			session.CloseAppTabs(),
			session.ReopenApp(),
			session.ExpectBackendTitles("Letzte Chance"),
			session.ExpectStoredOnce("Letzte Chance"),
		)},
	}
}

// queuedOffline opens the app, makes a post offline (its photo from the
// camera) and sees it queued, then goes on with then.
func queuedOffline(title string, then ...session.Step) []session.Step {
	return append([]session.Step{
		session.OpenApp(),
		session.GoOffline(),
		session.CreatePost(post(title)),
		session.ExpectOutbox(1),
	}, then...)
}

// post is a post whose photo comes from the camera, the way the course's
// app takes it.
func post(title string) session.Post { return session.Post{Title: title, Location: "HTW Berlin"} }

// picked is a post whose photo is chosen with the file picker. The journeys
// use it for every post: it is quicker than waiting for the camera's
// picture, and the verdicts never depend on the camera (a camera without a
// picture falls back to the picker anyway). The robust checks take
// theirs with the camera.
func picked(title string, seed int) session.Post {
	return session.Post{Title: title, Location: "HTW Berlin", Photo: session.SamplePhoto(seed), PhotoName: "foto.jpg"}
}
