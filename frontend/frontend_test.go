package frontend_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"synclab/frontend"
)

// files returns every file of fsys with its content.
func files(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEachStepChangesExactlyItsFiles compares every checkpoint with the one
// before: the files that differ are exactly those steps.json names.
func TestEachStepChangesExactlyItsFiles(t *testing.T) {
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].ID != "00" {
		t.Fatalf("first step is %s, want 00", steps[0].ID)
	}
	for i := 1; i < len(steps); i++ {
		prev, cur := steps[i-1], steps[i]
		t.Run(cur.ID, func(t *testing.T) {
			a, err := frontend.Checkpoint(prev.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := frontend.Checkpoint(cur.ID)
			if err != nil {
				t.Fatal(err)
			}
			fa, fb := files(t, a), files(t, b)
			var changed []string
			for p, data := range fb {
				if old, ok := fa[p]; !ok || !bytes.Equal(old, data) {
					changed = append(changed, p)
				}
			}
			for p := range fa {
				if _, ok := fb[p]; !ok {
					changed = append(changed, p+" (removed)")
				}
			}
			slices.Sort(changed)
			want := slices.Clone(cur.Files)
			slices.Sort(want)
			if !slices.Equal(changed, want) {
				t.Fatalf("step %s changes %v; steps.json says %v", cur.ID, changed, want)
			}
			stored, err := frontend.StepFiles(cur.ID)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(stored)
			if !slices.Equal(stored, want) {
				t.Fatalf("checkpoints/%s holds %v; it should hold only the changed files %v", cur.ID, stored, want)
			}
		})
	}
}

func TestStepsHaveTitlesInBothLanguages(t *testing.T) {
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range steps {
		if s.Title.DE == "" || s.Title.EN == "" || s.Summary.DE == "" || s.Summary.EN == "" || s.Slug == "" {
			t.Errorf("step %s lacks a title, summary or slug in one language: %+v", s.ID, s)
		}
		if seen[s.ID] {
			t.Errorf("step %s appears twice", s.ID)
		}
		seen[s.ID] = true
	}
}

func TestFindStep(t *testing.T) {
	tests := []struct{ in, want string }{
		{"07", "07"}, {"7", "07"}, {"latest", "08"}, {"replay", "07"}, {"00", "00"},
	}
	for _, tc := range tests {
		s, err := frontend.FindStep(tc.in)
		if err != nil || s.ID != tc.want {
			t.Errorf("FindStep(%q) = %s, %v; want %s", tc.in, s.ID, err, tc.want)
		}
	}
	if _, err := frontend.FindStep("42"); err == nil {
		t.Error("FindStep(42) found a step")
	}
}

func TestVendorServesTheLibrariesAtTheAppsPaths(t *testing.T) {
	v, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mapping, _ := frontend.VendorFiles()
	for appPath := range mapping {
		b, err := fs.ReadFile(v, appPath)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d bytes)", appPath, err, len(b))
		}
	}
	idb, _ := fs.ReadFile(v, "src/js/idb.js")
	if !bytes.Contains(idb, []byte("openDB")) {
		t.Error("src/js/idb.js is not the idb library")
	}
}

func TestVendorSaysWhatIsMissing(t *testing.T) {
	_, err := frontend.Vendor(context.Background(), frontend.VendorOptions{NodeModules: t.TempDir()})
	var missing *frontend.MissingLibrariesError
	if !errors.As(err, &missing) || len(missing.Missing) == 0 {
		t.Fatalf("error = %v, want MissingLibrariesError", err)
	}
	if !bytes.Contains([]byte(err.Error()), []byte("npm ci")) {
		t.Errorf("error %q should say to run npm ci", err)
	}
}

func TestOverlay(t *testing.T) {
	top := fstest.MapFS{"a.txt": {Data: []byte("top")}, "dir/x.js": {Data: []byte("x")}}
	bottom := fstest.MapFS{"a.txt": {Data: []byte("bottom")}, "b.txt": {Data: []byte("b")}, "dir/y.js": {Data: []byte("y")}}
	o := frontend.Overlay(top, bottom)
	if err := fstest.TestFS(o, "a.txt", "b.txt", "dir/x.js", "dir/y.js"); err != nil {
		t.Fatal(err)
	}
	if b, _ := fs.ReadFile(o, "a.txt"); string(b) != "top" {
		t.Errorf("a.txt = %q, want the top layer's", b)
	}
}

func TestExportWritesACompleteAppAndRefusesToOverwrite(t *testing.T) {
	v, err := frontend.Vendor(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App("03", v)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n, err := frontend.Export(app, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "sw.js", "src/js/feed.js", "src/js/db.js", "src/js/idb.js", "src/js/material.min.js", "manifest.webmanifest"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("exported folder lacks %s", p)
		}
	}
	feed, _ := os.ReadFile(filepath.Join(dir, "src/js/feed.js"))
	want, _ := fs.ReadFile(app, "src/js/feed.js")
	if !bytes.Equal(feed, want) {
		t.Error("exported feed.js is not checkpoint 03's")
	}
	if _, err := frontend.Export(app, dir, false); err == nil {
		t.Fatal("export into a non-empty folder succeeded without overwrite")
	}
	if m, err := frontend.Export(app, dir, true); err != nil || m != n {
		t.Fatalf("export with overwrite = %d, %v", m, err)
	}
	// The exported folder serves as a student's folder.
	fsys, _, err := frontend.StudentFolder(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(fsys, "sw.js"); err != nil {
		t.Fatal(err)
	}
}

func TestStudentFolder(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	pub := filepath.Join(root, "public")
	must(t, os.MkdirAll(filepath.Join(pub, "src"), 0o755))
	must(t, os.WriteFile(filepath.Join(pub, "index.html"), []byte("<h1>mine</h1>"), 0o644))
	must(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(pub, "src", "leak.txt")))
	fsys, abs, err := frontend.StudentFolder(root, fstest.MapFS{"src/js/idb.js": {Data: []byte("lib")}})
	if err != nil {
		t.Fatal(err)
	}
	if abs != pub {
		t.Errorf("served folder = %s, want its public/ subfolder %s", abs, pub)
	}
	if b, _ := fs.ReadFile(fsys, "index.html"); string(b) != "<h1>mine</h1>" {
		t.Errorf("index.html = %q", b)
	}
	if b, _ := fs.ReadFile(fsys, "src/js/idb.js"); string(b) != "lib" {
		t.Errorf("a library missing from the folder should come from the course: %q", b)
	}
	if b, err := fs.ReadFile(fsys, "src/leak.txt"); err == nil {
		t.Fatalf("a symlink out of the folder was followed: %q", b)
	}
	if _, _, err := frontend.StudentFolder(outside, nil); err == nil {
		t.Error("a folder without index.html was accepted")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
