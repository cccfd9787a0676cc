package diagram

// The lanes of the chapter's diagrams.
var lanes = []Lane{
	{ID: "page", Label: Text{DE: "Seite (feed.js)", EN: "Page"}},
	{ID: "idb", Label: Text{DE: "IndexedDB", EN: ""}},
	{ID: "sw", Label: Text{DE: "Service Worker (sw.js)", EN: "service worker"}},
	{ID: "backend", Label: Text{DE: "Backend :3000", EN: ""}},
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
	submit := Row{Kind: Action, From: "page", Label: Text{DE: "Formular absenden", EN: "submit the form"}}
	return map[string]Diagram{
		"flow-online.svg": {
			Title: Text{DE: "Online: der Beitrag geht direkt an das Backend (Checkpoint 00)", EN: "Online: the post goes straight to the backend"},
			Lanes: lanes,
			Rows: []Row{
				submit,
				{Kind: Message, From: "page", To: "backend", Label: Text{DE: "POST /posts  FormData{title, location, file}", EN: ""}},
				{Kind: Action, From: "backend", Label: Text{DE: "Foto → GridFS, Beitrag → MongoDB", EN: "photo → GridFS, post → MongoDB"}},
				{Kind: Reply, From: "backend", To: "page", Label: Text{DE: "201 {_id, title, location, image_id}", EN: ""}},
				{Kind: Action, From: "page", Label: Text{DE: "neue Karte im Feed", EN: "new card in the feed"}},
			},
		},
		"flow-offline.svg": {
			Title: Text{DE: "Offline: über die Outbox sync-posts (Checkpoint 07)", EN: "Offline: through the outbox sync-posts"},
			Lanes: lanes,
			Rows: append([]Row{
				{Kind: Divider, Label: Text{DE: "offline", EN: ""}},
				submit,
				{Kind: Message, From: "page", To: "idb", Label: Text{DE: "writeData('sync-posts', post)", EN: ""}},
				{Kind: Message, From: "page", To: "sw", Label: Text{DE: "sync.register('sync-new-post')", EN: ""}},
				{Kind: Action, From: "page", Label: Text{DE: "Snackbar: gespeichert", EN: "snackbar: saved"}},
				{Kind: Divider, Label: Text{DE: "Netz wieder da", EN: "network back"}},
			}, replay()...),
		},
		"flow-app-closed.svg": {
			Title: Text{DE: "Alle Tabs geschlossen: der Browser weckt den Service Worker", EN: "Every tab closed: the browser wakes the service worker"},
			Lanes: lanes,
			Rows: append([]Row{
				{Kind: Divider, Label: Text{DE: "offline", EN: ""}},
				submit,
				{Kind: Message, From: "page", To: "idb", Label: Text{DE: "writeData('sync-posts', post)", EN: ""}},
				{Kind: Message, From: "page", To: "sw", Label: Text{DE: "sync.register('sync-new-post')", EN: ""}},
				{Kind: Close, From: "page", Label: Text{DE: "Tab geschlossen", EN: "tab closed"}},
				{Kind: Divider, Label: Text{DE: "Netz wieder da – nur Worker, IndexedDB und Backend arbeiten", EN: "network back – only worker, IndexedDB and backend are at work"}},
			}, replay()...),
		},
		"flow-robust.svg": {
			Title: Text{DE: "Robust (Checkpoint 08): Wiederholung und Idempotency-Key", EN: "Robust: retries and the Idempotency-Key"},
			Lanes: lanes,
			Rows: []Row{
				{Kind: Divider, Label: Text{DE: "Netz wieder da", EN: "network back"}},
				{Kind: Action, From: "sw", Label: Text{DE: "sync-Ereignis, Versuch 1", EN: "sync event, attempt 1"}},
				{Kind: Message, From: "sw", To: "idb", Label: Text{DE: "readAllData('sync-posts')", EN: ""}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{DE: "POST /posts  Idempotency-Key: K", EN: ""}},
				{Kind: Reply, From: "backend", To: "sw", Label: Text{DE: "503 Service Unavailable", EN: ""}},
				{Kind: Action, From: "sw", Warn: true, Label: Text{DE: "waitUntil lehnt ab: Datensatz bleibt", EN: "waitUntil rejects: record stays"}},
				{Kind: Divider, Label: Text{DE: "der Browser wiederholt später", EN: "the browser retries later"}},
				{Kind: Action, From: "sw", Label: Text{DE: "sync-Ereignis, Versuch 2", EN: "sync event, attempt 2"}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{DE: "POST /posts  Idempotency-Key: K", EN: ""}},
				{Kind: Action, From: "backend", Label: Text{DE: "Beitrag gespeichert", EN: "post stored"}},
				{Kind: Failed, From: "backend", To: "sw", Label: Text{DE: "201 – Antwort geht verloren", EN: "201 – the answer is lost"}},
				{Kind: Action, From: "sw", Warn: true, Label: Text{DE: "waitUntil lehnt ab", EN: "waitUntil rejects"}},
				{Kind: Divider, Label: Text{DE: "der Browser wiederholt später", EN: "the browser retries later"}},
				{Kind: Message, From: "sw", To: "backend", Label: Text{DE: "POST /posts  Idempotency-Key: K", EN: ""}},
				{Kind: Action, From: "backend", Label: Text{DE: "Key K bekannt: kein zweiter Beitrag", EN: "key K known: no duplicate"}},
				{Kind: Reply, From: "backend", To: "sw", Label: Text{DE: "200 (der erste Beitrag)", EN: "200 (the first post)"}},
				{Kind: Message, From: "sw", To: "idb", Label: Text{DE: "deleteOneData('sync-posts', K)", EN: ""}},
			},
		},
	}
}

// replay is the service worker's part of checkpoint 07.
func replay() []Row {
	return []Row{
		{Kind: Action, From: "sw", Label: Text{DE: "sync-Ereignis (tag: sync-new-post)", EN: "sync event (tag: sync-new-post)"}},
		{Kind: Message, From: "sw", To: "idb", Label: Text{DE: "readAllData('sync-posts')", EN: ""}},
		{Kind: Reply, From: "idb", To: "sw", Label: Text{DE: "[{id, title, location, image_id}]", EN: ""}},
		{Kind: Message, From: "sw", To: "backend", Label: Text{DE: "POST /posts  FormData", EN: ""}},
		{Kind: Reply, From: "backend", To: "sw", Label: Text{DE: "201 Created (response.ok)", EN: ""}},
		{Kind: Message, From: "sw", To: "idb", Label: Text{DE: "deleteOneData('sync-posts', id)", EN: ""}},
	}
}
