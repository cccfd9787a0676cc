package diagram

// The lanes of the chapter's diagrams.
var lanes = []Lane{
	{ID: "page", Label: Text{"Seite (feed.js)", "Page"}},
	{ID: "idb", Label: Text{"IndexedDB", ""}},
	{ID: "sw", Label: Text{"Service Worker (sw.js)", "service worker"}},
	{ID: "backend", Label: Text{"Backend :3000", ""}},
}

// Flows returns every diagram of the course by file name (pictures/NAME):
// the sequence diagrams (Sequences) and the box diagrams (Overviews). The
// picture generator draws them all; pictures.Stale compares them all.
func Flows() map[string]Picture {
	out := map[string]Picture{}
	for name, d := range Sequences() {
		out[name] = d
	}
	for name, g := range Overviews() {
		out[name] = g
	}
	return out
}

// Sequences returns the course's sequence diagrams by file name.
func Sequences() map[string]Diagram {
	submit := Row{Kind: Action, From: "page", Label: Text{"Formular absenden", "submit the form"}}
	return map[string]Diagram{
		"flow-online.svg": {
			Title: Text{"Online: der Beitrag geht direkt an das Backend (Checkpoint 00)", "Online: the post goes straight to the backend"},
			Lanes: lanes,
			Rows: []Row{
				submit,
				{Kind: Message, From: "page", To: "backend", Label: Text{"POST /posts  FormData{title, location, file}", ""}},
				{Kind: Action, From: "backend", Label: Text{"Foto → GridFS, Beitrag → MongoDB", "photo → GridFS, post → MongoDB"}},
				{Kind: Reply, From: "backend", To: "page", Label: Text{"201 {_id, title, location, image_id}", ""}},
				{Kind: Action, From: "page", Label: Text{"neue Karte im Feed", "new card in the feed"}},
			},
		},
		"flow-offline.svg": {
			Title: Text{"Offline: über die Outbox sync-posts (Checkpoint 07)", "Offline: through the outbox sync-posts"},
			Lanes: lanes,
			Rows: append([]Row{
				{Kind: Divider, Label: Text{"offline", ""}},
				submit,
				{Kind: Message, From: "page", To: "idb", Label: Text{"writeData('sync-posts', post)", ""}},
				{Kind: Message, From: "page", To: "sw", Label: Text{"sync.register('sync-new-post')", ""}},
				{Kind: Action, From: "page", Label: Text{"Snackbar: gespeichert", "snackbar: saved"}},
				{Kind: Divider, Label: Text{"Netz wieder da", "network back"}},
			}, replay()...),
		},
		"flow-app-closed.svg": {
			Title: Text{"Alle Tabs geschlossen: der Browser weckt den Service Worker", "Every tab closed: the browser wakes the service worker"},
			Lanes: lanes,
			Rows: append([]Row{
				{Kind: Divider, Label: Text{"offline", ""}},
				submit,
				{Kind: Message, From: "page", To: "idb", Label: Text{"writeData('sync-posts', post)", ""}},
				{Kind: Message, From: "page", To: "sw", Label: Text{"sync.register('sync-new-post')", ""}},
				{Kind: Close, From: "page", Label: Text{"Tab geschlossen", "tab closed"}},
				{Kind: Divider, Label: Text{"Netz wieder da – nur Worker, IndexedDB und Backend arbeiten", "network back – only worker, IndexedDB and backend are at work"}},
			}, replay()...),
		},
		"flow-robust.svg": {
			Title: Text{"Robust (Checkpoint 08): Wiederholung und Idempotency-Key", "Robust: retries and the Idempotency-Key"},
			Lanes: lanes,
			Rows: []Row{
				{Kind: Divider, Label: Text{"Netz wieder da", "network back"}},
				{Kind: Action, From: "sw", Label: Text{"sync-Ereignis, Versuch 1", "sync event, attempt 1"}},
				{Kind: Message, From: "sw", To: "idb", Label: Text{"readAllData('sync-posts')", ""}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{"POST /posts  Idempotency-Key: K", ""}},
				{Kind: Reply, From: "backend", To: "sw", Label: Text{"503 Service Unavailable", ""}},
				{Kind: Action, From: "sw", Warn: true, Label: Text{"waitUntil lehnt ab: Datensatz bleibt", "waitUntil rejects: record stays"}},
				{Kind: Divider, Label: Text{"der Browser wiederholt später", "the browser retries later"}},
				{Kind: Action, From: "sw", Label: Text{"sync-Ereignis, Versuch 2", "sync event, attempt 2"}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{"POST /posts  Idempotency-Key: K", ""}},
				{Kind: Action, From: "backend", Label: Text{"Beitrag gespeichert", "post stored"}},
				{Kind: Failed, From: "backend", To: "sw", Label: Text{"201 – Antwort geht verloren", "201 – the answer is lost"}},
				{Kind: Action, From: "sw", Warn: true, Label: Text{"waitUntil lehnt ab", "waitUntil rejects"}},
				{Kind: Divider, Label: Text{"der Browser wiederholt später", "the browser retries later"}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{"POST /posts  Idempotency-Key: K", ""}},
				{Kind: Action, From: "backend", Label: Text{"Key K bekannt: kein zweiter Beitrag", "key K known: no duplicate"}},
				{Kind: Reply, From: "backend", To: "sw", Label: Text{"200 (der erste Beitrag)", "200 (the first post)"}},
				{Kind: Message, From: "sw", To: "idb", Label: Text{"deleteOneData('sync-posts', K)", ""}},
			},
		},
	}
}

// replay is the service worker's part of checkpoint 07.
func replay() []Row {
	return []Row{
		{Kind: Action, From: "sw", Label: Text{"sync-Ereignis (tag: sync-new-post)", "sync event (tag: sync-new-post)"}},
		{Kind: Message, From: "sw", To: "idb", Label: Text{"readAllData('sync-posts')", ""}},
		{Kind: Reply, From: "idb", To: "sw", Label: Text{"[{id, title, location, image_id}]", ""}},
		{Kind: Message, From: "sw", To: "backend", Label: Text{"POST /posts  FormData", ""}},
		{Kind: Reply, From: "backend", To: "sw", Label: Text{"201 Created (response.ok)", ""}},
		{Kind: Message, From: "sw", To: "idb", Label: Text{"deleteOneData('sync-posts', id)", ""}},
	}
}
