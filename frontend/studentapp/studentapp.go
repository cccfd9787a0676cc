// Package studentapp builds apps that look like what students hand in: a
// checkpoint written out in the course's repository layout (public/ under a
// root with package.json and server.js), with the starting repository's CDN
// links restored, the chapter's other data shapes, or console noise. The
// tests grade these next to the clean checkpoints, so that a verdict is
// shown to be right on real student work too.
//
// Each variant is a list of small text patches applied to a checkpoint; a
// patch that no longer applies is an error, so the fixtures follow the
// checkpoints instead of drifting away from them.
package studentapp

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"synclab/frontend"
)

// Patch replaces Old by New in File (Old must occur exactly once). Else,
// if set, is applied instead when Old does not occur at all: the same
// mistake written into an app whose code has another shape (the course's
// own app, see CourseApp).
type Patch struct {
	File, Old, New string
	Else           *Patch
}

// Variant names a set of patches, and Edits: changes that move code
// around (applied after the patches).
type Variant struct {
	Name    string
	Patches []Patch
	Edits   []func(files map[string]string) error
}

// The CDN addresses of the course's starting repository.
const (
	RobotoCSS = "https://fonts.googleapis.com/css?family=Roboto:400,700"
	IconsCSS  = "https://fonts.googleapis.com/icon?family=Material+Icons"
	MDLCSS    = "https://code.getmdl.io/1.3.0/material.blue_grey-red.min.css"
	OLCSS     = "https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/css/ol.css"
	OLJS      = "https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/build/ol.js"
)

// Made-up outside addresses no mirror knows.
const (
	UnknownCSS = "https://cdn.unknown-cdn.example/theme/2.1.0/theme.css"
	UnknownJS  = "https://static.unknown-cdn.example/widgets/badge.js"
)

func headLinks(page string) []Patch {
	return []Patch{
		{File: page, Old: `  <link rel="stylesheet" href="/src/css/fonts.css">` + "\n",
			New: `  <link href="` + RobotoCSS + `" rel="stylesheet">` + "\n" + `  <link href="` + IconsCSS + `" rel="stylesheet">` + "\n"},
		{File: page, Old: `  <link rel="stylesheet" href="/src/lib/mdl/material.min.css">` + "\n",
			New: `  <link rel="stylesheet" href="` + MDLCSS + `">` + "\n" + `  <link rel="stylesheet" href="` + OLCSS + `" type="text/css">` + "\n"},
	}
}

// CDN restores the starting repository's outside links: Google Fonts,
// getmdl.io and OpenLayers in both pages, and a worker whose install
// handler caches the CDN styles with a cache.addAll it does not wait for.
func CDN() Variant {
	p := append(headLinks("index.html"), headLinks("help/index.html")...)
	p = append(p,
		Patch{File: "index.html", Old: `  <script defer src="/src/js/material.min.js"></script>` + "\n",
			New: `  <script defer src="/src/js/material.min.js"></script>` + "\n" + `  <script src="` + OLJS + `"></script>` + "\n"},
		Patch{File: "sw.js", Old: "            .then(cache => cache.addAll(APP_SHELL))\n",
			New: `            .then(cache => {
                // Fonts and styles from the CDN, as in the starting repository.
                cache.addAll([
                    '` + RobotoCSS + `',
                    '` + IconsCSS + `',
                    '` + MDLCSS + `',
                ]);
                return cache.addAll(APP_SHELL);
            })
`},
	)
	return Variant{Name: "course CDN links", Patches: p}
}

// UnknownCDN adds links to made-up outside hosts that no mirror knows: a
// stylesheet the worker also caches (without waiting), and a script.
func UnknownCDN() Variant {
	return Variant{Name: "unknown CDN links", Patches: []Patch{
		{File: "index.html", Old: `  <link rel="manifest" href="/manifest.webmanifest">` + "\n",
			New: `  <link rel="stylesheet" href="` + UnknownCSS + `">` + "\n" + `  <link rel="manifest" href="/manifest.webmanifest">` + "\n"},
		{File: "index.html", Old: `  <script defer src="/src/js/feed.js"></script>` + "\n",
			New: `  <script defer src="/src/js/feed.js"></script>` + "\n" + `  <script async src="` + UnknownJS + `"></script>` + "\n"},
		{File: "sw.js", Old: "    console.log('service worker: installing', CURRENT_STATIC_CACHE);\n",
			New: "    console.log('service worker: installing', CURRENT_STATIC_CACHE);\n    caches.open('theme').then(cache => cache.addAll(['" + UnknownCSS + "']));\n"},
	}}
}

// Shapes stores the outbox record the other ways the chapter allows: the
// photo in a field named "image", a numeric id, and the replay's FormData
// carrying the id too.
func Shapes() Variant {
	return Variant{Name: "other data shapes", Patches: []Patch{
		{File: "src/js/feed.js", Old: "                    id: new Date().toISOString(),\n", New: "                    id: Date.now(),\n"},
		{File: "src/js/feed.js", Old: "                    image_id: file,\n", New: "                    image: file,\n                    createdBy: 'student',\n"},
		{File: "sw.js", Old: "                        formData.append('file', record.image_id);\n",
			New: "                        formData.append('id', record.id);\n                        formData.append('file', record.image);\n"},
	}}
}

// Noise adds the console output students' apps are full of.
func Noise() Variant {
	return Variant{Name: "console noise", Patches: []Patch{
		{File: "src/js/app.js", Old: "if ('serviceWorker' in navigator) {\n",
			New: "console.log('app.js geladen');\nconsole.warn('TODO: Benachrichtigungen');\nconsole.info({ debug: true, build: 'dev' });\nif ('serviceWorker' in navigator) {\n"},
	}}
}

// Write writes checkpoint id (or CourseApp), patched by the variants, to
// dir in the course's repository layout: dir/package.json, dir/server.js,
// dir/README.md and the app in dir/public/.
func Write(dir, id string, variants ...Variant) error {
	var (
		app fs.FS
		err error
	)
	if id == CourseApp {
		app, err = courseApp()
	} else {
		app, err = frontend.Checkpoint(id)
	}
	if err != nil {
		return err
	}
	files := map[string]string{}
	err = fs.WalkDir(app, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(app, p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("read checkpoint %s: %w", id, err)
	}
	for _, v := range variants {
		for _, p := range v.Patches {
			if err := p.apply(files, id); err != nil {
				return fmt.Errorf("variant %q: %w", v.Name, err)
			}
		}
		for _, edit := range v.Edits {
			if err := edit(files); err != nil {
				return fmt.Errorf("variant %q on %s: %w", v.Name, id, err)
			}
		}
	}
	for p, text := range files {
		if err := writeFile(filepath.Join(dir, "public", filepath.FromSlash(p)), text); err != nil {
			return err
		}
	}
	for name, text := range repoFiles() {
		if err := writeFile(filepath.Join(dir, name), text); err != nil {
			return err
		}
	}
	return nil
}

// apply applies the patch (or its Else) to files of app id.
func (p Patch) apply(files map[string]string, id string) error {
	text, ok := files[p.File]
	if !ok {
		return fmt.Errorf("%s has no %s", id, p.File)
	}
	n := strings.Count(text, p.Old)
	if n == 0 && p.Else != nil {
		return p.Else.apply(files, id)
	}
	if n != 1 {
		return fmt.Errorf("%s of %s holds the text to replace %d times, want once: %q", p.File, id, n, p.Old)
	}
	files[p.File] = strings.Replace(text, p.Old, p.New, 1)
	return nil
}

func writeFile(p, text string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}

// repoFiles returns the files around public/ in the course's repository.
func repoFiles() map[string]string {
	return map[string]string{
		"package.json": `{
  "name": "htw-insta",
  "version": "1.0.0",
  "description": "Progressive Web App für das Modul Web-Entwicklung",
  "scripts": {
    "start": "http-server public -c-1 -p 8080"
  },
  "devDependencies": {
    "http-server": "^14.1.1"
  }
}
`,
		"server.js": `// Startet die App lokal (alternativ: npm start).
const path = require('path');
console.log('Bitte mit "npm start" starten; öffentliche Dateien in', path.join(__dirname, 'public'));
`,
		"README.md":  "# HTW-Insta\n\nMeine Lösung zum Kapitel Hintergrundsynchronisation.\n\n    npm install\n    npm start\n",
		".gitignore": "node_modules/\n",
	}
}

// DeleteWithoutOK is a mistake students make: the replay deletes the record
// whatever the backend answered, so a failed replay loses the post.
func DeleteWithoutOK() Variant {
	return Variant{Name: "delete without response.ok", Patches: []Patch{
		{File: "sw.js",
			Old: "                            if (response.ok) {\n                                deleteOneData('sync-posts', record.id);\n                            }\n",
			New: "                            deleteOneData('sync-posts', record.id);\n",
			Else: &Patch{File: "sw.js",
				Old: "if(response.ok) {\n                                deleteOneData('sync-posts', data.id)\n                            }\n",
				New: "deleteOneData('sync-posts', data.id)\n"}},
	}}
}

// OwnError adds a bug of the student's own after the worker is registered:
// a selector with a typo, so every load ends in an uncaught TypeError.
func OwnError() Variant {
	return Variant{Name: "own uncaught error", Patches: []Patch{
		{File: "src/js/app.js", Old: "        });\n}\n",
			New: "        });\n}\n\ndocument.querySelector('.enable-notification').addEventListener('click', () => Notification.requestPermission());\n"},
	}}
}

// NextFrame is correct code written the way some students write it: the
// submit handler lets the modal's close start drawing
// (requestAnimationFrame) before it stores the post. The checks' tabs
// are hidden, where browsers hold frame callbacks back; the checks must
// still see this post queued and replayed.
func NextFrame() Variant {
	return Variant{Name: "stores the post in the next frame", Patches: []Patch{
		{File: "src/js/feed.js",
			Old: "        navigator.serviceWorker.ready\n            .then(registration => {\n                const post = {\n",
			New: "        new Promise(resolve => requestAnimationFrame(resolve))\n            .then(() => navigator.serviceWorker.ready)\n            .then(registration => {\n                const post = {\n"},
	}}
}

// Workbox is what real student apps of this course do in sw.js: load
// Workbox 6.4.1 from Google's CDN with importScripts and use one of its
// modules (which workbox-sw then loads from the same folder).
func Workbox() Variant {
	return Variant{Name: "Workbox 6.4.1 from Google's CDN", Patches: []Patch{
		{File: "sw.js", Old: "importScripts('/src/js/idb.js');\n",
			New: "importScripts('" + WorkboxSW + "');\nworkbox.core.setCacheNameDetails({ prefix: 'htw-insta' });\nimportScripts('/src/js/idb.js');\n"},
	}}
}

// OpenLayers6141 loads OpenLayers 6.14.1 instead of 6.15.1, as some of the
// course's apps do.
func OpenLayers6141() Variant {
	const from, to = "/en/v6.15.1/", "/en/v6.14.1/"
	return Variant{Name: "OpenLayers 6.14.1", Patches: []Patch{
		{File: "index.html", Old: from + "css/ol.css", New: to + "css/ol.css"},
		{File: "index.html", Old: from + "build/ol.js", New: to + "build/ol.js"},
	}}
}

// WorkboxSW is the Workbox loader the course's apps import.
const WorkboxSW = "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-sw.js"

// UnmirroredWorkerImport imports a script into the worker from an address
// the mirror cannot answer (a Workbox release it does not hold): the worker
// cannot install, which is the environment's failure, not the app's.
func UnmirroredWorkerImport() Variant {
	return Variant{Name: "worker imports an address the mirror lacks", Patches: []Patch{
		{File: "sw.js", Old: "importScripts('/src/js/idb.js');\n",
			New: "importScripts('https://storage.googleapis.com/workbox-cdn/releases/3.6.3/workbox-sw.js');\nimportScripts('/src/js/idb.js');\n"},
	}}
}

// UnmirroredPageScript loads a library the page needs from an address the
// mirror cannot answer (jQuery from its own CDN), and app.js uses it: the
// page throws a ReferenceError, which is the environment's failure.
func UnmirroredPageScript() Variant {
	return Variant{Name: "page needs a script the mirror lacks", Patches: []Patch{
		{File: "index.html", Old: `  <script defer src="/src/js/material.min.js"></script>` + "\n",
			New: `  <script src="https://code.jquery.com/jquery-3.6.0.min.js"></script>` + "\n" + `  <script defer src="/src/js/material.min.js"></script>` + "\n"},
		{File: "src/js/app.js", Old: "if ('serviceWorker' in navigator) {\n",
			New: "$(function () { console.log('jQuery bereit'); });\nif ('serviceWorker' in navigator) {\n"},
	}}
}
