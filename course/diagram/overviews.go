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
	register := Text{DE: "register('sync-new-post')", EN: ""}
	return Graph{
		Title: Text{DE: "Eine Sync-Registrierung in Chromium: von register() bis erledigt oder aufgegeben", EN: "One sync registration in Chromium: from register() to done or given up"},
		Cols:  []float64{240, 240, 240, 240},
		Rows:  []float64{136, 136, 136, 150, 150},
		Boxes: []Box{
			{ID: "submit", Col: 0, Row: 0, Style: Actor, Title: Text{DE: "Seite: Absenden", EN: "page: submit"}, Lines: []Text{register}},
			{ID: "pending", Col: 1, Row: 0, Title: Text{DE: "registriert (pending)", EN: "registered (pending)"},
				Lines: []Text{{DE: "offline: wartet hier,\nbis das Netz zurück ist", EN: "offline: waits here\nuntil the network returns"}}},
			{ID: "restart", Col: 3, Row: 0, Style: Actor, Title: Text{DE: "Seite: nächster Start", EN: "page: next start"},
				Lines: []Text{{DE: "Outbox nicht leer:", EN: "outbox not empty:"}, register}},
			{ID: "firing", Col: 1, Row: 1, Title: Text{DE: "firing", EN: ""},
				Lines: []Text{{DE: "sync-Ereignis im Worker", EN: "the sync event in the worker"}, {DE: "event.waitUntil(promise)", EN: ""}}},
			{ID: "done", Col: 0, Row: 2, Style: Good, Title: Text{DE: "erledigt", EN: "done"},
				Lines: []Text{{DE: "Registrierung gelöscht", EN: "the registration is gone"}}},
			{ID: "failed", Col: 2, Row: 2, Style: Bad, Title: Text{DE: "gescheitert", EN: "failed"},
				Lines: []Text{{DE: "Registrierung bleibt", EN: "the registration stays"}, {DE: "auch: Abbruch nach 3 min", EN: "also: cut off after 3 min"}}},
			{ID: "waits", Col: 1, Row: 3, Title: Text{DE: "wartet", EN: "waits"},
				Lines: []Text{{DE: "wieder pending, mit Pause\n(Standard: 5, dann 15 min)", EN: "pending again, after a delay\n(default: 5, then 15 min)"}}},
			{ID: "last", Col: 1, Row: 4, Title: Text{DE: "letzter Versuch", EN: "final attempt"},
				Lines: []Text{{DE: "event.lastChance === true", EN: ""}, {DE: "Chromium: Versuch 3 von 3", EN: "Chromium: attempt 3 of 3"}}},
			{ID: "gaveup", Col: 3, Row: 4, Style: Bad, Title: Text{DE: "aufgegeben", EN: "given up"},
				Lines: []Text{{DE: "Registrierung verworfen;\nOutbox behält den Beitrag", EN: "registration dropped;\nthe outbox keeps the post"}}},
		},
		Arrows: []Arrow{
			{From: "submit", To: "pending"},
			{From: "restart", To: "pending", Label: Text{DE: "registriert neu", EN: "registers again"}},
			{From: "pending", To: "firing", Label: Text{DE: "online", EN: ""}},
			{From: "firing", To: "done", Via: []Cell{{0, 1}}, Label: Text{DE: "Promise erfüllt", EN: "promise fulfilled"}},
			{From: "firing", To: "failed", Via: []Cell{{2, 1}}, Warn: true, Label: Text{DE: "Promise abgelehnt", EN: "promise rejected"}},
			{From: "failed", To: "waits", Via: []Cell{{2, 3}}, Label: Text{DE: "Versuche übrig", EN: "attempts left"}},
			{From: "waits", To: "firing", Label: Text{DE: "Pause vorbei", EN: "delay over"}},
			{From: "waits", To: "last", Label: Text{DE: "nur noch einer übrig", EN: "one attempt left"}},
			{From: "last", To: "done", Via: []Cell{{0, 4}}, Label: Text{DE: "erfüllt", EN: "fulfilled"}},
			{From: "last", To: "gaveup", Warn: true, Label: Text{DE: "abgelehnt", EN: "rejected"}},
			{From: "gaveup", To: "restart", Dashed: true, Label: Text{DE: "beim nächsten\nApp-Start", EN: "on the next\napp start"}},
		},
	}
}

// stores: posts-store version 2 as checkpoint 08's db.js creates it, and
// which code reads and writes each store.
func stores() Graph {
	return Graph{
		Title: Text{DE: "IndexedDB posts-store (Checkpoint 08): drei Object Stores, wer sie liest und schreibt", EN: "IndexedDB posts-store (checkpoint 08): three object stores, who reads and writes them"},
		Cols:  []float64{160, 185, 250, 185, 160},
		Rows:  []float64{140, 170, 150},
		Boxes: []Box{
			{ID: "page", Col: 0, Row: 0, RowSpan: 2, Style: Actor, Title: Text{DE: "Seite", EN: "page"}, Lines: []Text{{DE: "feed.js", EN: ""}}},
			{ID: "sw", Col: 4, Row: 0, RowSpan: 2, Style: Actor, Title: Text{DE: "Service Worker", EN: ""}, Lines: []Text{{DE: "sw.js\noutbox.js", EN: ""}}},
			{ID: "posts", Col: 2, Row: 0, Style: Data, Fill: true, Title: Text{DE: "posts", EN: ""},
				Lines: []Text{{DE: "keyPath: '_id'", EN: ""}, {DE: "der Feed für offline", EN: "the feed for offline use"}}},
			{ID: "outbox", Col: 2, Row: 1, Style: Data, Fill: true, Title: Text{DE: "sync-posts: die Outbox", EN: "sync-posts: the outbox"},
				Lines: []Text{{DE: "keyPath: 'id'", EN: ""}, {DE: "{id, title, location,\nimage_id: Blob, file_name}", EN: ""}}},
			{ID: "dead", Col: 2, Row: 2, Style: Data, Fill: true, Title: Text{DE: "dead-letters", EN: ""},
				Lines: []Text{{DE: "keyPath: 'id'", EN: ""}, {DE: "endgültig abgelehnt (4xx)", EN: "refused for good (4xx)"}, {DE: "+ status, error, failed_at", EN: ""}}},
		},
		Arrows: []Arrow{
			{From: "posts", To: "page", Code: "readAllData", Label: Text{DE: "Feed ohne Netz", EN: "feed without network"}},
			{From: "sw", To: "posts", Code: "clearAllData, writeData", Label: Text{DE: "Antwort auf GET /posts", EN: "answer to GET /posts"}},
			{From: "page", To: "outbox", Both: true, Code: "writeData, readAllData", Label: Text{DE: "Absenden; App-Start", EN: "submit; app start"}},
			{From: "sw", To: "outbox", Both: true, Code: "readAllData,\ndeleteOneData", Label: Text{DE: "senden; nach 2xx löschen", EN: "send; delete after 2xx"}},
			{From: "outbox", To: "dead", Code: "moveData", Label: Text{DE: "4xx: in einer Transaktion", EN: "4xx: in one transaction"}},
		},
		Frames: []Frame{{Label: Text{DE: "posts-store, DB_VERSION = 2", EN: ""}, Boxes: []string{"posts", "outbox", "dead"}}},
	}
}

// gridFS: what POST /posts stores (backend/posts: Store.Create, upload)
// and how GET /posts/:id/image finds the photo again.
func gridFS() Graph {
	return Graph{
		Title: Text{DE: "Wie das Backend einen Beitrag speichert: Collection posts und GridFS-Bucket posts", EN: "How the backend stores a post: the posts collection and the GridFS bucket posts"},
		Cols:  []float64{160, 180, 160, 160, 300},
		Rows:  []float64{204, 200, 190},
		Boxes: []Box{
			{ID: "client", Col: 0, Row: 0, Style: Actor, Title: Text{DE: "Seite / Worker", EN: "page / worker"}, Lines: []Text{{DE: "feed.js, sw.js", EN: ""}}},
			{ID: "viewer", Col: 0, Row: 2, Style: Actor, Title: Text{DE: "Browser", EN: ""}, Lines: []Text{{DE: "Foto ansehen", EN: "see a photo"}}},
			{ID: "backend", Col: 2, Row: 0, RowSpan: 3, Style: Actor, Title: Text{DE: "Backend :3000", EN: ""}, Lines: []Text{{DE: "backend/api\nbackend/posts", EN: ""}}},
			{ID: "post", Col: 4, Row: 0, Style: Data, Fill: true, Title: Text{DE: "posts", EN: ""},
				Lines: []Text{
					{DE: "ein Dokument je Beitrag", EN: "one document per post"},
					{DE: "_id: ObjectId\ntitle, location\nimage_id\n__v: 0", EN: ""},
					{DE: "GET /posts: image_id als data:-URL", EN: "GET /posts: image_id as a data: URL"},
				}},
			{ID: "files", Col: 4, Row: 1, Style: Data, Fill: true, Title: Text{DE: "posts.files", EN: ""},
				Lines: []Text{
					{DE: "ein Dokument je Foto", EN: "one document per photo"},
					{DE: "_id: ObjectId\nfilename\nlength, uploadDate\nchunkSize: 261120 (255 KiB)\ncontentType: 'image/jpeg'", EN: ""},
				}},
			{ID: "chunks", Col: 4, Row: 2, Style: Data, Fill: true, Title: Text{DE: "posts.chunks", EN: ""},
				Lines: []Text{
					{DE: "n Dokumente je Foto, je ≤ 255 KiB", EN: "n documents per photo, ≤ 255 KiB each"},
					{DE: "_id: ObjectId\nfiles_id\nn: 0, 1, 2, …\ndata: Binary", EN: ""},
				}},
		},
		Arrows: []Arrow{
			{From: "client", To: "backend", Code: "POST /posts\nmultipart/form-data\ntitle, location, file"},
			{From: "backend", To: "files", Label: Text{DE: "1. das Foto:\nChunks, dann files", EN: "1. the photo:\nchunks, then files"}},
			{From: "backend", To: "post", Code: "insertOne", Label: Text{DE: "2. der Beitrag", EN: "2. the post"}},
			{From: "post", To: "files", Code: "image_id = filename"},
			{From: "files", To: "chunks", Code: "_id = files_id"},
			{From: "viewer", To: "backend", Both: true, Code: "GET /posts/:id/image", Label: Text{DE: ":id = _id des Beitrags\n200: das Foto", EN: ":id = the post's _id\n200: the photo"}},
		},
		Frames: []Frame{
			{Label: Text{DE: "MongoDB", EN: ""}, Boxes: []string{"post", "files", "chunks"}},
		},
	}
}
