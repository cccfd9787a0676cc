package main

import (
	"bytes"
	"context"
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
