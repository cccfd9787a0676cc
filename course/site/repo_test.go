package site

import (
	"html"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRepositoryCourseBuilds builds this repository's course: every
// listing, picture and internal link resolves and German and English have
// the same sections, listings and pictures (Build checks all of that).
func TestRepositoryCourseBuilds(t *testing.T) {
	s, err := repoSite()
	if err != nil {
		t.Fatalf("the course does not build:\n%v", err)
	}
	for _, lang := range []string{"de", "en"} {
		if len(s.Chapters[lang]) < 2 {
			t.Errorf("%s has %d chapters, want the chapter and the robust chapter", lang, len(s.Chapters[lang]))
		}
		if s.Decks[lang] == nil {
			t.Errorf("no %s deck", lang)
		}
	}
	if a, b := len(s.Decks["de"].Slides), len(s.Decks["en"].Slides); a != b || a < 20 {
		t.Errorf("the decks have %d (de) and %d (en) slides; a 90-minute lecture needs the same number, at least 20", a, b)
	}
}

var (
	figureRe = regexp.MustCompile(`<figure class="listing" data-step="(\d+)" data-file="([^"]+)"(?: data-region="[^"]*")? data-changed="([^"]*)"( data-new="all")?>`)
	lineRe   = regexp.MustCompile(`<span class="line(?: hl)?" data-line="(\d+)">`)
	hlRe     = regexp.MustCompile(`<span class="line hl" data-line="(\d+)">`)
	diffRe   = regexp.MustCompile(`(?s)<section class="file-diff" id="[^"]+" data-file="([^"]+)">(.*?)</section>`)
	addRe    = regexp.MustCompile(`<tr class="add" data-new="(\d+)"`)
)

// TestListingsHighlightExactlyTheStepsChanges reads the built pages: the
// lines each listing marks as changed are exactly the lines the step
// browser shows as added for that file, among the lines the listing shows.
func TestListingsHighlightExactlyTheStepsChanges(t *testing.T) {
	s, err := repoSite()
	if err != nil {
		t.Fatal(err)
	}
	added := map[string]map[int]bool{} // "step file" → added lines
	for _, p := range s.Paths() {
		if !strings.HasPrefix(p, "de/steps/") || p == "de/steps/index.html" {
			continue
		}
		step := strings.TrimSuffix(strings.TrimPrefix(p, "de/steps/"), ".html")
		page, _ := s.File(p)
		for _, m := range diffRe.FindAllStringSubmatch(string(page), -1) {
			lines := map[int]bool{}
			for _, a := range addRe.FindAllStringSubmatch(m[2], -1) {
				n, _ := strconv.Atoi(a[1])
				lines[n] = true
			}
			added[step+" "+m[1]] = lines
		}
	}
	checked, allNew := 0, 0
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") || strings.Contains(p, "/steps/") {
			continue
		}
		page, _ := s.File(p)
		html := string(page)
		locs := figureRe.FindAllStringSubmatchIndex(html, -1)
		for i, loc := range locs {
			step, file := html[loc[2]:loc[3]], html[loc[4]:loc[5]]
			end := len(html)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			fig := html[loc[0]:end]
			// The first <pre> is the listing itself (slides add copies for their steps).
			first := fig[:strings.Index(fig, "</pre>")]
			var shown, marked, want []int
			for _, m := range lineRe.FindAllStringSubmatch(first, -1) {
				n, _ := strconv.Atoi(m[1])
				shown = append(shown, n)
			}
			for _, m := range hlRe.FindAllStringSubmatch(first, -1) {
				n, _ := strconv.Atoi(m[1])
				marked = append(marked, n)
			}
			for _, n := range shown {
				if added[step+" "+file][n] {
					want = append(want, n)
				}
			}
			if loc[8] >= 0 {
				// A slide's listing whose lines are all new marks none
				// (highlight is for what changed); all of them must be
				// new in the step's diff.
				if !slices.Equal(want, shown) {
					t.Errorf("%s: listing of %s at checkpoint %s is marked all new, but the step's diff adds only %v of the lines shown %v", p, file, step, want, shown)
				}
				want = nil
				allNew++
			}
			if !slices.Equal(marked, want) {
				t.Errorf("%s: listing of %s at checkpoint %s marks lines %v, the step's diff adds %v of the lines shown", p, file, step, marked, want)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d listings checked; the course should have many more", checked)
	}
	if allNew == 0 {
		t.Errorf("no slide listing is marked all new; the decks show new files (e.g. db.js at its first step), so the pattern no longer matches them")
	}
	t.Logf("%d listings agree with their steps' diffs, %d of them all new and marking nothing", checked, allNew)
}

var refRe = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestEveryLinkOfTheSiteResolves follows every href and src of every page
// of the built site (navigation, listings, pictures, downloads, anchors):
// each names a file of the site, and an anchor an id of its page.
func TestEveryLinkOfTheSiteResolves(t *testing.T) {
	s, err := repoSite()
	if err != nil {
		t.Fatal(err)
	}
	// Each kind of link must have been followed at least once, and every page
	// must link somewhere: a site whose links were lost (or a pattern that no
	// longer matches them) must not pass with nothing checked.
	kinds := map[string]int{"page": 0, "anchor": 0, "picture": 0, "download": 0, "style or script": 0}
	checked := 0
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page, _ := s.File(p)
		before := checked
		for _, m := range refRe.FindAllStringSubmatch(string(page), -1) {
			ref := m[1]
			if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "mailto:") {
				continue
			}
			target, frag, _ := strings.Cut(ref, "#")
			resolved := p
			if target != "" {
				resolved = path.Join(path.Dir(p), target)
				if strings.HasSuffix(target, "/") {
					resolved += "/index.html"
				}
			}
			content, ok := s.File(resolved)
			if !ok {
				t.Errorf("%s links to %s: the site has no %s", p, ref, resolved)
				continue
			}
			if frag != "" && !strings.Contains(string(content), `id="`+frag+`"`) {
				t.Errorf("%s links to %s: %s has no id %q", p, ref, resolved, frag)
			}
			checked++
			kinds[linkKind(resolved, frag)]++
		}
		if checked == before {
			t.Errorf("%s links to nothing inside the site", p)
		}
	}
	for kind, n := range kinds {
		if n == 0 {
			t.Errorf("no link of kind %q was followed", kind)
		}
	}
	t.Logf("%d links resolve: %v", checked, kinds)
}

// linkKind sorts a followed link for TestEveryLinkOfTheSiteResolves.
func linkKind(resolved, frag string) string {
	switch ext := path.Ext(resolved); {
	case frag != "":
		return "anchor"
	case ext == ".html":
		return "page"
	case ext == ".png" || ext == ".svg" || ext == ".jpg" || ext == ".webp":
		return "picture"
	case ext == ".zip":
		return "download"
	case ext == ".css" || ext == ".js":
		return "style or script"
	}
	return "other"
}

// TestNoPageSaysGoRunChecks reads the built site: students run the checks
// with the installed command in their app folder (synclab-checks), since
// `go run ./checks` works only inside Sync Lab's repository. The step
// browser's pages show the command too.
func TestNoPageSaysGoRunChecks(t *testing.T) {
	s, err := repoSite()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page, _ := s.File(p)
		if strings.Contains(string(page), "go run ./checks") {
			t.Errorf("%s says go run ./checks", p)
		}
	}
	if step, _ := s.File("en/steps/03.html"); !strings.Contains(string(step), "synclab-checks -step 03") {
		t.Errorf("the step browser does not show synclab-checks -step 03")
	}
}

// TestEveryStepPageNamesItsChecks reads the built step browser: each
// step's page names every check of its step (checks/catalog) by id, with
// the command that runs it alone, in both languages.
func TestEveryStepPageNamesItsChecks(t *testing.T) {
	s, err := repoSite()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := StepChecks()
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) < 9 {
		t.Fatalf("checks for %d steps, want every step 00–08 to have checks", len(checks))
	}
	for step, list := range checks {
		for _, lang := range []string{"de", "en"} {
			p := lang + "/steps/" + step + ".html"
			page, ok := s.File(p)
			if !ok {
				t.Errorf("the site has no %s", p)
				continue
			}
			text := html.UnescapeString(string(page))
			for _, c := range list {
				if want := "<code>synclab-checks -only " + c.ID + "</code> — " + c.Title.In(lang); !strings.Contains(text, want) {
					t.Errorf("%s lacks %s", p, want)
				}
			}
		}
	}
}
