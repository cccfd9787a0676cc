package diagram

// Overviews returns the course's box diagrams by file name
// (pictures/NAME): a sync registration's states, the app's IndexedDB
// stores and how the backend stores a post. Each states what the code
// does: the stores as frontend/checkpoints/08/src/js/db.js creates them,
// the collections and fields as backend/posts writes them.
func Overviews() map[string]Graph {
	return map[string]Graph{
		"sync-states.svg": syncStates(),
		"stores.svg":      stores(),
		"gridfs.svg":      gridFS(),
	}
}

// syncStates: one registration of sync-new-post as Chromium runs it
// (three attempts, retries after 5 and 15 minutes, at most 3 minutes per
// event; BackgroundSyncParameters).
func syncStates() Graph {
	register := Text{"register('sync-new-post')", ""}
	return Graph{
		Title: Text{"Eine Sync-Registrierung in Chromium: von register() bis erledigt oder aufgegeben", "One sync registration in Chromium: from register() to done or given up"},
		Cols:  []float64{240, 240, 240, 240},
		Rows:  []float64{136, 136, 136, 150, 150},
		Boxes: []Box{
			{ID: "submit", Col: 0, Row: 0, Style: Actor, Title: Text{"Seite: Absenden", "page: submit"}, Lines: []Text{register}},
			{ID: "pending", Col: 1, Row: 0, Title: Text{"registriert (pending)", "registered (pending)"},
				Lines: []Text{{"offline: wartet hier,\nbis das Netz zurück ist", "offline: waits here\nuntil the network returns"}}},
			{ID: "restart", Col: 3, Row: 0, Style: Actor, Title: Text{"Seite: nächster Start", "page: next start"},
				Lines: []Text{{"Outbox nicht leer:", "outbox not empty:"}, register}},
			{ID: "firing", Col: 1, Row: 1, Title: Text{"firing", ""},
				Lines: []Text{{"sync-Ereignis im Worker", "the sync event in the worker"}, {"event.waitUntil(promise)", ""}}},
			{ID: "done", Col: 0, Row: 2, Style: Good, Title: Text{"erledigt", "done"},
				Lines: []Text{{"Registrierung gelöscht", "the registration is gone"}}},
			{ID: "failed", Col: 2, Row: 2, Style: Bad, Title: Text{"gescheitert", "failed"},
				Lines: []Text{{"Registrierung bleibt", "the registration stays"}, {"auch: Abbruch nach 3 min", "also: cut off after 3 min"}}},
			{ID: "waits", Col: 1, Row: 3, Title: Text{"wartet", "waits"},
				Lines: []Text{{"wieder pending, mit Pause\n(Standard: 5, dann 15 min)", "pending again, after a delay\n(default: 5, then 15 min)"}}},
			{ID: "last", Col: 1, Row: 4, Title: Text{"letzter Versuch", "final attempt"},
				Lines: []Text{{"event.lastChance === true", ""}, {"Chromium: Versuch 3 von 3", "Chromium: attempt 3 of 3"}}},
			{ID: "gaveup", Col: 3, Row: 4, Style: Bad, Title: Text{"aufgegeben", "given up"},
				Lines: []Text{{"Registrierung verworfen;\nOutbox behält den Beitrag", "registration dropped;\nthe outbox keeps the post"}}},
		},
		Arrows: []Arrow{
			{From: "submit", To: "pending"},
			{From: "restart", To: "pending", Label: Text{"registriert neu", "registers again"}},
			{From: "pending", To: "firing", Label: Text{"online", ""}},
			{From: "firing", To: "done", Via: []Cell{{0, 1}}, Label: Text{"Promise erfüllt", "promise fulfilled"}},
			{From: "firing", To: "failed", Via: []Cell{{2, 1}}, Warn: true, Label: Text{"Promise abgelehnt", "promise rejected"}},
			{From: "failed", To: "waits", Via: []Cell{{2, 3}}, Label: Text{"Versuche übrig", "attempts left"}},
			{From: "waits", To: "firing", Label: Text{"Pause vorbei", "delay over"}},
			{From: "waits", To: "last", Label: Text{"nur noch einer übrig", "one attempt left"}},
			{From: "last", To: "done", Via: []Cell{{0, 4}}, Label: Text{"erfüllt", "fulfilled"}},
			{From: "last", To: "gaveup", Warn: true, Label: Text{"abgelehnt", "rejected"}},
			{From: "gaveup", To: "restart", Dashed: true, Label: Text{"beim nächsten\nApp-Start", "on the next\napp start"}},
		},
	}
}

// stores: posts-store version 2 as checkpoint 08's db.js creates it, and
// which code reads and writes each store.
func stores() Graph {
	return Graph{
		Title: Text{"IndexedDB posts-store (Checkpoint 08): drei Object Stores, wer sie liest und schreibt", "IndexedDB posts-store (checkpoint 08): three object stores, who reads and writes them"},
		Cols:  []float64{160, 185, 250, 185, 160},
		Rows:  []float64{140, 170, 150},
		Boxes: []Box{
			{ID: "page", Col: 0, Row: 0, RowSpan: 2, Style: Actor, Title: Text{"Seite", "page"}, Lines: []Text{{"feed.js", ""}}},
			{ID: "sw", Col: 4, Row: 0, RowSpan: 2, Style: Actor, Title: Text{"Service Worker", ""}, Lines: []Text{{"sw.js\noutbox.js", ""}}},
			{ID: "posts", Col: 2, Row: 0, Style: Data, Fill: true, Title: Text{"posts", ""},
				Lines: []Text{{"keyPath: '_id'", ""}, {"der Feed für offline", "the feed for offline use"}}},
			{ID: "outbox", Col: 2, Row: 1, Style: Data, Fill: true, Title: Text{"sync-posts: die Outbox", "sync-posts: the outbox"},
				Lines: []Text{{"keyPath: 'id'", ""}, {"{id, title, location,\nimage_id: Blob, file_name}", ""}}},
			{ID: "dead", Col: 2, Row: 2, Style: Data, Fill: true, Title: Text{"dead-letters", ""},
				Lines: []Text{{"keyPath: 'id'", ""}, {"endgültig abgelehnt (4xx)", "refused for good (4xx)"}, {"+ status, error, failed_at", ""}}},
		},
		Arrows: []Arrow{
			{From: "posts", To: "page", Code: "readAllData", Label: Text{"Feed ohne Netz", "feed without network"}},
			{From: "sw", To: "posts", Code: "clearAllData, writeData", Label: Text{"Antwort auf GET /posts", "answer to GET /posts"}},
			{From: "page", To: "outbox", Both: true, Code: "writeData, readAllData", Label: Text{"Absenden; App-Start", "submit; app start"}},
			{From: "sw", To: "outbox", Both: true, Code: "readAllData,\ndeleteOneData", Label: Text{"senden; nach 2xx löschen", "send; delete after 2xx"}},
			{From: "outbox", To: "dead", Code: "moveData", Label: Text{"4xx: in einer Transaktion", "4xx: in one transaction"}},
		},
		Frames: []Frame{{Label: Text{"posts-store, DB_VERSION = 2", ""}, Boxes: []string{"posts", "outbox", "dead"}}},
	}
}

// gridFS: what POST /posts stores (backend/posts: Store.Create, upload)
// and how GET /posts/:id/image finds the photo again.
func gridFS() Graph {
	return Graph{
		Title: Text{"Wie das Backend einen Beitrag speichert: Collection posts und GridFS-Bucket posts", "How the backend stores a post: the posts collection and the GridFS bucket posts"},
		Cols:  []float64{160, 180, 160, 160, 300},
		Rows:  []float64{204, 200, 190},
		Boxes: []Box{
			{ID: "client", Col: 0, Row: 0, Style: Actor, Title: Text{"Seite / Worker", "page / worker"}, Lines: []Text{{"feed.js, sw.js", ""}}},
			{ID: "viewer", Col: 0, Row: 2, Style: Actor, Title: Text{"Browser", ""}, Lines: []Text{{"Foto ansehen", "see a photo"}}},
			{ID: "backend", Col: 2, Row: 0, RowSpan: 3, Style: Actor, Title: Text{"Backend :3000", ""}, Lines: []Text{{"backend/api\nbackend/posts", ""}}},
			{ID: "post", Col: 4, Row: 0, Style: Data, Fill: true, Title: Text{"posts", ""},
				Lines: []Text{
					{"ein Dokument je Beitrag", "one document per post"},
					{"_id: ObjectId\ntitle, location\nimage_id\n__v: 0", ""},
					{"GET /posts: image_id als data:-URL", "GET /posts: image_id as a data: URL"},
				}},
			{ID: "files", Col: 4, Row: 1, Style: Data, Fill: true, Title: Text{"posts.files", ""},
				Lines: []Text{
					{"ein Dokument je Foto", "one document per photo"},
					{"_id: ObjectId\nfilename\nlength, uploadDate\nchunkSize: 261120 (255 KiB)\ncontentType: 'image/jpeg'", ""},
				}},
			{ID: "chunks", Col: 4, Row: 2, Style: Data, Fill: true, Title: Text{"posts.chunks", ""},
				Lines: []Text{
					{"n Dokumente je Foto, je ≤ 255 KiB", "n documents per photo, ≤ 255 KiB each"},
					{"_id: ObjectId\nfiles_id\nn: 0, 1, 2, …\ndata: Binary", ""},
				}},
		},
		Arrows: []Arrow{
			{From: "client", To: "backend", Code: "POST /posts\nmultipart/form-data\ntitle, location, file"},
			{From: "backend", To: "files", Label: Text{"1. das Foto:\nChunks, dann files", "1. the photo:\nchunks, then files"}},
			{From: "backend", To: "post", Code: "insertOne", Label: Text{"2. der Beitrag", "2. the post"}},
			{From: "post", To: "files", Code: "image_id = filename"},
			{From: "files", To: "chunks", Code: "_id = files_id"},
			{From: "viewer", To: "backend", Both: true, Code: "GET /posts/:id/image", Label: Text{":id = _id des Beitrags\n200: das Foto", ":id = the post's _id\n200: the photo"}},
		},
		Frames: []Frame{
			{Label: Text{"MongoDB", ""}, Boxes: []string{"post", "files", "chunks"}},
		},
	}
}
