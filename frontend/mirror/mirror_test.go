package mirror_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/frontend"
	"synclab/frontend/mirror"
)

// openMirror opens the mirror over this repository's npm packages.
func openMirror(t *testing.T) *mirror.Mirror {
	t.Helper()
	dir, err := frontend.NodeModules(context.Background(), frontend.VendorOptions{Install: true}, mirror.Needs()...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mirror.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// TestEveryRow requests each row's example address: it is answered with the
// right content type, and file rows with the package's bytes.
func TestEveryRow(t *testing.T) {
	m := openMirror(t)
	want := map[string]struct {
		typ      string
		file     string // inside node_modules, compared byte for byte
		contains string
	}{
		"https://fonts.googleapis.com/css?family=Roboto:400,700":                                         {typ: "text/css", contains: "font-weight: 700"},
		"https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap":                      {typ: "text/css", contains: "roboto-latin-700-normal.woff2"},
		"https://fonts.googleapis.com/icon?family=Material+Icons":                                        {typ: "text/css", contains: ".material-icons"},
		"https://fonts.gstatic.com/synclab/@fontsource/roboto@5.3.0/files/roboto-latin-700-normal.woff2": {typ: "font/woff2", file: "@fontsource/roboto/files/roboto-latin-700-normal.woff2"},
		"https://code.getmdl.io/1.3.0/material.blue_grey-red.min.css":                                    {typ: "text/css", file: "material-design-lite/dist/material.blue_grey-red.min.css"},
		"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/css/ol.css":       {typ: "text/css", file: "ol/ol.css"},
		"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/build/ol.js":      {typ: "text/javascript", file: ".synclab-mirror/ol@6.15.1/build/ol.js", contains: "globalThis.ol"},
		"https://openlayers.org/en/v6.15.1/css/ol.css":                                                   {typ: "text/css", file: "ol/ol.css"},
		"https://openlayers.org/en/v6.15.1/build/ol.js":                                                  {typ: "text/javascript", file: ".synclab-mirror/ol@6.15.1/build/ol.js"},
		"https://cdn.jsdelivr.net/npm/idb@8.0.4/build/umd.js":                                            {typ: "text/javascript", file: "idb/build/umd.js"},
		"https://unpkg.com/material-design-lite@1.3.0/material.min.js":                                   {typ: "text/javascript", file: "material-design-lite/material.min.js"},
		"https://nominatim.openstreetmap.org/reverse?format=jsonv2&lat=52.4572&lon=13.5262":              {typ: "application/json", contains: `"lat":"52.4572"`},
		"https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-sw.js":                        {typ: "text/javascript", file: "workbox-sw/build/workbox-sw.js", contains: "workbox-cdn/releases/6.4.1"},
		"https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-offline-ga.prod.js":           {typ: "text/javascript", file: "workbox-google-analytics/build/workbox-offline-ga.prod.js"},
	}
	for _, row := range mirror.Table() {
		t.Run(row.Name, func(t *testing.T) {
			w, ok := want[row.Example]
			if !ok {
				t.Fatalf("row %q: its example %s has no expectation in this test", row.Name, row.Example)
			}
			ans, err := m.Answer(row.Example)
			if err != nil {
				t.Fatalf("%s: %v", row.Example, err)
			}
			if ans.Status != 200 || !strings.HasPrefix(ans.Type, w.typ) || len(ans.Body) == 0 || ans.From == "" {
				t.Fatalf("%s: status %d, type %q, %d bytes, from %q; want 200 %s", row.Example, ans.Status, ans.Type, len(ans.Body), ans.From, w.typ)
			}
			if w.file != "" {
				b, err := os.ReadFile(filepath.Join(m.Dir(), w.file))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, ans.Body) {
					t.Fatalf("%s: the answer is not the bytes of %s", row.Example, w.file)
				}
			}
			if w.contains != "" && !bytes.Contains(ans.Body, []byte(w.contains)) {
				t.Fatalf("%s: the answer lacks %q:\n%.400s", row.Example, w.contains, ans.Body)
			}
		})
	}
}

// TestGeneratedCSSPointsIntoTheMirror: every url() of the generated font CSS
// is itself answered by the mirror.
func TestGeneratedCSSPointsIntoTheMirror(t *testing.T) {
	m := openMirror(t)
	for _, addr := range []string{
		"https://fonts.googleapis.com/css?family=Roboto:400,700|Material+Icons",
		"https://fonts.googleapis.com/css2?family=Roboto:ital,wght@0,400;1,700",
		"https://fonts.googleapis.com/icon?family=Material+Icons",
	} {
		ans, err := m.Answer(addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		refs := 0
		for _, part := range strings.Split(string(ans.Body), "url(")[1:] {
			ref, _, _ := strings.Cut(part, ")")
			refs++
			if font, err := m.Answer(ref); err != nil || !strings.HasPrefix(font.Type, "font/") {
				t.Errorf("%s refers to %s, which the mirror does not answer as a font: %v", addr, ref, err)
			}
		}
		if refs == 0 {
			t.Errorf("%s: no url() in\n%s", addr, ans.Body)
		}
	}
}

// TestMisses: addresses the mirror must not answer, each with its reason.
func TestMisses(t *testing.T) {
	m := openMirror(t)
	for _, tc := range []struct{ addr, reason string }{
		{"https://cdn.example-cdn.dev/lib.js", "does not know"},
		{"https://code.getmdl.io/1.2.1/material.indigo-pink.min.css", "asks for version 1.2.1"},
		{"https://cdn.jsdelivr.net/npm/idb@7.1.1/build/umd.js", "asks for version 7.1.1"},
		{"https://cdn.jsdelivr.net/npm/left-pad@1.3.0/index.js", "not installed"},
		{"https://unpkg.com/idb@8.0.4/no/such/file.js", "no file"},
		{"https://unpkg.com/idb@8.0.4/..%2F..%2Fetc%2Fpasswd", "not a file path"},
		{"https://fonts.googleapis.com/css?family=Comic+Neue", "@fontsource/comic-neue is not installed"},
		{"https://fonts.googleapis.com/css?family=Roboto:950", "no weight 950"},
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v7.1.0/build/ol.js", "asks for version 7.1.0"},
		{"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v7.1.0/css/ol.css", "the mirror has ol@6.15.1, ol@6.14.1"},
		{"https://storage.googleapis.com/workbox-cdn/releases/7.0.0/workbox-sw.js", "asks for version 7.0.0"},
		{"https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-nonesuch.prod.js", "does not know"},
		{"https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-core.prod.js.gz", "no file"},
		{"https://code.getmdl.io/1.3.0/material.plaid-tartan.min.css", `no colour theme "plaid-tartan"`},
		{"https://cdn.jsdelivr.net/npm/ol-6.14.1@6.14.1/ol.css", "ol-6.14.1 is not installed"},
	} {
		_, err := m.Answer(tc.addr)
		var miss *mirror.Miss
		if !errors.As(err, &miss) {
			t.Errorf("%s: want a miss, got %v", tc.addr, err)
			continue
		}
		if !strings.Contains(miss.Reason, tc.reason) {
			t.Errorf("%s: reason %q, want it to say %q", tc.addr, miss.Reason, tc.reason)
		}
	}
}

func TestVersionMatches(t *testing.T) {
	for _, tc := range []struct {
		installed, asked string
		want             bool
	}{
		{"1.3.0", "1.3.0", true},
		{"1.3.0", "1.3", true},
		{"1.3.0", "1", true},
		{"1.3.0", "latest", true},
		{"6.15.1", "v6.15.1", true},
		{"1.3.0", "1.30", false},
		{"1.3.0", "1.2.1", false},
		{"11.0.0", "1", false},
	} {
		if got := mirror.VersionMatches(tc.installed, tc.asked); got != tc.want {
			t.Errorf("VersionMatches(%q, %q) = %v, want %v", tc.installed, tc.asked, got, tc.want)
		}
	}
}
