package browser_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/simulator/browser"
	"time"
)

func TestFindHonoursChromePath(t *testing.T) {
	t.Setenv(browser.PathEnv, "/nonexistent/chrome")
	if _, err := browser.Find(); err == nil || !strings.Contains(err.Error(), browser.PathEnv) {
		t.Fatalf("Find with a bad %s = %v", browser.PathEnv, err)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to stand in for a browser: %v", err)
	}
	t.Setenv(browser.PathEnv, sh)
	if got, err := browser.Find(); err != nil || got != sh {
		t.Fatalf("Find = %q, %v; want %q", got, err, sh)
	}
}

func TestNotFoundSaysHowToInstall(t *testing.T) {
	err := &browser.NotFoundError{Tried: []string{"chromium", "google-chrome"}}
	for _, w := range []string{"chromium", "CHROME_PATH", "install"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q lacks %q", err, w)
		}
	}
	for _, w := range []string{"chromium", "CHROME_PATH", "installiere"} {
		if de := err.Text().DE; !strings.Contains(de, w) {
			t.Errorf("%q lacks %q", de, w)
		}
	}
}

func TestRouterRoutesTheAppsOriginsAndRefusesTheRest(t *testing.T) {
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "app saw host "+r.Host)
	}))
	defer app.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/drop" {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		_, _ = io.WriteString(w, "api")
	}))
	defer api.Close()
	r, err := browser.NewRouter(browser.RouterConfig{Routes: map[string]string{
		"localhost:8080": strings.TrimPrefix(app.URL, "http://"),
		"localhost:3000": strings.TrimPrefix(api.URL, "http://"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	proxyURL, _ := url.Parse("http://" + r.Addr())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), DisableKeepAlives: true}}
	get := func(u string) (int, string, error) {
		resp, err := client.Get(u)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}
	if code, body, err := get("http://localhost:8080/index.html"); err != nil || code != 200 || body != "app saw host localhost:8080" {
		t.Fatalf("app origin: %d %q %v", code, body, err)
	}
	if code, body, err := get("http://localhost:3000/posts"); err != nil || code != 200 || body != "api" {
		t.Fatalf("api origin: %d %q %v", code, body, err)
	}
	if code, _, err := get("http://example.org/"); err == nil {
		t.Fatalf("outside request: answered %d, want a network error", code)
	}
	if _, _, err := get("http://localhost:3000/drop"); err == nil {
		t.Fatal("a dropped upstream connection reached the client as an answer")
	}
	if refused := r.Refused(); len(refused) != 1 || !strings.Contains(refused[0], "example.org") {
		t.Fatalf("refused = %v", refused)
	}
}

// TestRouterAnswersOutsideAddresses: https:// CDN addresses are answered
// from the mirror through the proxy's own TLS (with CORS), unknown ones
// fail at once with a network error, and -net lets plain requests through.
func TestRouterAnswersOutsideAddresses(t *testing.T) {
	m, err := mirror.Load(context.Background(), frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	certs, err := browser.NewCerts()
	if err != nil {
		t.Fatal(err)
	}
	r, err := browser.NewRouter(browser.RouterConfig{Mirror: m, Certs: certs})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	proxyURL, _ := url.Parse("http://" + r.Addr())
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		Proxy: http.ProxyURL(proxyURL),
		// The browser trusts the key by its hash; this client just checks it.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true, VerifyConnection: func(cs tls.ConnectionState) error {
			c := cs.PeerCertificates[0]
			der, _ := x509.MarshalPKIXPublicKey(c.PublicKey)
			sum := sha256.Sum256(der)
			if base64.StdEncoding.EncodeToString(sum[:]) != certs.SPKI() {
				return errors.New("certificate of another key")
			}
			if err := c.VerifyHostname(cs.ServerName); err != nil {
				return fmt.Errorf("certificate for another host: %w", err)
			}
			return nil
		}},
	}}
	resp, err := client.Get("https://code.getmdl.io/1.3.0/material.blue_grey-red.min.css")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || len(body) < 1000 {
		t.Fatalf("mirror answer: %d %v, %d bytes", resp.StatusCode, resp.Header, len(body))
	}
	start := time.Now()
	if _, err := client.Get("https://cdn.unknown-cdn.example/x.js"); err == nil {
		t.Fatal("an unknown outside address was answered")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the network error took %v", d)
	}
	out := r.Outside()
	if len(out) != 2 || out[0].Outcome != browser.FromMirror || out[1].Outcome != browser.Unavailable || out[1].URL != "https://cdn.unknown-cdn.example/x.js" {
		t.Fatalf("outside requests: %+v", out)
	}

	// -net: plain requests pass through to the real host.
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "live "+r.URL.Path) }))
	defer real.Close()
	pass, err := browser.NewRouter(browser.RouterConfig{PassOutside: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pass.Close(context.Background())
	passURL, _ := url.Parse("http://" + pass.Addr())
	pc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(passURL)}}
	resp, err = pc.Get(real.URL + "/page")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "live /page" || len(pass.Outside()) != 1 || pass.Outside()[0].Outcome != browser.Passed {
		t.Fatalf("-net: %q, %+v", body, pass.Outside())
	}
}

// TestCloseLeavesNothingInTheTempFolder: a browser that was launched and
// closed leaves no profile and no socket folder behind.
func TestCloseLeavesNothingInTheTempFolder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) < 2 {
		t.Fatalf("expected the profile and Chromium's socket folder in %s, found %d entries", tmp, len(before))
	}
	b.Close()
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left behind: %s", e.Name())
	}
}

// TestLaunchRemovesWhatAKilledRunLeft: a run killed before it could clean
// up left a profile and a socket folder; the next launch removes them, and
// leaves alone the profile of a browser that still runs and one that is
// just being created (but not an old one whose browser never started).
func TestLaunchRemovesWhatAKilledRunLeft(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	profile := func(name string, pid int) string {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if pid > 0 {
			if err := os.Symlink(fmt.Sprintf("%s-%d", host, pid), filepath.Join(dir, "SingletonLock")); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	stale := profile("synclab-chrome-1", gone.Process.Pid)
	socket := filepath.Join(tmp, "org.chromium.Chromium.stale1")
	if err := os.MkdirAll(socket, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(socket, "SingletonSocket"), filepath.Join(stale, "SingletonSocket")); err != nil {
		t.Fatal(err)
	}
	alive := profile("synclab-chrome-2", os.Getpid())
	fresh := profile("synclab-chrome-3", 0)
	// A profile whose browser never started, from two hours ago.
	never := profile("synclab-chrome-4", 0)
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(never, old, old); err != nil {
		t.Fatal(err)
	}

	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	for dir, want := range map[string]bool{stale: false, socket: false, never: false, alive: true, fresh: true} {
		_, err := os.Stat(dir)
		if got := err == nil; got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(dir), got, want)
		}
	}
}
