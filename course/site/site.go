// Package site builds the course's static web site: the chapters in every
// language, the step browser (diffs and complete downloads of each
// checkpoint), the slide decks with reveal.js, the pictures, and a service
// worker that keeps it all available offline. The result is a set of files
// that is served as it is (go run ./backend) or written to a folder for
// hosting.
package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"synclab/course/deck"
	"synclab/course/listing"
	"synclab/course/markdown"
	"synclab/frontend"
)

// Sources is what the site is built from.
type Sources struct {
	// Chapters holds LANG/NN-name.md for every language.
	Chapters fs.FS
	// Decks holds LANG/deck.md; nil builds no slides.
	Decks fs.FS
	// Pictures holds the pictures the Markdown names as pictures/NAME.
	Pictures fs.FS
	// Listings gives the checkpoints' files.
	Listings *listing.Library
	// Steps are the checkpoints' titles and summaries.
	Steps []frontend.Step
	// Checks lists, per checkpoint id, the graded checks of its step (from
	// checks/catalog) to name on its page.
	Checks map[string][]Check
	// Reveal holds reveal.js's files (see package reveal); needed with Decks.
	Reveal map[string][]byte
	// App returns a complete checkpoint (app and libraries) for its ZIP;
	// nil builds no ZIPs.
	App func(step string) (fs.FS, error)
}

// Check is a graded check named on its step's page: its id (what
// synclab-checks -only takes) and its title.
type Check struct {
	ID    string
	Title frontend.Text
}

// Options tune Build.
type Options struct {
	// Langs are the languages built (default: de and en). German is the
	// course's first language.
	Langs []string
}

// Site is the built site: every file by its slash-separated path.
type Site struct {
	files map[string][]byte
	// Chapters and Decks are the rendered documents by language, in order.
	Chapters map[string][]*markdown.Document
	Decks    map[string]*deck.Deck
	// Names maps a rendered chapter to its Markdown file (LANG/NN-name.md).
	Names map[*markdown.Document]string
}

// Build renders the whole site. Every broken listing, picture, link or
// difference between the languages is reported, each with its Markdown
// file and line; the site is not built then.
func Build(ctx context.Context, src Sources, o Options) (*Site, error) {
	if len(o.Langs) == 0 {
		o.Langs = []string{"de", "en"}
	}
	if src.Listings == nil || src.Chapters == nil || src.Pictures == nil {
		return nil, errors.New("site: chapters, pictures and listings are needed")
	}
	b := &builder{src: src, o: o, site: &Site{
		files:    map[string][]byte{},
		Chapters: map[string][]*markdown.Document{},
		Decks:    map[string]*deck.Deck{},
		Names:    map[*markdown.Document]string{},
	}}
	steps := src.Listings.Steps()
	if len(src.Steps) == 0 {
		for _, id := range steps {
			src.Steps = append(src.Steps, frontend.Step{ID: id, Title: frontend.Text{DE: id, EN: id}})
		}
		b.src.Steps = src.Steps
	}
	var errs []error
	for _, lang := range o.Langs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		errs = append(errs, b.chapters(lang))
		if src.Decks != nil {
			errs = append(errs, b.deck(lang))
		}
	}
	errs = append(errs, b.checkReferences(), b.compareLanguages())
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, lang := range o.Langs {
		if err := b.stepPages(lang); err != nil {
			return nil, err
		}
		if err := b.indexPage(lang); err != nil {
			return nil, err
		}
	}
	if err := b.zips(ctx); err != nil {
		return nil, err
	}
	if err := b.assets(); err != nil {
		return nil, err
	}
	if err := b.rootPage(); err != nil {
		return nil, err
	}
	b.serviceWorker()
	return b.site, nil
}

// Paths lists every file of the site, sorted.
func (s *Site) Paths() []string { return slices.Sorted(maps.Keys(s.files)) }

// File returns a file's content.
func (s *Site) File(p string) ([]byte, bool) {
	b, ok := s.files[p]
	return b, ok
}

// WriteDir writes the site into dir (created if needed), ready for static
// hosting such as GitHub Pages.
func (s *Site) WriteDir(dir string) error {
	for _, p := range s.Paths() {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("write the site: %w", err)
		}
		if err := os.WriteFile(target, s.files[p], 0o644); err != nil {
			return fmt.Errorf("write the site: %w", err)
		}
	}
	// GitHub Pages would otherwise run Jekyll over the folder.
	return os.WriteFile(filepath.Join(dir, ".nojekyll"), nil, 0o644)
}

// Handler serves the site. Folders serve their index.html; every answer
// asks the browser to revalidate (the site's service worker keeps the
// offline copy).
func (s *Site) Handler() http.Handler {
	modTime := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p == "" || strings.HasSuffix(r.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		b, ok := s.files[p]
		if !ok {
			if _, isDir := s.files[path.Join(p, "index.html")]; isDir {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			http.NotFound(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, p, modTime, strings.NewReader(string(b)))
	})
}

// builder holds one Build's state.
type builder struct {
	src  Sources
	o    Options
	site *Site
}

func (b *builder) put(p string, content []byte) { b.site.files[p] = content }

// chapterFiles lists a language's Markdown chapters in order.
func chapterFiles(fsys fs.FS, lang string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, lang)
	if err != nil {
		return nil, fmt.Errorf("chapters in %s: %w", lang, err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("no chapters in %s", lang)
	}
	return out, nil
}

// pageName turns a chapter file into its page: 01-x.md → 01-x.html.
func pageName(md string) string { return strings.TrimSuffix(md, ".md") + ".html" }

// hash is a short content hash.
func hash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
