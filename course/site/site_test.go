package site

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"synclab/course/listing"
	"synclab/frontend"
)

// fixture is a tiny course: two checkpoints, one chapter per language, a
// deck per language and one picture.
func fixture(t *testing.T, edit func(files fstest.MapFS)) Sources {
	t.Helper()
	lib, err := listing.New(listing.MapSource{
		"00": fstest.MapFS{"sw.js": {Data: []byte("self.addEventListener('fetch', e => {});\n")}},
		"01": fstest.MapFS{"sw.js": {Data: []byte("self.addEventListener('fetch', e => {});\n// #region sync\nself.addEventListener('sync', e => {});\n// #endregion\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	chapters := fstest.MapFS{
		"de/01-sync.md": {Data: []byte("# Synchronisation\n\nSiehe [Schritt 1](#schritt-1) und [Checkpoint 01](step:01).\n\n## Schritt 1\n\n```listing step=01 file=sw.js region=sync\n```\n\n![Ablauf](pictures/flow.svg)\n")},
		"en/01-sync.md": {Data: []byte("# Sync\n\nSee [step 1](#step-1) and [checkpoint 01](step:01).\n\n## Step 1\n\n```listing step=01 file=sw.js region=sync\n```\n\n![Flow](pictures/flow.svg)\n")},
	}
	decks := fstest.MapFS{
		"de/deck.md": {Data: []byte("# Sync\n---\n```listing step=01 file=sw.js region=sync\n```\nNote:\nErklären.\n---\n<!-- demo -->\n`go run ./simulator -step 01`\n")},
		"en/deck.md": {Data: []byte("# Sync\n---\n```listing step=01 file=sw.js region=sync\n```\nNote:\nExplain.\n---\n<!-- demo -->\n`go run ./simulator -step 01`\n")},
	}
	all := fstest.MapFS{}
	for k, v := range chapters {
		all["chapters/"+k] = v
	}
	for k, v := range decks {
		all["decks/"+k] = v
	}
	if edit != nil {
		edit(all)
	}
	sub := func(dir string) fs.FS { f, _ := fs.Sub(all, dir); return f }
	return Sources{
		Chapters: sub("chapters"),
		Decks:    sub("decks"),
		Pictures: fstest.MapFS{"flow.svg": {Data: []byte("<svg/>")}},
		Listings: lib,
		Steps: []frontend.Step{
			{ID: "00", Title: frontend.Text{DE: "Start", EN: "Start"}},
			{ID: "01", Title: frontend.Text{DE: "Sync", EN: "Sync"}},
		},
		Checks: map[string][]Check{"01": {{ID: "register-sync", Title: frontend.Text{DE: "registriert", EN: "registers"}}}},
		Reveal: map[string][]byte{"reveal.js": []byte("var Reveal;"), "reveal.css": nil},
		App: func(step string) (fs.FS, error) {
			return fstest.MapFS{"index.html": {Data: []byte("<p>" + step + "</p>")}, "sw.js": {Data: []byte("//")}}, nil
		},
	}
}

func TestBuildWritesEveryPart(t *testing.T) {
	s, err := Build(context.Background(), fixture(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"index.html", "sw.js", "de/index.html", "en/index.html", "de/01-sync.html", "en/01-sync.html",
		"de/steps/index.html", "de/steps/00.html", "en/steps/01.html", "steps/synclab-step-01.zip",
		"slides/de/index.html", "slides/en/index.html", "pictures/flow.svg",
		"assets/course.css", "assets/chroma.css", "assets/course.js", "assets/slides.css", "assets/reveal/reveal.js",
	} {
		if _, ok := s.File(p); !ok {
			t.Errorf("the site has no %s", p)
		}
	}
	page := file(t, s, "de/01-sync.html")
	for _, want := range []string{`href="../en/01-sync.html"`, `src="../pictures/flow.svg"`, `href="steps/01.html"`, `class="line hl" data-line="3"`, `href="#schritt-1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("de/01-sync.html lacks %s", want)
		}
	}
	step := file(t, s, "de/steps/01.html")
	for _, want := range []string{"go run ./backend -step 01", "synclab-checks -step 01", "go run ./simulator -step 01 -check register-sync",
		"<code>synclab-checks -only register-sync</code> — registriert", `href="../../steps/synclab-step-01.zip"`, `<tr class="add" data-new="3"`, "Änderungen seit Checkpoint 00"} {
		if !strings.Contains(step, want) {
			t.Errorf("de/steps/01.html lacks %s", want)
		}
	}
	if first := file(t, s, "en/steps/00.html"); !strings.Contains(first, "<code>sw.js</code>") || strings.Contains(first, "data-new") {
		t.Errorf("the first step lists its files and has no diff:\n%s", first)
	}
	sw := file(t, s, "sw.js")
	if !strings.Contains(sw, `"de/01-sync.html"`) || !strings.Contains(sw, `"slides/en/index.html"`) || strings.Contains(sw, ".zip") {
		t.Errorf("the service worker's precache list is wrong:\n%s", sw)
	}
	if deck := file(t, s, "slides/de/index.html"); strings.Count(deck, "<section") != 3 || !strings.Contains(deck, "Erklären.") {
		t.Errorf("the German deck:\n%s", deck)
	}
}

func TestZipHoldsTheCompleteCheckpoint(t *testing.T) {
	s, err := Build(context.Background(), fixture(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.File("steps/synclab-step-01.zip")
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "synclab-step-01/index.html synclab-step-01/sw.js" {
		t.Errorf("zip holds %v", names)
	}
	again, err := Build(context.Background(), fixture(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := again.File("steps/synclab-step-01.zip"); !bytes.Equal(b, b2) {
		t.Error("two builds give different ZIPs")
	}
}

func TestBuildReportsBrokenReferences(t *testing.T) {
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want []string
	}{
		{
			name: "missing region",
			edit: replace("chapters/de/01-sync.md", "region=sync", "region=gone"),
			want: []string{`de/01-sync.md:7: listing step=01 file=sw.js region=gone: sw.js at checkpoint 01 has no region "gone"`},
		},
		{
			name: "missing file and step",
			edit: replace("chapters/en/01-sync.md", "step=01 file=sw.js", "step=05 file=nope.js"),
			want: []string{`en/01-sync.md:7: listing step=05 file=nope.js region=sync: no checkpoint "05"`},
		},
		{
			name: "missing picture",
			edit: replace("chapters/de/01-sync.md", "pictures/flow.svg", "pictures/gone.svg"),
			want: []string{"de/01-sync.md:10: picture pictures/gone.svg: course/pictures has no gone.svg", "go run ./course -pictures"},
		},
		{
			name: "broken anchor and chapter link",
			edit: replace("chapters/en/01-sync.md", "(#step-1)", "(#step-2) [x](02-more.md)"),
			want: []string{`en/01-sync.md:3: link #step-2: 01-sync.md has no heading with the id "step-2"`, "en/01-sync.md:3: link 02-more.md: there is no chapter 02-more.md"},
		},
		{
			name: "unknown step link",
			edit: replace("chapters/de/01-sync.md", "(step:01)", "(step:09)"),
			want: []string{`de/01-sync.md:3: link step:09: no checkpoint "09"`},
		},
		{
			name: "languages differ in sections",
			edit: replace("chapters/en/01-sync.md", "## Step 1", "### Step 1"),
			want: []string{`en/01-sync.md:5: section 2 "Step 1" is level 3, but in de/01-sync.md:5 "Schritt 1" is level 2`},
		},
		{
			name: "languages differ in listings",
			edit: replace("chapters/en/01-sync.md", "region=sync", "lines=1-2"),
			want: []string{"en/01-sync.md:7: listing 1 is step=01 file=sw.js lines=1-2, but in de/01-sync.md:7 it is step=01 file=sw.js region=sync"},
		},
		{
			name: "decks differ in slides",
			edit: replace("decks/en/deck.md", "# Sync\n---\n", "# Sync\n"),
			want: []string{"de/deck.md has 3 slides, en/deck.md has 2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(context.Background(), fixture(t, tt.edit), Options{})
			if err == nil {
				t.Fatal("the site was built")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func replace(name, old, new string) func(fstest.MapFS) {
	return func(files fstest.MapFS) {
		f := files[name]
		if !strings.Contains(string(f.Data), old) {
			panic("fixture has no " + old)
		}
		files[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), old, new, 1))}
	}
}

func TestHandlerServesFolders(t *testing.T) {
	s, err := Build(context.Background(), fixture(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	tests := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/", 200, "text/html; charset=utf-8"},
		{"/de/", 200, "text/html; charset=utf-8"},
		{"/de/steps/01.html", 200, "text/html; charset=utf-8"},
		{"/sw.js", 200, "text/javascript; charset=utf-8"},
		{"/pictures/flow.svg", 200, "image/svg+xml"},
		{"/steps/synclab-step-00.zip", 200, "application/zip"},
		{"/nope.html", 404, ""},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		res, err := client.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status || (tt.ctype != "" && res.Header.Get("Content-Type") != tt.ctype) {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, res.StatusCode, res.Header.Get("Content-Type"), tt.status, tt.ctype)
		}
	}
	res, err := client.Get(srv.URL + "/de")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/de/" {
		t.Errorf("GET /de: %d to %q, want a redirect to /de/", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestWriteDir(t *testing.T) {
	s, err := Build(context.Background(), fixture(t, nil), Options{Langs: []string{"de"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := s.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "de/01-sync.html", ".nojekyll", "assets/reveal/reveal.js"} {
		if _, err := fs.Stat(osDirFS(dir), p); err != nil {
			t.Errorf("%s not written: %v", p, err)
		}
	}
	if _, ok := s.File("en/01-sync.html"); ok {
		t.Error("-lang de built English pages")
	}
}

func file(t *testing.T, s *Site, p string) string {
	t.Helper()
	b, ok := s.File(p)
	if !ok {
		t.Fatalf("no %s", p)
	}
	return string(b)
}
