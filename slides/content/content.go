// Package content holds the slide decks in Markdown: de/deck.md and
// en/deck.md (slides separated by "---", speaker notes after "Note:").
package content

import (
	"embed"
	"io/fs"
)

//go:embed de en
var decks embed.FS

// FS returns the decks.
func FS() fs.FS { return decks }
