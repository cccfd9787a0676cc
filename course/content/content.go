// Package content holds the course's chapters in Markdown: one folder per
// language (de, en), one file per chapter (NN-name.md). German is the
// course's first language; every chapter has the same sections, listings
// and pictures in each language.
package content

import (
	"embed"
	"io/fs"
)

//go:embed de en
var chapters embed.FS

// FS returns the chapters.
func FS() fs.FS { return chapters }
