package content_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"synclab/course/content"
	"synclab/course/markdown"
	"synclab/frontend"
	"synclab/simulator/scenario"
)

// The forms in which the course names a check and quotes its hint. They
// are what the tests below verify against frontend/checks.json, so the
// course writes them exactly so:
//
//	Check `register-sync` – „Das Absenden registriert die Sync-Task sync-new-post“
//	check `register-sync` — “Submitting registers the sync task sync-new-post”
//	der Hinweis von `register-sync`: „Es wurde eine Sync-Task registriert, …“
//	the hint from `register-sync`: “A sync task was registered, …”
var (
	checkNamed  = regexp.MustCompile("(?i)\\bchecks?,?\\s+`([^`]+)`")
	checkTitled = regexp.MustCompile("(?i)\\bchecks?,?\\s+`([^`]+)`\\s*[–—]\\s*[„“]([^„“”\\n]*)[“”]")
	hintQuoted  = regexp.MustCompile("(?i)\\b(?:hinweis von|hint from)\\s+`([^`]+)`:\\s*[„“]([^„“”\\n]*)[“”]")
	quotation   = regexp.MustCompile("[„“]([^„“”\\n]*)[“”]")
	onlyFlag    = regexp.MustCompile(`-only[ =]([^\s` + "`" + `]+)`)
)

// installLine installs the command students run in their app folder.
const installLine = "go install -tags synclab_embed ./checks/synclab-checks"

// longQuote is the length from which a quotation in the course must be a
// check's title or hint in one of the forms above: shorter ones are the
// app's own words („Beitrag zum Synchronisieren gespeichert!“).
const longQuote = 45

type check struct {
	ID    string `json:"id"`
	Step  string `json:"step"`
	Group string `json:"group"`
	Title struct {
		DE string `json:"de"`
		EN string `json:"en"`
	} `json:"title"`
	Hints []struct {
		DE string `json:"de"`
		EN string `json:"en"`
	} `json:"hints"`
}

func (c check) title(lang string) string {
	if lang == "en" {
		return c.Title.EN
	}
	return c.Title.DE
}

func (c check) hints(lang string) []string {
	var out []string
	for _, h := range c.Hints {
		if lang == "en" {
			out = append(out, h.EN)
		} else {
			out = append(out, h.DE)
		}
	}
	return out
}

func checks(t *testing.T) map[string]check {
	t.Helper()
	data, err := frontend.ChecksJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Checks []check }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	byID := map[string]check{}
	for _, c := range doc.Checks {
		byID[c.ID] = c
	}
	return byID
}

// page is a Markdown file students read: a chapter or a deck.
type page struct {
	name, lang, text string
	chapter          bool // a chapter, not a deck
}

func pages(t *testing.T) []page {
	t.Helper()
	var out []page
	for _, src := range []struct {
		prefix  string
		fsys    fs.FS
		chapter bool
	}{{"course/content/", content.FS(), true}, {"course/content/decks/", content.Decks(), false}} {
		err := fs.WalkDir(src.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			b, err := fs.ReadFile(src.fsys, p)
			out = append(out, page{name: src.prefix + p, lang: strings.SplitN(p, "/", 2)[0], text: string(b), chapter: src.chapter})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 6 {
		t.Fatalf("only %d pages found", len(out))
	}
	return out
}

func lineAt(text string, offset int) int { return strings.Count(text[:offset], "\n") + 1 }

// TestNoGoRunChecksForStudents: students run the installed command in
// their app folder; `go run ./checks` works only inside Sync Lab's
// repository.
func TestNoGoRunChecksForStudents(t *testing.T) {
	for _, p := range pages(t) {
		for i, line := range strings.Split(p.text, "\n") {
			if strings.Contains(line, "go run ./checks") {
				t.Errorf("%s:%d says go run ./checks; students run synclab-checks in their app folder: %s", p.name, i+1, line)
			}
		}
	}
}

// TestTheCourseSaysOnceHowToInstallTheCommand: each language's chapters
// give the install line exactly once, before the first synclab-checks.
func TestTheCourseSaysOnceHowToInstallTheCommand(t *testing.T) {
	for _, lang := range []string{"de", "en"} {
		var all strings.Builder
		for _, p := range pages(t) {
			if p.lang == lang && p.chapter {
				all.WriteString(p.text)
			}
		}
		text := all.String()
		if n := strings.Count(text, installLine); n != 1 {
			t.Errorf("the %s chapters give %q %d times, want once", lang, installLine, n)
			continue
		}
		install := strings.Index(text, installLine)
		first := strings.Index(strings.ReplaceAll(text, "./checks/synclab-checks", "./checks/INSTALL"), "synclab-checks")
		if first < install {
			t.Errorf("the %s chapters use synclab-checks before they say how to install it", lang)
		}
	}
}

// TestChecksAreNamedAsInChecksJSON: every check the course and the decks
// name exists; every quoted title and hint is the one in checks.json, in
// the page's language, word for word; every long quotation is one of them;
// every -only names checks that exist.
func TestChecksAreNamedAsInChecksJSON(t *testing.T) {
	byID := checks(t)
	titles, hints := 0, 0
	for _, p := range pages(t) {
		verified := make([]bool, len(p.text))
		mark := func(loc []int) {
			for i := loc[0]; i < loc[1]; i++ {
				verified[i] = true
			}
		}
		for _, m := range checkNamed.FindAllStringSubmatchIndex(p.text, -1) {
			if id := p.text[m[2]:m[3]]; byID[id].ID == "" {
				t.Errorf("%s:%d names check %q; checks.json has no such check", p.name, lineAt(p.text, m[0]), id)
			}
		}
		for _, m := range checkTitled.FindAllStringSubmatchIndex(p.text, -1) {
			id, quoted := p.text[m[2]:m[3]], p.text[m[4]:m[5]]
			c, ok := byID[id]
			switch {
			case !ok:
				continue // reported above
			case quoted != c.title(p.lang):
				t.Errorf("%s:%d quotes the title of %s as\n\t%q\nchecks.json (%s):\n\t%q", p.name, lineAt(p.text, m[0]), id, quoted, p.lang, c.title(p.lang))
			default:
				titles++
			}
			mark(m[4:6])
		}
		for _, m := range hintQuoted.FindAllStringSubmatchIndex(p.text, -1) {
			id, quoted := p.text[m[2]:m[3]], p.text[m[4]:m[5]]
			c, ok := byID[id]
			switch {
			case !ok:
				t.Errorf("%s:%d quotes a hint of check %q; checks.json has no such check", p.name, lineAt(p.text, m[0]), id)
			case !slices.Contains(c.hints(p.lang), quoted):
				t.Errorf("%s:%d quotes a hint of %s as\n\t%q\nits hints in checks.json (%s):\n\t%s", p.name, lineAt(p.text, m[0]), id, quoted, p.lang, strings.Join(c.hints(p.lang), "\n\t"))
			default:
				hints++
			}
			mark(m[4:6])
		}
		for _, m := range quotation.FindAllStringSubmatchIndex(p.text, -1) {
			if utf8.RuneCountInString(p.text[m[2]:m[3]]) >= longQuote && !verified[m[2]] {
				t.Errorf("%s:%d quotes %q outside the forms the tests verify (Check `ID` – „title“, Hinweis von `ID`: „hint“); write it in one of them", p.name, lineAt(p.text, m[0]), p.text[m[2]:m[3]])
			}
		}
		for _, m := range onlyFlag.FindAllStringSubmatchIndex(p.text, -1) {
			ids := p.text[m[2]:m[3]]
			if strings.ToUpper(ids) == ids {
				continue // a placeholder in the flags' description: -only ID
			}
			for _, id := range strings.Split(ids, ",") {
				if byID[id].ID == "" {
					t.Errorf("%s:%d runs -only %s; checks.json has no check %q", p.name, lineAt(p.text, m[0]), ids, id)
				}
			}
		}
	}
	if titles < 2*len(byID) || hints < 10 {
		t.Errorf("%d titles and %d hints verified; the chapters should name every check in both languages and quote the hints of the mistakes they discuss", titles, hints)
	}
	t.Logf("%d titles and %d hints match checks.json", titles, hints)
}

// TestEveryCheckIsNamedInItsChapter: each chapter names, in both
// languages, every check of its group with its title and the command that
// runs just that check — the chapter's checks in the first chapter, the
// robust step's in the second.
func TestEveryCheckIsNamedInItsChapter(t *testing.T) {
	chapterOf := map[string]string{"chapter": "01-", "robust": "02-"}
	for _, p := range pages(t) {
		if !p.chapter {
			continue
		}
		titled := map[string]bool{}
		for _, m := range checkTitled.FindAllStringSubmatch(p.text, -1) {
			titled[m[1]] = true
		}
		runs := map[string]bool{}
		for _, c := range markdown.Commands([]byte(p.text), "synclab-checks") {
			if m := onlyFlag.FindStringSubmatch(c.Text); m != nil {
				for _, id := range strings.Split(m[1], ",") {
					runs[id] = true
				}
			}
		}
		file := p.name[strings.LastIndex(p.name, "/")+1:]
		for id, c := range checks(t) {
			if !strings.HasPrefix(file, chapterOf[c.Group]) {
				continue
			}
			if !titled[id] {
				t.Errorf("%s does not name check %s with its title (Check `%s` – „%s“)", p.name, id, id, c.title(p.lang))
			}
			if !runs[id] {
				t.Errorf("%s does not show the command that runs just check %s (synclab-checks -only %s)", p.name, id, id)
			}
		}
	}
}

// TestTheCommandLinesCanRun: the command lines the course and the decks
// show for synclab-checks are found, and none holds a placeholder a
// student would have to replace (ID, PATH): each can be run as it stands
// (course/site's TestEveryChecksCommandOfTheCourseWorks runs them).
func TestTheCommandLinesCanRun(t *testing.T) {
	placeholder := regexp.MustCompile(`\b[A-Z][A-Z-]+\b`)
	seen := map[string]bool{}
	for _, p := range pages(t) {
		for _, c := range markdown.Commands([]byte(p.text), "synclab-checks") {
			seen[c.Text] = true
			if ph := placeholder.FindString(c.Text); ph != "" {
				t.Errorf("%s:%d shows %q with the placeholder %s; show a command that runs as it stands", p.name, c.Line, c.Text, ph)
			}
		}
	}
	for _, want := range []string{"synclab-checks", "synclab-checks -step 04", "synclab-checks -watch", "synclab-checks -robust", "synclab-checks -only replay -v", "synclab-checks -only register-sync"} {
		if !seen[want] {
			t.Errorf("the course does not show %q", want)
		}
	}
	t.Logf("%d distinct command lines: %s", len(seen), fmt.Sprint(slices.Sorted(func(yield func(string) bool) {
		for s := range seen {
			if !yield(s) {
				return
			}
		}
	})))
}

// TestTheSimulatorLinesNameRealChecks: every `go run ./simulator` line of
// the course and the decks names, with -check or -scenario, a check or a
// journey the simulator knows, and a checkpoint that exists, so that a
// renamed check cannot leave a line behind that fails.
func TestTheSimulatorLinesNameRealChecks(t *testing.T) {
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`go run \./simulator[^\n` + "`" + `]*`)
	named := regexp.MustCompile(`-(check|scenario|step) ([A-Za-z0-9-]+)`)
	lines := 0
	for _, p := range pages(t) {
		for _, loc := range line.FindAllStringIndex(p.text, -1) {
			cmd := p.text[loc[0]:loc[1]]
			lines++
			for _, m := range named.FindAllStringSubmatch(cmd, -1) {
				switch flag, arg := m[1], m[2]; {
				case arg == "NAME" || arg == "NN":
					// a placeholder the text explains
				case flag == "step":
					if !slices.ContainsFunc(steps, func(s frontend.Step) bool { return s.ID == arg }) {
						t.Errorf("%s:%d: %q names no checkpoint %s", p.name, lineAt(p.text, loc[0]), cmd, arg)
					}
				default:
					if _, err := scenario.Find(arg); err != nil {
						t.Errorf("%s:%d: %q: %v", p.name, lineAt(p.text, loc[0]), cmd, err)
					}
				}
			}
		}
	}
	if lines < 10 {
		t.Errorf("found only %d simulator lines", lines)
	}
}
