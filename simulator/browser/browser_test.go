package browser_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"synclab/simulator/browser"
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
