package appserver_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"synclab/backend/appserver"
	"synclab/frontend"
)

func serve(t *testing.T) *httptest.Server {
	t.Helper()
	app := fstest.MapFS{
		"index.html":               {Data: []byte("<!doctype html><title>app</title>")},
		"sw.js":                    {Data: []byte("self.addEventListener('sync', e => {});")},
		"manifest.webmanifest":     {Data: []byte(`{"name":"x"}`)},
		"src/css/app.css":          {Data: []byte("body{}")},
		"src/js/feed.js":           {Data: []byte("console.log(1)")},
		"src/images/a.png":         {Data: []byte("\x89PNG\r\n\x1a\n")},
		"src/images/b.jpg":         {Data: []byte("\xff\xd8\xff")},
		"src/lib/x.woff2":          {Data: []byte("wOF2")},
		"help/index.html":          {Data: []byte("<p>help</p>")},
		"empty/readme.txt":         {Data: []byte("no index here")},
		"src/images/icons/i.svg":   {Data: []byte("<svg/>")},
		"src/images/icons/fav.ico": {Data: []byte{0, 0, 1, 0}},
	}
	srv := httptest.NewServer(appserver.New(app, nil))
	t.Cleanup(srv.Close)
	return srv
}

func TestContentTypesAndNoCaching(t *testing.T) {
	srv := serve(t)
	tests := []struct{ path, ctype string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/sw.js", "text/javascript; charset=utf-8"},
		{"/src/js/feed.js", "text/javascript; charset=utf-8"},
		{"/src/css/app.css", "text/css; charset=utf-8"},
		{"/manifest.webmanifest", "application/manifest+json"},
		{"/src/images/a.png", "image/png"},
		{"/src/images/b.jpg", "image/jpeg"},
		{"/src/images/icons/i.svg", "image/svg+xml"},
		{"/src/images/icons/fav.ico", "image/x-icon"},
		{"/src/lib/x.woff2", "font/woff2"},
		{"/help/", "text/html; charset=utf-8"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype {
				t.Fatalf("%d %q, want 200 %q", resp.StatusCode, resp.Header.Get("Content-Type"), tc.ctype)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control = %q, want no caching (like http-server -c-1)", cc)
			}
		})
	}
}

func TestFoldersAndMissingFiles(t *testing.T) {
	srv := serve(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path     string
		status   int
		location string
	}{
		{"/help", 301, "/help/"},
		{"/help/", 200, ""},
		{"/empty/", 404, ""},
		{"/nope.js", 404, ""},
		{"/src/", 404, ""},
	}
	for _, tc := range tests {
		resp, err := client.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("GET %s = %d (Location %q), want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/index.html", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", resp.StatusCode)
	}
}

// rawGet sends a request line exactly as given, without any client-side
// cleaning of the path.
func rawGet(t *testing.T, srv *httptest.Server, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n")
	b, _ := io.ReadAll(conn)
	resp := string(b)
	var status int
	if len(resp) > 12 {
		for _, c := range resp[9:12] {
			status = status*10 + int(c-'0')
		}
	}
	return status, resp
}

func TestPathsOutsideTheFolderAreRefused(t *testing.T) {
	// A real folder with a secret beside it and a symlink pointing at it.
	parent := t.TempDir()
	root := filepath.Join(parent, "app")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("TOP SECRET"), 0o644)
	os.WriteFile(filepath.Join(root, "index.html"), []byte("<p>app</p>"), 0o644)
	os.Symlink(filepath.Join(parent, "secret.txt"), filepath.Join(root, "link.txt"))
	os.Symlink(parent, filepath.Join(root, "up"))
	fsys, _, err := frontend.StudentFolder(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(appserver.New(fsys, nil))
	defer srv.Close()
	for _, target := range []string{
		"/../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E%2Fsecret.txt",
		"/..%2fsecret.txt",
		"/..%5csecret.txt",
		"/.%2e/secret.txt",
		"/src/../../secret.txt",
		"/link.txt",
		"/up/secret.txt",
		"/index.html%00.txt",
	} {
		t.Run(target, func(t *testing.T) {
			status, resp := rawGet(t, srv, target)
			if strings.Contains(resp, "TOP SECRET") {
				t.Fatalf("%s leaked the file outside the folder", target)
			}
			if status == 200 {
				t.Fatalf("%s answered 200", target)
			}
		})
	}
	if status, resp := rawGet(t, srv, "/index.html"); status != 200 || !strings.Contains(resp, "<p>app</p>") {
		t.Fatalf("the folder's own file is not served: %d", status)
	}
}
