//go:build synclab_embed

package frontend

import (
	"embed"
	"io/fs"
)

// embeddedLibraries is the part of node_modules that Sync Lab serves: the
// files vendor.json maps, the packages the CDN mirror answers from (only the
// files it can send: built scripts, CSS, the Latin font files its generated
// CSS refers to, package.json for the versions) and what the install step
// built into .synclab-mirror. Sources, tests, TypeScript declarations and
// the development tools (esbuild) stay out. The material-design-lite colour
// themes are made from the template (see mirror's mdlFile), not carried.
//
//go:embed node_modules/idb/package.json node_modules/idb/build/*.js node_modules/idb/build/*.cjs
//go:embed node_modules/material-design-lite/package.json node_modules/material-design-lite/material.min.js node_modules/material-design-lite/material.min.css
//go:embed node_modules/material-design-lite/dist/material.min.js node_modules/material-design-lite/dist/material.min.css node_modules/material-design-lite/dist/material.min.css.template
//go:embed node_modules/material-design-lite/dist/material.teal-amber.min.css
//go:embed node_modules/material-icons/package.json node_modules/material-icons/iconfont/*.woff2 node_modules/material-icons/iconfont/*.css
//go:embed node_modules/@fontsource/*/package.json node_modules/@fontsource/*/files/*-latin-[0-9]*.woff2
//go:embed node_modules/ol/package.json node_modules/ol/ol.css node_modules/ol-*/package.json node_modules/ol-*/ol.css
//go:embed node_modules/workbox-*/package.json node_modules/workbox-*/build
//go:embed all:node_modules/.synclab-mirror
var embeddedLibraries embed.FS

// EmbeddedLibraries returns the npm libraries built into the program, as a
// tree shaped like frontend/node_modules, and true. This build carries them
// (-tags synclab_embed, after "npm ci" in frontend/).
func EmbeddedLibraries() (fs.FS, bool) {
	libs, err := fs.Sub(embeddedLibraries, "node_modules")
	if err != nil {
		return nil, false
	}
	return libs, true
}
