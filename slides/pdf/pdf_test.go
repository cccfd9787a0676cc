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
// has as many pages as the deck has slides; the handout (-notes) puts each
// slide's notes on a page of their own right after it, so it has a page
// more for every slide with notes (every slide has notes: twice the
// slides), and no note is drawn over a slide (Print checks the print
// view's layout and fails otherwise).
func TestDeckPrintsOnePagePerSlide(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
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
	}{{"de", false}, {"de", true}, {"en", true}} {
		doc, err := Print(ctx, b, srv.URL+"/slides/"+tt.lang+"/index.html", Options{Notes: tt.notes})
		if err != nil {
			t.Fatal(err)
		}
		slides := s.Decks[tt.lang].Slides
		want := len(slides)
		name := "deck-" + tt.lang + ".pdf"
		if tt.notes {
			name = "handout-" + tt.lang + ".pdf"
			withNotes := 0
			for _, sl := range slides {
				if sl.Notes != "" {
					withNotes++
				}
			}
			if withNotes != len(slides) {
				t.Errorf("%s deck: %d of %d slides have speaker notes; the handout needs them all", tt.lang, withNotes, len(slides))
			}
			want += withNotes
		}
		got := Pages(doc)
		if got != want {
			t.Errorf("%s (notes %v): the PDF has %d pages, want %d (%d slides)", name, tt.notes, got, want, len(slides))
		}
		t.Logf("%s: %d pages for %d slides", name, got, len(slides))
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
