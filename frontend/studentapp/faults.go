package studentapp

import (
	"fmt"
	"strings"
)

// Mistakes students make, each as a small patch on checkpoint 07 (the
// chapter's end) and, where its code has another shape, on the course's
// own app (CourseApp). CI grades each one on both and proves that exactly
// the checks that cover the mistake fail.

// TagMismatch: the worker listens for another tag than the page registers.
func TagMismatch() Variant {
	return one("sync tag differs in the worker", "sw.js", "if (event.tag === 'sync-new-post') {", "if (event.tag === 'sync-new-posts') {").
		orElse("if(event.tag === 'sync-new-post') {", "if(event.tag === 'sync-new-posts') {")
}

// WrongTagRegistered: the page registers the sync task under another name.
func WrongTagRegistered() Variant {
	return one("page registers another tag", "src/js/feed.js", "registration.sync.register('sync-new-post')", "registration.sync.register('sync-new-posts')").
		orElse("sw.sync.register('sync-new-post')", "sw.sync.register('sync-new-posts')")
}

// KeyPathDiffers: the outbox store keeps its records under another key than
// the id they carry, so every write fails with a DataError.
func KeyPathDiffers() Variant {
	return one("keyPath of sync-posts differs", "src/js/db.js", "createObjectStore('sync-posts', { keyPath: 'id' })", "createObjectStore('sync-posts', { keyPath: 'key' })").
		orElse("keyPath: 'id'", "keyPath: 'key'")
}

// NoFallback: without SyncManager nothing is sent (the else branch is gone).
func NoFallback() Variant {
	return one("fallback branch missing", "src/js/feed.js", "        sendDataToBackend();\n    }\n", "        // sendDataToBackend();\n    }\n")
}

// NoSnackbar: the confirmation is logged instead of shown.
func NoSnackbar() Variant {
	return one("snackbar not shown", "src/js/feed.js", "toast.MaterialSnackbar.showSnackbar({", "console.log('Snackbar', {").
		orElse("snackbarContainer.showSnackbar(data);", "console.log('Snackbar', data);")
}

// SnackbarOnlyAtLoad: the page greets with a snackbar when it loads, and
// the submit only logs its confirmation: a message shown before the
// submit does not confirm it.
func SnackbarOnlyAtLoad() Variant {
	v := NoSnackbar()
	v.Name = "snackbar only when the page loads"
	v.Patches = append(v.Patches, Patch{File: "src/js/app.js", Old: "if ('serviceWorker' in navigator) {\n",
		New: "window.addEventListener('load', () => setTimeout(() => {\n" +
			"    const toast = document.querySelector('#confirmation-toast');\n" +
			"    if (toast && toast.MaterialSnackbar) toast.MaterialSnackbar.showSnackbar({ message: 'Willkommen zurück!' });\n" +
			"}, 0));\n" +
			"if ('serviceWorker' in navigator) {\n"})
	return v
}

// FormDataWithoutFile: the replay sends the photo under another name.
func FormDataWithoutFile() Variant {
	return one("replay's FormData has no file", "sw.js", "formData.append('file', record.image_id);", "formData.append('image', record.image_id);").
		orElse("formData.append('file', data.image_id);", "formData.append('image', data.image_id);")
}

// RecordWithoutPhoto: the outbox record keeps no photo.
func RecordWithoutPhoto() Variant {
	return one("outbox record without photo", "src/js/feed.js", "                    image_id: file,\n", "                    image: null,\n").
		orElse("image_id: file ", "image: null ")
}

// WrongStoreInWorker: the worker reads a store that does not exist.
func WrongStoreInWorker() Variant {
	return one("worker reads another store", "sw.js", "readAllData('sync-posts')", "readAllData('sync-post')")
}

func one(name, file, old, replacement string) Variant {
	return Variant{Name: name, Patches: []Patch{{File: file, Old: old, New: replacement}}}
}

// orElse gives the variant's one patch the same mistake for code of
// another shape (see Patch.Else).
func (v Variant) orElse(old, replacement string) Variant {
	p := v.Patches[0]
	p.Else = &Patch{File: p.File, Old: old, New: replacement}
	v.Patches = []Patch{p}
	return v
}

// SyncHandlerInPage is a mistake seen in real student code of this
// course: the sync handler is written in a page script (feed.js, where
// self is the window) instead of the service worker, so the worker never
// replays anything and the page's listener never hears a sync event.
func SyncHandlerInPage() Variant {
	return Variant{Name: "sync handler in feed.js instead of sw.js", Edits: []func(map[string]string) error{
		func(files map[string]string) error {
			const start = "self.addEventListener('sync'"
			sw := files["sw.js"]
			i := strings.Index(sw, start)
			if i < 0 || strings.Count(sw, start) != 1 {
				return fmt.Errorf("sw.js has %d sync handlers, want one", strings.Count(sw, start))
			}
			handler := sw[i:]
			// The handler ends the worker in the course's app and in the
			// checkpoints (before a closing region marker, which stays).
			if j := strings.Index(handler, "\n// #endregion"); j >= 0 {
				handler = handler[:j+1]
			}
			files["sw.js"] = strings.Replace(sw, handler, "", 1)
			files["src/js/feed.js"] += "\n// Hintergrundsynchronisation\n" + handler
			return nil
		},
	}}
}

// NoRegister: the post is written to the outbox, but no sync task is
// registered, so nothing ever sends it.
func NoRegister() Variant {
	return one("no sync registration", "src/js/feed.js", "return registration.sync.register('sync-new-post');", "return Promise.resolve();").
		orElse("return sw.sync.register('sync-new-post');", "return Promise.resolve();")
}

// SaysSyncIsDisabled: instead of registering, the submit rejects with the
// words of a browser that has no Background Sync, as if the browser had
// refused. The checks ask the browser, and blame the app, not the
// environment, when the browser does Background Sync.
func SaysSyncIsDisabled() Variant {
	const claim = "return Promise.reject(new DOMException('Background Sync is disabled.', 'UnknownError'));"
	return one("says Background Sync is disabled", "src/js/feed.js", "return registration.sync.register('sync-new-post');", claim).
		orElse("return sw.sync.register('sync-new-post');", claim)
}

// RenamedSaveButton: the form's save button has another id than the
// course's #post-btn (the form still works for a person).
func RenamedSaveButton() Variant {
	return one("save button renamed", "index.html", `<button id="post-btn" type="submit"`, `<button id="save-btn" type="submit"`).
		orElse(`type="submit" id="post-btn"`, `type="submit" id="save-btn"`)
}

// Mistakes in the robust step, each a patch on checkpoint 08 that only one
// robust check catches.

// OutboxLockNeverReleased: the replay marks a record as being sent, so that
// two replays never send it at once, and takes the mark off when sending
// fails. A worker stopped in the middle of the replay never takes it off:
// every later replay skips the post, which stays in the outbox for good.
func OutboxLockNeverReleased() Variant {
	return Variant{Name: "outbox mark a stopped worker never clears", Patches: []Patch{
		{File: "src/js/outbox.js", Old: `    for (const record of records) {
        let response;
        try {
            response = await sendOutboxRecord(record);
        } catch (err) {
`, New: `    for (const record of records) {
        if (record.sending) {
            continue; // another replay is sending it
        }
        await writeData(OUTBOX_STORE, Object.assign({}, record, { sending: true }));
        let response;
        try {
            response = await sendOutboxRecord(record);
        } catch (err) {
            await writeData(OUTBOX_STORE, record);
`},
		{File: "src/js/outbox.js", Old: `        } else {
            console.log('outbox: backend answered', response.status, 'for', record.id, '- will retry');
`, New: `        } else {
            await writeData(OUTBOX_STORE, record);
            console.log('outbox: backend answered', response.status, 'for', record.id, '- will retry');
`},
	}}
}

// ActivateClearsOutbox: the new worker's activate handler clears the
// app's IndexedDB stores "to start clean", the outbox among them. On the
// first install the outbox is empty; on an update it holds the posts that
// wait for their sync.
func ActivateClearsOutbox() Variant {
	return one("activate clears the outbox", "sw.js", "            .then(() => self.clients.claim())\n",
		"            .then(() => clearAllData('sync-posts'))\n            .then(() => self.clients.claim())\n")
}

// LastChanceDropsPost: when the browser's last attempt fails, the handler
// empties the outbox so that nothing waits forever, and the post is lost.
func LastChanceDropsPost() Variant {
	return one("last chance drops the post", "sw.js", "                    return tellClients({ type: 'sync-gave-up', reason: err.message })\n",
		"                    return clearAllData('sync-posts')\n                        .then(() => tellClients({ type: 'sync-gave-up', reason: err.message }))\n")
}
