package main

import (
	"bytes"
	"context"
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

func TestSlidesCommandServesTheDeck(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	var errOut bytes.Buffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-lang", "en"}, out, &errOut) }()
	re := regexp.MustCompile(`Slides: (\S+)`)
	var url string
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" || !strings.HasSuffix(url, "/slides/en/index.html") {
		t.Fatalf("no URL printed: %s %s", out.String(), errOut.String())
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET %s = %d", url, res.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}

func TestSlidesCommandFlags(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-lang", "fr"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "choose de or en") {
		t.Errorf("-lang fr: exit %d, %s", code, errOut.String())
	}
	if code := run(context.Background(), []string{"-out", dir, "-lang", "de"}, &out, &errOut); code != 0 {
		t.Fatalf("-out: exit %d, %s", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "slides", "de", "index.html")); err != nil {
		t.Error("the deck was not written")
	}
}

// TestABusyAddressIsReported: when another program holds the deck's port,
// the command says so in the chosen language, names -addr and ends with 1.
func TestABusyAddressIsReported(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for l, want := range map[string]string{"en": "cannot serve the deck on", "de": "Der Foliensatz kann nicht auf"} {
		var out, errOut bytes.Buffer
		code := serve(context.Background(), nil, held.Addr().String(), "slides/"+l+"/index.html", l, &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), want) || !strings.Contains(errOut.String(), "-addr HOST:PORT") {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q with -addr HOST:PORT", l, code, errOut.String(), want)
		}
	}
}
