// Package frontend holds the chapter's app as checkpoints, one per step, and
// composes any step (or a student's folder) with the npm libraries it uses
// into one fs.FS.
package frontend

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"synclab/lang"
)

// sources holds the checkpoints and the metadata. Checkpoint 00 is the whole
// app; every later checkpoint holds only the files its step changes.
//
//go:embed steps.json vendor.json checks.json checkpoints
var sources embed.FS

// Text is a text in German and English (see package lang).
type Text = lang.Text

// Step is one checkpoint of the chapter.
type Step struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   Text   `json:"title"`
	Summary Text   `json:"summary"`
	// Files are the app files this step changes (relative, slash-separated).
	Files []string `json:"files"`
	// ChapterEnd marks the step where the chapter ends.
	ChapterEnd bool `json:"chapter_end,omitempty"`
	// BeyondChapter marks steps the chapter does not have.
	BeyondChapter bool `json:"beyond_chapter,omitempty"`
}

// Steps returns the steps in order.
func Steps() ([]Step, error) {
	b, err := sources.ReadFile("steps.json")
	if err != nil {
		return nil, fmt.Errorf("read steps.json: %w", err)
	}
	var doc struct {
		Steps []Step `json:"steps"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse steps.json: %w", err)
	}
	if len(doc.Steps) == 0 {
		return nil, fmt.Errorf("steps.json lists no steps")
	}
	return doc.Steps, nil
}

// ChapterBounds names, from steps.json, the chapter's last step (the
// step marked chapter_end) and the first step beyond the chapter (the
// robust step, marked beyond_chapter), so that the tools need no step id
// written into their code.
func ChapterBounds() (last, beyond string, err error) {
	steps, err := Steps()
	if err != nil {
		return "", "", err
	}
	for _, s := range steps {
		switch {
		case s.ChapterEnd && last == "":
			last = s.ID
		case s.BeyondChapter && beyond == "":
			beyond = s.ID
		}
	}
	if last == "" || beyond == "" {
		return "", "", fmt.Errorf("steps.json marks no step with chapter_end or none with beyond_chapter")
	}
	if beyond < last {
		return "", "", fmt.Errorf("steps.json: the step beyond the chapter (%s) comes before its end (%s)", beyond, last)
	}
	return last, beyond, nil
}

// ChecksJSON returns checks.json: the chapter's graded checks as data (read
// by the checks command).
func ChecksJSON() ([]byte, error) { return sources.ReadFile("checks.json") }

// Latest is the id that "latest" stands for.
const Latest = "latest"

// FindStep returns the step with the given id ("7" and "07" both work;
// "latest" is the last step).
func FindStep(id string) (Step, error) {
	steps, err := Steps()
	if err != nil {
		return Step{}, err
	}
	if id == Latest {
		return steps[len(steps)-1], nil
	}
	if len(id) == 1 {
		id = "0" + id
	}
	i := slices.IndexFunc(steps, func(s Step) bool { return s.ID == id || s.Slug == id })
	if i < 0 {
		ids := make([]string, len(steps))
		for j, s := range steps {
			ids[j] = s.ID
		}
		return Step{}, lang.Err(lang.Say("no step %q: choose one of %s or %s", "es gibt keinen Schritt %q: wähle einen von %s oder %s", id, strings.Join(ids, ", "), Latest))
	}
	return steps[i], nil
}

// Checkpoint returns the app's own files at step id: the step's files over
// those of every step before it. Libraries from npm are not included (see
// Vendor).
func Checkpoint(id string) (fs.FS, error) {
	step, err := FindStep(id)
	if err != nil {
		return nil, err
	}
	steps, _ := Steps()
	var layers []fs.FS
	for _, s := range steps {
		sub, err := fs.Sub(sources, "checkpoints/"+s.ID)
		if err != nil {
			return nil, err
		}
		if _, err := fs.Stat(sources, "checkpoints/"+s.ID); err == nil {
			layers = append([]fs.FS{sub}, layers...)
		}
		if s.ID == step.ID {
			break
		}
	}
	return Overlay(layers...), nil
}

// StepFiles returns the files stored for step id itself (what it changes).
func StepFiles(id string) ([]string, error) {
	step, err := FindStep(id)
	if err != nil {
		return nil, err
	}
	var files []string
	root := "checkpoints/" + step.ID
	if _, err := fs.Stat(sources, root); err != nil {
		return nil, nil
	}
	err = fs.WalkDir(sources, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, strings.TrimPrefix(p, root+"/"))
		}
		return nil
	})
	return files, err
}
