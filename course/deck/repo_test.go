package deck

import (
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"synclab/course/content"
	"synclab/course/listing"
	"synclab/course/markdown"
)

// repoDecks builds this repository's decks from the checkpoints, as the
// site does.
func repoDecks(t *testing.T) (map[string]*Deck, *listing.Library) {
	t.Helper()
	lib, err := listing.New(listing.Frontend())
	if err != nil {
		t.Fatal(err)
	}
	decks := map[string]*Deck{}
	for _, lang := range []string{"de", "en"} {
		src, err := fs.ReadFile(content.Decks(), lang+"/deck.md")
		if err != nil {
			t.Fatal(err)
		}
		d, err := Build(lang+"/deck.md", src, Converters{
			Slides: markdown.New(markdown.Options{Listings: lib, Lang: lang, Slides: true, PicturesURL: "../../pictures/"}),
			Notes:  markdown.New(markdown.Options{Listings: lib, Lang: lang, PicturesURL: "../../pictures/"}),
		})
		if err != nil {
			t.Fatalf("the %s deck does not build:\n%v", lang, err)
		}
		decks[lang] = d
	}
	return decks, lib
}

// stepped is a listing of a built slide as its HTML shows it.
type stepped struct {
	spec listing.Spec
	// parts are data-line-numbers' parts: the first view, then each step.
	parts [][]int
	// names are data-steps' names (none for steps by changed blocks).
	names []string
	// first are the lines the first view marks; fragments counts the
	// step views.
	first     []int
	fragments int
}

var (
	figRe       = regexp.MustCompile(`(?s)<figure class="listing" data-step="(\d+)" data-file="([^"]+)"(?: data-region="([^"]*)")?[^>]*>(.*?)</figure>`)
	lineNumsRe  = regexp.MustCompile(`data-line-numbers="([^"]*)"`)
	stepNamesRe = regexp.MustCompile(`data-steps="([^"]*)"`)
	hlLineRe    = regexp.MustCompile(`<span class="line hl" data-line="(\d+)">`)
)

// listingsOf reads the listings of a slide's HTML, independently of the
// code that wrote them.
func listingsOf(t *testing.T, html string) []stepped {
	t.Helper()
	var out []stepped
	for _, m := range figRe.FindAllStringSubmatch(html, -1) {
		s := stepped{spec: listing.Spec{Step: m[1], File: m[2], Region: m[3]}}
		body := m[4]
		if n := lineNumsRe.FindStringSubmatch(body); n != nil {
			for _, part := range strings.Split(n[1], "|") {
				s.parts = append(s.parts, expand(t, part))
			}
		}
		if n := stepNamesRe.FindStringSubmatch(body); n != nil {
			s.names = strings.Split(n[1], "|")
		}
		first := body[:strings.Index(body, "</pre>")]
		for _, h := range hlLineRe.FindAllStringSubmatch(first, -1) {
			n, _ := strconv.Atoi(h[1])
			s.first = append(s.first, n)
		}
		s.fragments = strings.Count(body, `<pre class="chroma has-highlights fragment current-visible"`)
		out = append(out, s)
	}
	return out
}

// expand reads reveal.js ranges ("3-5,9") into line numbers; a range may
// span hidden marker lines, which the caller ignores.
func expand(t *testing.T, ranges string) []int {
	t.Helper()
	var out []int
	if ranges == "" {
		return nil
	}
	for _, r := range strings.Split(ranges, ",") {
		from, to, ok := strings.Cut(r, "-")
		if !ok {
			to = from
		}
		a, err1 := strconv.Atoi(from)
		b, err2 := strconv.Atoi(to)
		if err1 != nil || err2 != nil || b < a {
			t.Fatalf("data-line-numbers part %q is not reveal.js's syntax", ranges)
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out
}

// texts returns the lines of a listing that a part names (marker lines a
// range spans are not shown and left out).
func texts(l *listing.Listing, part []int) []string {
	var out []string
	for _, ln := range l.Lines {
		if slices.Contains(part, ln.Number) {
			out = append(out, ln.Text)
		}
	}
	return out
}

func anyHolds(lines []string, text string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, text) })
}

// TestTheCoreListingsStepThroughWhatTheyName reads the built decks: the
// replay in sw.js steps FormData → fetch → ok → delete → catch and the
// submit in feed.js through storing, registering and the snackbar, each
// step's lines (from data-line-numbers, read against the checkpoint's own
// file) holding what the step is named for.
func TestTheCoreListingsStepThroughWhatTheyName(t *testing.T) {
	decks, lib := repoDecks(t)
	cases := []struct {
		spec  listing.Spec
		names map[string][]string // language → step names in order
		holds []string            // per step: a text every run of its lines starts near
	}{
		{
			spec:  listing.Spec{Step: "07", File: "sw.js", Region: "replay"},
			names: map[string][]string{"de": {"FormData", "fetch", "ok", "delete", "catch"}, "en": {"FormData", "fetch", "ok", "delete", "catch"}},
			holds: []string{"new FormData(", "fetch(", "response.ok", "deleteOneData(", ".catch("},
		},
		{
			spec:  listing.Spec{Step: "04", File: "src/js/feed.js", Region: "sync-branch"},
			names: map[string][]string{"de": {"Speichern", "Registrieren", "Snackbar"}, "en": {"store", "register", "snackbar"}},
			holds: []string{"writeData('sync-posts'", "sync.register('sync-new-post')", "showSnackbar("},
		},
		{
			spec:  listing.Spec{Step: "08", File: "src/js/feed.js", Region: "outbox-first"},
			names: map[string][]string{"de": {"Speichern", "Fallback", "Registrieren", "Snackbar"}, "en": {"store", "fallback", "register", "snackbar"}},
			holds: []string{"writeData('sync-posts'", "sendDataToBackend(", "sync.register('sync-new-post')", "showToast("},
		},
	}
	for _, lang := range []string{"de", "en"} {
		for _, c := range cases {
			found := false
			for _, s := range decks[lang].Slides {
				for _, l := range listingsOf(t, string(s.HTML)) {
					if l.spec != c.spec {
						continue
					}
					found = true
					src, err := lib.Load(c.spec)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(l.names, c.names[lang]) {
						t.Errorf("%s: %s steps through %v, want %v", lang, c.spec, l.names, c.names[lang])
						continue
					}
					if len(l.parts) != 1+len(c.holds) || l.fragments != len(c.holds) {
						t.Errorf("%s: %s has %d parts in data-line-numbers and %d step views, want %d and %d", lang, c.spec, len(l.parts), l.fragments, 1+len(c.holds), len(c.holds))
						continue
					}
					for i, text := range c.holds {
						lines := texts(src, l.parts[i+1])
						if len(lines) == 0 || !anyHolds(lines, text) {
							t.Errorf("%s: %s: step %q shows lines %v, none holds %q: %q", lang, c.spec, l.names[i], l.parts[i+1], text, lines)
						}
						if len(lines) > len(src.Lines)/2 {
							t.Errorf("%s: %s: step %q shows %d of %d lines; a step shows a part", lang, c.spec, l.names[i], len(lines), len(src.Lines))
						}
					}
				}
			}
			if !found {
				t.Errorf("%s deck: no listing %s", lang, c.spec)
			}
		}
	}
}

// TestEveryNamedStepPointsAtWhatItNames reads every listing of both decks:
// each named step's lines hold one of its texts, every run of its lines
// starts at such a line, and German and English step through the same
// lines.
func TestEveryNamedStepPointsAtWhatItNames(t *testing.T) {
	decks, lib := repoDecks(t)
	perLang := map[string][][]string{}
	named := 0
	for _, lang := range []string{"de", "en"} {
		for _, s := range decks[lang].Slides {
			for _, st := range s.Listings {
				perLang[lang] = append(perLang[lang], []string{st.Step + " " + st.File + " " + st.Region, st.LineNumbers})
				spec := listing.Spec{Step: st.Step, File: st.File, Region: st.Region}
				src, err := lib.Load(spec)
				if err != nil {
					t.Fatal(err)
				}
				for _, ns := range st.Steps {
					named++
					if len(ns.Lines) == 0 {
						t.Errorf("%s: %s: step %q has no lines", lang, spec, ns.Name)
					}
					holds := func(n int) bool {
						for _, text := range ns.Texts {
							if strings.Contains(st.Texts[n], strings.TrimSuffix(text, "…")) {
								return true
							}
						}
						return false
					}
					for i, n := range ns.Lines {
						if src.Lines[slices.IndexFunc(src.Lines, func(l listing.Line) bool { return l.Number == n })].Text != st.Texts[n] {
							t.Errorf("%s: %s: line %d is not the checkpoint's line", lang, spec, n)
						}
						prev := -1
						if i > 0 {
							prev = ns.Lines[i-1]
						}
						if (i == 0 || !adjacent(src, prev, n)) && !holds(n) {
							t.Errorf("%s: %s: step %q starts a run at line %d %q, which holds none of %q", lang, spec, ns.Name, n, st.Texts[n], ns.Texts)
						}
					}
				}
			}
		}
	}
	if !slices.EqualFunc(perLang["de"], perLang["en"], slices.Equal) {
		t.Errorf("the decks step through different lines:\nde %v\nen %v", perLang["de"], perLang["en"])
	}
	if named < 40 {
		t.Errorf("only %d named steps in both decks", named)
	}
}

// adjacent reports whether line b is shown right after line a.
func adjacent(l *listing.Listing, a, b int) bool {
	i := slices.IndexFunc(l.Lines, func(ln listing.Line) bool { return ln.Number == a })
	return i >= 0 && i+1 < len(l.Lines) && l.Lines[i+1].Number == b
}

// TestNoNewFileIsHighlightedInFull reads every listing of both decks: a
// listing of a file the step adds marks none of its lines in the first
// view (the highlight is for what changed, and all of a new file did) and
// steps through named parts instead; a listing of a changed file marks
// exactly its changed lines; every listing that changes lines steps.
func TestNoNewFileIsHighlightedInFull(t *testing.T) {
	decks, lib := repoDecks(t)
	newFiles := 0
	for _, lang := range []string{"de", "en"} {
		for _, s := range decks[lang].Slides {
			for _, l := range listingsOf(t, string(s.HTML)) {
				src, err := lib.Load(l.spec)
				if err != nil {
					t.Fatal(err)
				}
				changed := src.Changed()
				all := len(changed) == len(src.Lines)
				switch {
				case src.NewFile:
					newFiles++
					if len(l.first) > 0 {
						t.Errorf("%s: %s is a new file and marks lines %v in full view", lang, l.spec, l.first)
					}
					if len(l.names) == 0 {
						t.Errorf("%s: %s is a new file and names no steps", lang, l.spec)
					}
				case all:
					if len(l.first) > 0 {
						t.Errorf("%s: %s is new as a whole and marks lines %v in full view", lang, l.spec, l.first)
					}
				default:
					if !slices.Equal(l.first, changed) {
						t.Errorf("%s: %s marks %v, the step changed %v", lang, l.spec, l.first, changed)
					}
				}
				if len(changed) > 0 && l.fragments == 0 {
					t.Errorf("%s: %s changes lines %v and does not step through them", lang, l.spec, changed)
				}
				for i, p := range l.parts[1:] {
					if len(p) == 0 {
						t.Errorf("%s: %s: step %d highlights nothing", lang, l.spec, i+1)
					}
					if len(p) >= len(src.Lines) && len(src.Lines) > 3 {
						t.Errorf("%s: %s: step %d highlights every line", lang, l.spec, i+1)
					}
				}
			}
		}
	}
	if newFiles == 0 {
		t.Error("no listing of a new file in the decks; the test proves nothing")
	}
}
