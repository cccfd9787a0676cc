package mirror_test

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"synclab/frontend/mirror"
)

// TestWorkboxFromGooglesCDN requests, at 6.4.1, every module that
// workbox-sw.js itself knows (read from its source), in the production and
// the debug build and their source maps, plus workbox-sw's own map and
// workbox-window: each is the file of the package's build folder.
func TestWorkboxFromGooglesCDN(t *testing.T) {
	m := openMirror(t)
	src, err := os.ReadFile(filepath.Join(m.Dir(), "workbox-sw", "build", "workbox-sw.js"))
	if err != nil {
		t.Fatal(err)
	}
	// workbox-sw maps its properties to file names: {backgroundSync:"background-sync",…}.
	mapping := regexp.MustCompile(`\{(?:[a-zA-Z]+:"[a-z-]+",?)+\}`).Find(src)
	modules := regexp.MustCompile(`[a-zA-Z]+:"([a-z-]+)"`).FindAllSubmatch(mapping, -1)
	if len(modules) < 10 {
		t.Fatalf("found only %d modules in workbox-sw.js", len(modules))
	}
	packageOf := func(module string) string {
		if module == "offline-ga" {
			return "workbox-google-analytics"
		}
		return "workbox-" + module
	}
	files := map[string]string{ // address file → package
		"workbox-sw.js": "workbox-sw", "workbox-sw.js.map": "workbox-sw",
		"workbox-window.prod.umd.js": "workbox-window", "workbox-window.dev.mjs": "workbox-window",
	}
	for _, mod := range modules {
		name := string(mod[1])
		for _, suffix := range []string{".prod.js", ".dev.js", ".prod.js.map", ".dev.js.map"} {
			files["workbox-"+name+suffix] = packageOf(name)
		}
	}
	for file, pkg := range files {
		t.Run(file, func(t *testing.T) {
			addr := "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/" + file
			ans, err := m.Answer(addr)
			if err != nil {
				t.Fatalf("%s: %v", addr, err)
			}
			want, err := os.ReadFile(filepath.Join(m.Dir(), pkg, "build", file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ans.Body, want) || ans.From != pkg+"@6.4.1/build/"+file {
				t.Fatalf("%s: %d bytes from %q, want %s/build/%s", addr, len(ans.Body), ans.From, pkg, file)
			}
			wantType := map[string]string{".js": "text/javascript", ".mjs": "text/javascript", ".map": "application/json"}[path.Ext(file)]
			if !strings.HasPrefix(ans.Type, wantType) {
				t.Errorf("%s: type %q, want %s", addr, ans.Type, wantType)
			}
		})
	}
}

// TestTwoVersionsOfOpenLayers: 6.14.1 (installed as the alias ol-6.14.1)
// and 6.15.1 are both answered, each from its own package and build.
func TestTwoVersionsOfOpenLayers(t *testing.T) {
	m := openMirror(t)
	for _, tc := range []struct{ addr, file, from string }{
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.14.1/css/ol.css", "ol-6.14.1/ol.css", "ol@6.14.1/ol.css"},
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.14.1/build/ol.js", ".synclab-mirror/ol@6.14.1/build/ol.js", "ol@6.14.1, built at install"},
		{"https://openlayers.org/en/v6.14.1/build/ol.js", ".synclab-mirror/ol@6.14.1/build/ol.js", "ol@6.14.1, built at install"},
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/css/ol.css", "ol/ol.css", "ol@6.15.1/ol.css"},
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/build/ol.js", ".synclab-mirror/ol@6.15.1/build/ol.js", "ol@6.15.1, built at install"},
		{"https://cdn.jsdelivr.net/npm/ol@6.14.1/ol.css", "ol-6.14.1/ol.css", "ol@6.14.1/ol.css"},
		{"https://openlayers.org/en/v6/build/ol.js", ".synclab-mirror/ol@6.15.1/build/ol.js", "ol@6.15.1, built at install"},
	} {
		ans, err := m.Answer(tc.addr)
		if err != nil {
			t.Errorf("%s: %v", tc.addr, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join(m.Dir(), tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ans.Body, want) || !strings.HasPrefix(ans.From, tc.from) {
			t.Errorf("%s: %d bytes from %q, want the bytes of %s from %s", tc.addr, len(ans.Body), ans.From, tc.file, tc.from)
		}
		if strings.HasSuffix(tc.addr, ".js") && !bytes.Contains(ans.Body, []byte("globalThis.ol")) {
			t.Errorf("%s: not the classic build with the global ol", tc.addr)
		}
	}
	if got := m.Versions("ol"); strings.Join(got, " ") != "6.15.1 6.14.1" {
		t.Errorf("Versions(ol) = %v, want [6.15.1 6.14.1]", got)
	}
	if got := m.Version("ol"); got != "6.15.1" {
		t.Errorf("Version(ol) = %q, want the one under its own name", got)
	}
}

// TestGoogleFonts asks both CSS APIs for the families students use: each
// answer names the family, and every url() in it is a font the mirror has.
func TestGoogleFonts(t *testing.T) {
	m := openMirror(t)
	for _, tc := range []struct{ family, v1, v2 string }{
		{"Open Sans", "Open+Sans:300,400,700", "Open+Sans:ital,wght@0,400;0,700;1,400"},
		{"Lato", "Lato:400,700,400italic", "Lato:wght@300;400;700"},
		{"Montserrat", "Montserrat", "Montserrat:wght@400;600"},
		{"Poppins", "Poppins:400,500,600", "Poppins:wght@400;500;600&display=swap"},
		{"Raleway", "Raleway:300,400", "Raleway"},
		{"Oswald", "Oswald:400,700", "Oswald:wght@500"},
		{"Noto Sans", "Noto+Sans", "Noto+Sans:wght@400;700"},
		{"Inter", "Inter:400,700", "Inter:wght@400"},
		{"Nunito", "Nunito:400,700", "Nunito:wght@300"},
		{"Ubuntu", "Ubuntu:400,700", "Ubuntu:ital,wght@1,400"},
		{"Playfair Display", "Playfair+Display:700", "Playfair+Display:wght@400;900"},
		{"Merriweather", "Merriweather:400,700", "Merriweather:wght@300"},
		{"PT Sans", "PT+Sans:400,700", "PT+Sans"},
		{"Source Sans Pro", "Source+Sans+Pro:400,600", "Source+Sans+Pro:wght@400;700"},
		{"Lobster", "Lobster", "Lobster"},
	} {
		for _, addr := range []string{
			"https://fonts.googleapis.com/css?family=" + tc.v1,
			"https://fonts.googleapis.com/css2?family=" + tc.v2,
		} {
			ans, err := m.Answer(addr)
			if err != nil {
				t.Errorf("%s: %v", addr, err)
				continue
			}
			if !strings.Contains(string(ans.Body), "font-family: '"+tc.family+"'") {
				t.Errorf("%s: the CSS does not name %q:\n%s", addr, tc.family, ans.Body)
			}
			for _, part := range strings.Split(string(ans.Body), "url(")[1:] {
				ref, _, _ := strings.Cut(part, ")")
				if font, err := m.Answer(ref); err != nil || font.Type != "font/woff2" {
					t.Errorf("%s refers to %s, which the mirror does not answer as a font: %v", addr, ref, err)
				}
			}
		}
	}
}

// TestMDLThemesFromTheTemplate: with the theme files hidden (as in the
// libraries built into the program), every colour theme of
// material-design-lite is made from the template byte for byte.
func TestMDLThemesFromTheTemplate(t *testing.T) {
	disk := openMirror(t)
	themes, err := filepath.Glob(filepath.Join(disk.Dir(), "material-design-lite", "dist", "material.*-*.min.css"))
	if err != nil || len(themes) < 200 {
		t.Fatalf("found %d theme files: %v", len(themes), err)
	}
	m := mirror.NewFS(hide{FS: disk.FS(), hidden: regexp.MustCompile(`^material-design-lite/dist/material\.[a-z_]+-[a-z_]+\.min\.css$`)})
	for _, file := range themes {
		addr := "https://code.getmdl.io/1.3.0/" + filepath.Base(file)
		ans, err := m.Answer(addr)
		if err != nil {
			t.Errorf("%s: %v", addr, err)
			continue
		}
		want, _ := os.ReadFile(file)
		if !bytes.Equal(ans.Body, want) || !strings.Contains(ans.From, "made from dist/material.min.css.template") {
			t.Errorf("%s: made %d bytes (from %q), not the %d of %s", addr, len(ans.Body), ans.From, len(want), filepath.Base(file))
		}
	}
	// With the files there, the file itself is the answer.
	ans, err := disk.Answer("https://code.getmdl.io/1.3.0/material.indigo-pink.min.css")
	if err != nil || ans.From != "material-design-lite@1.3.0/dist/material.indigo-pink.min.css" {
		t.Errorf("with the theme files installed: from %q, %v", ans.From, err)
	}
}

// TestNewFS: a mirror over any node_modules-shaped fs.FS answers from it.
func TestNewFS(t *testing.T) {
	m := mirror.NewFS(fstest.MapFS{
		"idb/package.json":       {Data: []byte(`{"name":"idb","version":"8.0.4"}`)},
		"idb/build/umd.js":       {Data: []byte("umd")},
		"idb-7.1.1/package.json": {Data: []byte(`{"name":"idb","version":"7.1.1"}`)},
		"idb-7.1.1/build/umd.js": {Data: []byte("umd 7")},
		"idb-x/package.json":     {Data: []byte(`{"name":"idb-x","version":"7.1.1"}`)},
	})
	for addr, want := range map[string]string{
		"https://unpkg.com/idb@8.0.4/build/umd.js": "umd",
		"https://unpkg.com/idb@7/build/umd.js":     "umd 7",
	} {
		ans, err := m.Answer(addr)
		if err != nil || string(ans.Body) != want {
			t.Errorf("%s = %q, %v; want %q", addr, ans.Body, err, want)
		}
	}
	if m.Dir() != "" || m.Close() != nil {
		t.Error("a mirror over an fs.FS has no folder and nothing to close")
	}
}

// hide is an fs.FS without the files whose names match hidden.
type hide struct {
	fs.FS
	hidden *regexp.Regexp
}

func (h hide) Open(name string) (fs.File, error) {
	if h.hidden.MatchString(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return h.FS.Open(name)
}
