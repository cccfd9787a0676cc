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

// RenamedSaveButton: the form's save button has another id than the
// course's #post-btn (the form still works for a person).
func RenamedSaveButton() Variant {
	return one("save button renamed", "index.html", `<button id="post-btn" type="submit"`, `<button id="save-btn" type="submit"`).
		orElse(`type="submit" id="post-btn"`, `type="submit" id="save-btn"`)
}
