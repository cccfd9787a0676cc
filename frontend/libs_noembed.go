//go:build !synclab_embed

package frontend

import "io/fs"

// EmbeddedLibraries returns the npm libraries built into the program and
// true, in a build with -tags synclab_embed (go install -tags synclab_embed
// ./checks/synclab-checks after "npm ci" in frontend/). This build carries
// none: it returns nil and false, and the libraries are read from a
// node_modules folder (see Libraries).
func EmbeddedLibraries() (fs.FS, bool) { return nil, false }
