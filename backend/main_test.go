package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBusyPortIsReported(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tests := []struct {
		lang  string
		wants []string
	}{
		{"en", []string{"REST API", "already in use", "-api"}},
		{"de", []string{"REST-API", "schon belegt", "-api"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"-api", ln.Addr().String(), "-data", t.TempDir(), "-no-app", "-lang", tc.lang}, &out, &errOut)
			if code == 0 {
				t.Fatal("exit code 0 with a busy port")
			}
			msg := errOut.String()
			for _, w := range append(tc.wants, ln.Addr().String()) {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestADeadDatabaseIsReported: a MongoDB URI whose server does not answer
// stops the backend at once with what happened and what to do, in the
// language asked for (by -lang or the environment), instead of a backend
// that answers every request with 503.
func TestADeadDatabaseIsReported(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uri := "mongodb://" + ln.Addr().String() + "/"
	ln.Close()
	tests := []struct {
		name, env string
		args      []string
		wants     []string
	}{
		{"-lang en", "de", []string{"-lang", "en"}, []string{"does not answer", "connection refused", "-mongo embedded"}},
		{"-lang=de", "en", []string{"-lang=de"}, []string{"antwortet nicht", "connection refused", "-mongo embedded"}},
		{"German from the environment", "de_DE.UTF-8", nil, []string{"antwortet nicht"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SYNCLAB_LANG", tc.env)
			var out, errOut bytes.Buffer
			args := append([]string{"-api", "127.0.0.1:0", "-no-app", "-mongo", uri}, tc.args...)
			code := run(context.Background(), args, &out, &errOut)
			if code != exitError {
				t.Fatalf("exit code %d with a dead database, want %d", code, exitError)
			}
			msg := errOut.String()
			for _, w := range append(tc.wants, uri) {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestUsageErrors: a mistake in how the backend is called exits 2 and says
// itself in the language -lang (or the environment) asks for; help too.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		env   string // SYNCLAB_LANG
		args  []string
		code  int
		wants string
	}{
		{"en", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"de", []string{"frobnicate"}, exitUsage, "unbekannter Befehl \"frobnicate\""},
		{"en", []string{"frobnicate", "-lang", "de"}, exitUsage, "Aufruf:"},
		{"en", []string{"-mongo", "postgres://x"}, exitUsage, "-mongo"},
		{"en", []string{"-mongo", "postgres://x", "-lang=de"}, exitUsage, "erwartet wird auto, docker, embedded"},
		{"en", []string{"-nope"}, exitUsage, "flag provided but not defined"},
		{"en", []string{"import"}, exitUsage, "exactly one folder"},
		{"de", []string{"import"}, exitUsage, "import braucht genau einen Ordner"},
		{"de", []string{"export-step", "03"}, exitUsage, "export-step braucht einen Schritt und einen Ordner"},
		{"en", []string{"serve-me"}, exitUsage, "unknown command"},
		{"en", []string{"-lang", "de", "./public"}, exitUsage, "unerwartetes Argument \"./public\""},
	}
	for _, tc := range tests {
		t.Run(tc.env+" "+strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv("SYNCLAB_LANG", tc.env)
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.wants) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut.String(), tc.code, tc.wants)
			}
		})
	}
	for _, tc := range []struct{ env, usage, flags, more string }{
		{"en", "Usage:", "import [flags] DIR", "COMMAND -h"},
		{"de", "Aufruf:", "import [Optionen] DIR", "BEFEHL -h"},
	} {
		t.Run("help "+tc.env, func(t *testing.T) {
			t.Setenv("SYNCLAB_LANG", tc.env)
			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{"help"}, &out, &errOut); code != exitOK || errOut.Len() > 0 {
				t.Fatalf("exit %d, stderr %q; want exit %d and nothing on stderr", code, errOut.String(), exitOK)
			}
			for _, want := range []string{tc.usage, tc.flags, tc.more} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("help does not show %q:\n%s", want, out.String())
				}
			}
		})
	}
}

func TestServeSeedExportImport(t *testing.T) {
	t.Setenv("MONGODB_URI", "")
	data := t.TempDir()
	ctx := context.Background()

	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"seed", "-data", data}, &out, &errOut); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, errOut.String())
	}
	if n := strings.Count(out.String(), "added "); n < 3 {
		t.Fatalf("seed added %d posts:\n%s", n, out.String())
	}
	seeded := servedPosts(t, data)
	if len(seeded) < 3 {
		t.Fatalf("the seeded database serves %d posts, want at least 3", len(seeded))
	}
	exported := t.TempDir()
	out.Reset()
	if code := run(ctx, []string{"export", "-data", data, exported}, &out, &errOut); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut.String())
	}
	for _, f := range []string{"posts.json", "posts_files.json", "posts_chunks.json"} {
		if st, err := os.Stat(filepath.Join(exported, f)); err != nil || st.Size() == 0 {
			t.Fatalf("export wrote no %s: %v", f, err)
		}
	}
	other := t.TempDir()
	out.Reset()
	if code := run(ctx, []string{"import", "-data", other, exported}, &out, &errOut); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "posts.json") {
		t.Fatalf("import output: %s", out.String())
	}

	// Serve the imported data and stop cleanly.
	sctx, stop := context.WithCancel(ctx)
	stdout := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(sctx, []string{"-api", "127.0.0.1:0", "-app", "127.0.0.1:0", "-course", "127.0.0.1:0", "-step", "05", "-data", other, "-lab", "-lang", "en"}, stdout, &errOut)
	}()
	url := waitFor(t, stdout, regexp.MustCompile(`REST API:\s+(\S+)/posts`))
	// Export → import kept every post: the same ids, titles, locations and
	// photo bytes (GET /posts carries each photo as a data URL).
	imported := getPosts(t, url)
	if len(imported) != len(seeded) {
		t.Fatalf("after export and import %d posts are served, the seeded database served %d", len(imported), len(seeded))
	}
	for i := range seeded {
		if seeded[i] != imported[i] {
			t.Errorf("post %d changed on its way through export and import:\nbefore: %.200v\nafter:  %.200v", i, seeded[i], imported[i])
		}
		if !strings.HasPrefix(imported[i].ImageID, "data:image/") || len(imported[i].ImageID) < 1000 {
			t.Errorf("post %d (%q) has no photo: image_id %.80q", i, imported[i].Title, imported[i].ImageID)
		}
	}
	appURL := waitFor(t, stdout, regexp.MustCompile(`App:\s+(\S+)/ `))
	resp, err := http.Get(appURL + "/src/js/feed.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(stdout.String(), "checkpoint 05") {
		t.Fatalf("app: GET feed.js = %d\n%s", resp.StatusCode, stdout.String())
	}
	courseURL := waitFor(t, stdout, regexp.MustCompile(`Course:\s+(\S+)/ `))
	resp, err = http.Get(courseURL + "/de/steps/05.html")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("course: GET /de/steps/05.html = %d", resp.StatusCode)
	}
	if !strings.Contains(stdout.String(), "embedded FerretDB") || !strings.Contains(stdout.String(), "/_lab/") {
		t.Errorf("start-up text should say which MongoDB and the lab hooks:\n%s", stdout.String())
	}
	stop()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), "Stopped.") {
			t.Fatalf("shutdown: exit %d\n%s\n%s", code, stdout.String(), errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("backend did not stop within 20 s of Ctrl-C")
	}
}

// servedPost is a post as GET /posts shows it, photo included.
type servedPost struct {
	ID       string `json:"_id"`
	Title    string `json:"title"`
	Location string `json:"location"`
	ImageID  string `json:"image_id"`
}

// getPosts reads GET /posts from the REST API at url.
func getPosts(t *testing.T, url string) []servedPost {
	t.Helper()
	resp, err := http.Get(url + "/posts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /posts = %s", resp.Status)
	}
	var list []servedPost
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatalf("GET /posts: %v", err)
	}
	return list
}

// servedPosts serves the database in data (REST API only), reads its posts
// and stops the server again.
func servedPosts(t *testing.T, data string) []servedPost {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"-api", "127.0.0.1:0", "-no-app", "-data", data, "-lang", "en"}, stdout, stderr)
	}()
	defer func() {
		stop()
		if code := <-done; code != 0 {
			t.Errorf("serving %s: exit %d\n%s", data, code, stderr.String())
		}
	}()
	return getPosts(t, waitFor(t, stdout, regexp.MustCompile(`REST API:\s+(\S+)/posts`)))
}

func waitFor(t *testing.T, buf *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(buf.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no match for %s in:\n%s", re, buf.String())
	return ""
}

func TestExportStep(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"export-step", "03", dir}, &out, &errOut); code != 0 {
		t.Fatalf("export-step: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "checkpoint 03") {
		t.Errorf("output: %s", out.String())
	}
	for _, f := range []string{"index.html", "sw.js", "src/js/feed.js", "src/js/idb.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("exported folder lacks %s", f)
		}
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"export-step", "03", dir}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "-force") {
		t.Fatalf("export into a non-empty folder: exit %d, %s", code, errOut.String())
	}
	if code := run(context.Background(), []string{"export-step", "-force", "04", dir}, &out, &errOut); code != 0 {
		t.Fatalf("export-step -force: exit %d: %s", code, errOut.String())
	}
	if code := run(context.Background(), []string{"export-step", "99", dir}, &out, &errOut); code != exitUsage {
		t.Fatalf("unknown step: exit %d", code)
	}
}
