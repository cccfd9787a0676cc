package studentapp

// Mistakes students make, each as a small patch on checkpoint 07 (the
// chapter's end). CI grades each one and proves that exactly the checks
// that cover the mistake fail.

// TagMismatch: the worker listens for another tag than the page registers.
func TagMismatch() Variant {
	return one("sync tag differs in the worker", "sw.js", "if (event.tag === 'sync-new-post') {", "if (event.tag === 'sync-new-posts') {")
}

// WrongTagRegistered: the page registers the sync task under another name.
func WrongTagRegistered() Variant {
	return one("page registers another tag", "src/js/feed.js", "registration.sync.register('sync-new-post')", "registration.sync.register('sync-new-posts')")
}

// KeyPathDiffers: the outbox store keeps its records under another key than
// the id they carry, so every write fails with a DataError.
func KeyPathDiffers() Variant {
	return one("keyPath of sync-posts differs", "src/js/db.js", "createObjectStore('sync-posts', { keyPath: 'id' })", "createObjectStore('sync-posts', { keyPath: 'key' })")
}

// NoFallback: without SyncManager nothing is sent (the else branch is gone).
func NoFallback() Variant {
	return one("fallback branch missing", "src/js/feed.js", "        sendDataToBackend();\n    }\n", "        // sendDataToBackend();\n    }\n")
}

// NoSnackbar: the confirmation is logged instead of shown.
func NoSnackbar() Variant {
	return one("snackbar not shown", "src/js/feed.js", "toast.MaterialSnackbar.showSnackbar({", "console.log('Snackbar', {")
}

// FormDataWithoutFile: the replay sends the photo under another name.
func FormDataWithoutFile() Variant {
	return one("replay's FormData has no file", "sw.js", "formData.append('file', record.image_id);", "formData.append('image', record.image_id);")
}

// RecordWithoutPhoto: the outbox record keeps no photo.
func RecordWithoutPhoto() Variant {
	return one("outbox record without photo", "src/js/feed.js", "                    image_id: file,\n", "                    image: null,\n")
}

// WrongStoreInWorker: the worker reads a store that does not exist.
func WrongStoreInWorker() Variant {
	return one("worker reads another store", "sw.js", "readAllData('sync-posts')", "readAllData('sync-post')")
}

func one(name, file, old, replacement string) Variant {
	return Variant{Name: name, Patches: []Patch{{File: file, Old: old, New: replacement}}}
}

// NoRegister: the post is written to the outbox, but no sync task is
// registered, so nothing ever sends it.
func NoRegister() Variant {
	return one("no sync registration", "src/js/feed.js", "return registration.sync.register('sync-new-post');", "return Promise.resolve();")
}

// RenamedSaveButton: the form's save button has another id than the
// course's #post-btn (the form still works for a person).
func RenamedSaveButton() Variant {
	return one("save button renamed", "index.html", `<button id="post-btn" type="submit"`, `<button id="save-btn" type="submit"`)
}
