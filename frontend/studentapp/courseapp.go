package studentapp

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"

	"synclab/frontend"
)

// CourseApp names, for Write, the course's own app as a student hands it
// in after the chapter: the starting app as ../shared/reference describes
// it (the photo only from the camera, a file picker without a listener,
// the alerts "Erst Foto aufnehmen!" and "Bitte Titel und Location
// angeben!", scripts loaded with defer, the CDN links, a worker whose
// install handler does not return cache.addAll to waitUntil), with the
// chapter's changes in the shape the chapter teaches them (sw.sync.register,
// a snackbar made with new MaterialSnackbar, the replay in the sync
// handler). Unlike the other fixtures it is not made from a checkpoint, so
// that it does not share the checkpoints' assumptions.
const CourseApp = "course"

//go:embed all:courseapp
var courseAppFiles embed.FS

// courseApp returns the course's app: its own files, and the pictures of
// checkpoint 00 (styling only). idb.js and material.min.js come from the
// libraries, as for every student's folder.
func courseApp() (fs.FS, error) {
	own, err := fs.Sub(courseAppFiles, "courseapp")
	if err != nil {
		return nil, err
	}
	cp, err := frontend.Checkpoint("00")
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for i, src := range []fs.FS{cp, own} {
		err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if i == 0 && !strings.HasPrefix(p, "src/images/") {
				return nil
			}
			b, err := fs.ReadFile(src, p)
			if err != nil {
				return err
			}
			out[p] = &fstest.MapFile{Data: b, Mode: 0o644}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read the course's app: %w", err)
		}
	}
	return out, nil
}
