package grading_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/checks/grading"
)

type entry struct {
	name    string
	body    []byte
	symlink bool
	store   bool // no compression
}

func writeZip(t testing.TB, file string, entries ...entry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		if e.symlink {
			h.SetMode(os.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkfile(t testing.TB, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCollect: folders and archives become submissions; hostile or broken
// ones become a clear reason, and nothing lands outside the work folder.
func TestCollect(t *testing.T) {
	class := t.TempDir()
	outside := t.TempDir()
	mkfile(t, filepath.Join(class, "anna", "index.html"), "<h1>Anna</h1>")
	mkfile(t, filepath.Join(class, "ben", "htw-insta", "public", "index.html"), "<h1>Ben</h1>")
	mkfile(t, filepath.Join(class, "chris", "notes.txt"), "forgot the app")
	writeZip(t, filepath.Join(class, "dana.zip"), entry{name: "repo/public/index.html", body: []byte("<h1>Dana</h1>")}, entry{name: "repo/public/sw.js", body: []byte("//")})
	writeZip(t, filepath.Join(class, "evil.zip"), entry{name: "index.html", body: []byte("x")}, entry{name: "../../" + filepath.Base(outside) + "/pwned.txt", body: []byte("pwned")})
	writeZip(t, filepath.Join(class, "absolute.zip"), entry{name: "/etc/synclab-pwned", body: []byte("pwned")})
	writeZip(t, filepath.Join(class, "link.zip"), entry{name: "index.html", body: []byte("/etc/passwd"), symlink: true})
	writeZip(t, filepath.Join(class, "bomb.zip"), entry{name: "index.html", body: bytes.Repeat([]byte{0}, 3<<20)})
	writeZip(t, filepath.Join(class, "huge.zip"), entry{name: "index.html", body: bytes.Repeat([]byte("ab"), 3<<20), store: true})
	mkfile(t, filepath.Join(class, "garbage.zip"), "\x00\x01binary garbage, not a zip")
	mkfile(t, filepath.Join(class, "readme.pdf"), "%PDF")

	work := t.TempDir()
	lim := grading.DefaultLimits()
	lim.MaxFile = 4 << 20
	subs, err := grading.Collect(context.Background(), []string{class}, work, grading.CollectOptions{Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]grading.Submission{}
	for _, s := range subs {
		got[s.Name] = s
	}
	for _, tc := range []struct {
		name, problem, app string
	}{
		{"anna", "", "anna"},
		{"ben", "", "ben/htw-insta/public"},
		{"chris", "no app found: found notes.txt but no index.html", ""},
		{"dana", "", "repo/public"},
		{"evil", "would land outside the submission", ""},
		{"absolute", "would land outside the submission", ""},
		{"link", "is a symbolic link", ""},
		{"bomb", "zip bomb", ""},
		{"huge", "bytes, more than", ""},
		{"garbage", "not a readable .zip", ""},
		{"readme", "not a folder or a .zip file", ""},
	} {
		s, ok := got[tc.name]
		switch {
		case !ok:
			t.Errorf("%s: not collected (got %v)", tc.name, subs)
		case tc.problem != "" && !strings.Contains(s.Problem.EN, tc.problem):
			t.Errorf("%s: problem %q, want it to say %q", tc.name, s.Problem, tc.problem)
		case tc.problem != "" && (s.Problem.DE == "" || s.Problem.DE == s.Problem.EN):
			t.Errorf("%s: problem %q has no German (reports in German show it)", tc.name, s.Problem.EN)
		case tc.problem == "" && (s.Problem.EN != "" || !strings.HasSuffix(filepath.ToSlash(s.AppDir), tc.app)):
			t.Errorf("%s: app %q problem %q, want the app in %s", tc.name, s.AppDir, s.Problem, tc.app)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "pwned.txt")); err == nil {
		t.Fatal("an archive wrote outside the work folder")
	}
	if _, err := os.Stat("/etc/synclab-pwned"); err == nil {
		t.Fatal("an archive wrote to an absolute path")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Anna Müller": "Anna_M_ller", "../etc": "etc", "": "submission", "ok-1.2": "ok-1.2"} {
		if got := grading.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// fsWalk calls f with every file of fsys.
func fsWalk(fsys fs.FS, f func(p string, b []byte)) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err == nil {
			f(p, b)
		}
		return err
	})
}
