package frontend

import (
	"context"
	"io/fs"
	"os"
)

// BuiltInLibraries names the libraries built into the program in messages
// (see EmbeddedLibraries).
const BuiltInLibraries = "the libraries built into this program"

// Libraries returns the npm libraries as a tree shaped like a node_modules
// folder ("idb/build/umd.js", "ol/ol.css", …), and the folder it is when it
// is one ("" for the libraries built into the program). They are looked for
// in this order: o.NodeModules, the environment variable
// SYNCLAB_NODE_MODULES, the libraries built into the program (a build with
// -tags synclab_embed, see EmbeddedLibraries), this repository's
// frontend/node_modules found from the working directory upwards (running
// "npm ci" first when o.Install is set and a file named in need is missing).
func Libraries(ctx context.Context, o VendorOptions, need ...string) (fs.FS, string, error) {
	if o.NodeModules == "" && os.Getenv(NodeModulesEnv) == "" {
		if libs, ok := EmbeddedLibraries(); ok {
			if missing := missingFrom(libs, need); len(missing) > 0 {
				return nil, "", &MissingLibrariesError{Dir: BuiltInLibraries, Missing: missing,
					Reason: `the program was built without them: run "npm ci" in frontend/, then build it again with -tags synclab_embed`}
			}
			return libs, "", nil
		}
	}
	dir, err := NodeModules(ctx, o, need...)
	if err != nil {
		return nil, "", err
	}
	return os.DirFS(dir), dir, nil
}
