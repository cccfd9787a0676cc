package grading

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"synclab/checks/output"
	"synclab/lang"
)

// MixedVersionsError says that an output folder holds grades of another
// Sync Lab or browser than the grading about to write there.
type MixedVersionsError struct {
	Dir   string
	Found []output.Versions
	Now   output.Versions
}

func (e *MixedVersionsError) Error() string { return e.Text().EN }

// Text says it in both languages, with what to do.
func (e *MixedVersionsError) Text() lang.Text {
	var found []string
	for _, v := range e.Found {
		found = append(found, v.String())
	}
	if len(found) == 0 {
		found = []string{"?"}
	}
	return lang.Say("%s already holds grades of %s; this grading runs %s. Grades of different versions in one class are not comparable: choose another -out folder, or give -allow-mixed-versions to write there anyway (-compare %s shows what changed)",
		"%s enthält schon Noten von %s; diese Bewertung läuft mit %s. Noten verschiedener Versionen in einer Klasse sind nicht vergleichbar: wähle einen anderen Ordner für -out oder gib -allow-mixed-versions an, um trotzdem dorthin zu schreiben (-compare %s zeigt, was sich geändert hat)",
		e.Dir, strings.Join(found, "; "), e.Now.String(), e.Dir)
}

// CheckOutputFolder refuses to write a grading of the versions now into
// dir when dir already holds grades (grades.json, or submission folders
// that the new grading would sit beside) of other versions, or of
// versions it did not record. An empty or missing folder is fine.
func CheckOutputFolder(dir string, now output.Versions) error {
	old, err := ReadPrevious(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		entries, _ := os.ReadDir(filepath.Join(dir, "submissions"))
		if len(entries) == 0 {
			return nil
		}
		// Submission folders without grades.json: written by something
		// that recorded no versions.
		return &MixedVersionsError{Dir: dir, Now: now}
	case err != nil:
		return err
	}
	var found []output.Versions
	mixed := false
	for _, g := range old {
		if !g.Versions.Same(now) {
			mixed = true
		}
		if !slices.Contains(found, g.Versions) {
			found = append(found, g.Versions)
		}
	}
	if !mixed {
		return nil
	}
	return &MixedVersionsError{Dir: dir, Found: found, Now: now}
}
