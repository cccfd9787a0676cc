//go:build synclab_embed

package mirror_test

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"synclab/frontend"
	"synclab/frontend/mirror"
)

// embedded opens the mirror over the libraries built into the test binary.
func embedded(t *testing.T) (*mirror.Mirror, fs.FS) {
	t.Helper()
	libs, ok := frontend.EmbeddedLibraries()
	if !ok {
		t.Fatal("a build with -tags synclab_embed carries no libraries")
	}
	return mirror.NewFS(libs), libs
}

// TestEmbeddedLibrariesAnswerTheTable: the libraries built into the program
// answer every row's example, the Workbox modules, both OpenLayers versions,
// every MDL colour theme and the fonts, each exactly as the installed
// packages in frontend/node_modules do.
func TestEmbeddedLibrariesAnswerTheTable(t *testing.T) {
	m, _ := embedded(t)
	disk := openMirror(t)
	addrs := []string{
		"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.14.1/css/ol.css",
		"https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.14.1/build/ol.js",
		"https://fonts.googleapis.com/css?family=Open+Sans:400,700|Lato|Montserrat:600|Poppins|Raleway",
		"https://fonts.googleapis.com/css2?family=Open+Sans:wght@400;700&family=Poppins:ital,wght@1,400",
		"https://fonts.gstatic.com/synclab/@fontsource/open-sans@5.3.0/files/open-sans-latin-700-normal.woff2",
		"https://code.getmdl.io/1.3.0/material.min.css",
		"https://code.getmdl.io/1.3.0/material.min.js",
	}
	for _, row := range mirror.Table() {
		addrs = append(addrs, row.Example)
	}
	for _, mod := range []string{"sw.js", "core", "routing", "strategies", "precaching", "background-sync", "expiration",
		"cacheable-response", "broadcast-update", "navigation-preload", "range-requests", "streams", "recipes", "offline-ga"} {
		if mod == "sw.js" {
			addrs = append(addrs, "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-sw.js")
			continue
		}
		for _, suffix := range []string{".prod.js", ".dev.js", ".dev.js.map"} {
			addrs = append(addrs, "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-"+mod+suffix)
		}
	}
	themes, _ := filepath.Glob(filepath.Join(disk.Dir(), "material-design-lite", "dist", "material.*-*.min.css"))
	if len(themes) < 200 {
		t.Fatalf("found only %d MDL theme files", len(themes))
	}
	for _, file := range themes {
		addrs = append(addrs, "https://code.getmdl.io/1.3.0/"+filepath.Base(file))
	}
	for _, addr := range addrs {
		got, err := m.Answer(addr)
		if err != nil {
			t.Errorf("embedded: %v", err)
			continue
		}
		want, err := disk.Answer(addr)
		if err != nil {
			t.Errorf("node_modules: %v", err)
			continue
		}
		if got.Status != want.Status || got.Type != want.Type || !bytes.Equal(got.Body, want.Body) {
			t.Errorf("%s: embedded %d %s %d bytes (from %s), node_modules %d %s %d bytes (from %s)",
				addr, got.Status, got.Type, len(got.Body), got.From, want.Status, want.Type, len(want.Body), want.From)
		}
	}
}

// TestEmbeddedLibrariesHoldTheVendoredFiles: every file vendor.json maps is
// built in, with the bytes of the installed package, and frontend.Vendor and
// mirror.Load use the built-in libraries when nothing else is set.
func TestEmbeddedLibrariesHoldTheVendoredFiles(t *testing.T) {
	_, libs := embedded(t)
	disk := openMirror(t)
	files, err := frontend.VendorFiles()
	if err != nil {
		t.Fatal(err)
	}
	for appPath, pkgPath := range files {
		got, err := fs.ReadFile(libs, pkgPath)
		if err != nil {
			t.Errorf("%s (%s): %v", appPath, pkgPath, err)
			continue
		}
		want, err := fs.ReadFile(disk.FS(), pkgPath)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: the built-in %s is not the installed file (%v)", appPath, pkgPath, err)
		}
	}

	t.Setenv(frontend.NodeModulesEnv, "")
	t.Chdir(t.TempDir()) // no repository here
	_, dir, err := frontend.Libraries(context.Background(), frontend.VendorOptions{}, mirror.Needs()...)
	if err != nil || dir != "" {
		t.Fatalf("Libraries outside the repository = %q, %v; want the built-in libraries", dir, err)
	}
	vendor, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(vendor, "src/js/idb.js"); err != nil || !bytes.Contains(b, []byte("openDB")) {
		t.Errorf("Vendor outside the repository: src/js/idb.js: %v", err)
	}
	m, err := mirror.Load(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Answer("https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-sw.js"); err != nil || m.Dir() != "" {
		t.Errorf("Load outside the repository: dir %q, %v", m.Dir(), err)
	}
}

// TestEmbeddedLibrariesCarryOnlyWhatIsServed: no development tools, package
// sources, tests or TypeScript declarations; the size is logged.
func TestEmbeddedLibrariesCarryOnlyWhatIsServed(t *testing.T) {
	_, libs := embedded(t)
	var files, size int64
	err := fs.WalkDir(libs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += info.Size()
		first, _, _ := strings.Cut(p, "/")
		switch {
		case first == "esbuild" || first == "@esbuild" || first == ".bin":
			t.Errorf("%s: a development tool is built in", p)
		case strings.HasSuffix(p, ".d.ts") || strings.HasSuffix(p, ".ts") || strings.Contains(p, "/src/") || strings.Contains(p, "/test/"):
			t.Errorf("%s: sources, tests or declarations are built in", p)
		case strings.Contains(p, "/node_modules/"):
			t.Errorf("%s: a nested dependency is built in", p)
		case path.Base(p) != "package.json" && strings.HasPrefix(p, "material-design-lite/dist/material.") && strings.Count(path.Base(p), "-") == 1 && p != "material-design-lite/dist/material.teal-amber.min.css":
			t.Errorf("%s: a colour theme the template makes is built in", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built-in libraries: %d files, %d bytes (%.1f MB)", files, size, float64(size)/1e6)
}
