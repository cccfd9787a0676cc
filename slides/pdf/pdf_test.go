package pdf

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"synclab/course/site"
	"synclab/simulator/browser"
)

// TestDeckPrintsOnePagePerSlide prints this repository's decks: the PDF
// has as many pages as the deck has slides, with and without notes.
func TestDeckPrintsOnePagePerSlide(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	src, err := site.RepoSources(ctx, site.RepoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Build(ctx, src, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, tt := range []struct {
		lang  string
		notes bool
	}{{"de", false}, {"en", true}} {
		doc, err := Print(ctx, b, srv.URL+"/slides/"+tt.lang+"/index.html", Options{Notes: tt.notes})
		if err != nil {
			t.Fatal(err)
		}
		want := len(s.Decks[tt.lang].Slides)
		if got := Pages(doc); got != want {
			t.Errorf("%s deck (notes %v): the PDF has %d pages, the deck %d slides", tt.lang, tt.notes, got, want)
		}
		name := "deck-" + tt.lang + ".pdf"
		if tt.notes {
			name = "handout-" + tt.lang + ".pdf"
		}
		if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name), doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPages(t *testing.T) {
	doc := []byte("1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >>\n2 0 obj << /Type /Page /Parent 1 0 R >>\n3 0 obj <</Type/Page/Parent 1 0 R>>")
	if got := Pages(doc); got != 2 {
		t.Errorf("Pages = %d, want 2", got)
	}
}
