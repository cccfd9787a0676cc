// Package content holds the course's texts in Markdown: the chapters, one
// folder per language (de, en), one file per chapter (NN-name.md), and the
// slide decks (decks/LANG/deck.md: slides separated by "---", speaker
// notes after "Note:"). German is the course's first language; every
// chapter and deck has the same sections, listings and pictures in each
// language. The slides command reads its decks from here; nothing under
// course/ imports slides/.
package content

import (
	"embed"
	"io/fs"
)

//go:embed de en
var chapters embed.FS

//go:embed decks
var decks embed.FS

// FS returns the chapters.
func FS() fs.FS { return chapters }

// Decks returns the slide decks as de/deck.md and en/deck.md.
func Decks() fs.FS {
	sub, err := fs.Sub(decks, "decks")
	if err != nil {
		panic(err) // "decks" is a valid path; fs.Sub fails only on invalid ones
	}
	return sub
}
