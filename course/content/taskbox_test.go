package content_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"synclab/course/markdown"
	"synclab/frontend"
)

// The task box that opens each step: an admonition with this title.
var taskBoxTitle = map[string]string{"de": "Deine Aufgabe", "en": "Your task"}

// taskBox is a task box of a chapter: where it is, the section it opens
// and its content (without the four spaces of indentation).
type taskBox struct {
	page    page
	line    int
	heading string
	text    string
}

// taskBoxes returns the task boxes of a page with the heading of the
// section each is in.
func taskBoxes(p page) []taskBox {
	var out []taskBox
	lines := strings.Split(p.text, "\n")
	heading := ""
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			heading = lines[i]
		}
		if lines[i] != `!!! example "`+taskBoxTitle[p.lang]+`"` {
			continue
		}
		b := taskBox{page: p, line: i + 1, heading: heading}
		var body []string
		for j := i + 1; j < len(lines) && (strings.TrimSpace(lines[j]) == "" || strings.HasPrefix(lines[j], "    ")); j++ {
			body = append(body, strings.TrimPrefix(lines[j], "    "))
		}
		b.text = strings.Join(body, "\n")
		out = append(out, b)
	}
	return out
}

// opensWithTaskBox reports whether the first non-blank line after the
// heading opens a task box.
func opensWithTaskBox(p page, heading string) bool {
	lines := strings.Split(p.text, "\n")
	for i, l := range lines {
		if l != heading {
			continue
		}
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(next) != "" {
				return next == `!!! example "`+taskBoxTitle[p.lang]+`"`
			}
		}
	}
	return false
}

var stepHeading = regexp.MustCompile(`^## (?:Schritt|Step|Ausgangspunkt: Checkpoint|Starting point: checkpoint) (\d\d)\b`)

// TestEveryStepOpensWithATaskBox: in both languages each step of the
// first chapter (00–07) opens with a task box that names the step's files
// from steps.json, its checks from checks.json by id and title, the
// commands that run them in the student's folder (synclab-checks -step NN
// and -only with the step's checks) and a typical mistake with the hint
// the checks give for it. The second chapter opens with a box for step 08
// (its files, every robust check, synclab-checks -robust), and each robust
// check has a box of its own with its -only command and a mistake.
func TestEveryStepOpensWithATaskBox(t *testing.T) {
	byID := checks(t)
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{}
	for _, s := range steps {
		files[s.ID] = s.Files
	}
	boxes := 0
	for _, p := range pages(t) {
		if !p.chapter {
			continue
		}
		file := p.name[strings.LastIndex(p.name, "/")+1:]
		all := taskBoxes(p)
		boxes += len(all)
		switch {
		case strings.HasPrefix(file, "01-"):
			seen := map[string]bool{}
			for _, line := range strings.Split(p.text, "\n") {
				m := stepHeading.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				step := m[1]
				seen[step] = true
				if !opensWithTaskBox(p, line) {
					t.Errorf("%s: %q does not open with a task box (!!! example %q)", p.name, line, taskBoxTitle[p.lang])
					continue
				}
				var b taskBox
				for _, c := range all {
					if c.heading == line {
						b = c
						break
					}
				}
				var ids []string
				for id, c := range byID {
					if c.Group == "chapter" && c.Step == step {
						ids = append(ids, id)
					}
				}
				slices.Sort(ids)
				checkBox(t, b, byID, ids, files[step], "synclab-checks -step "+step, true)
			}
			for _, s := range steps {
				if !s.BeyondChapter && !seen[s.ID] {
					t.Errorf("%s has no section for step %s", p.name, s.ID)
				}
			}
		case strings.HasPrefix(file, "02-"):
			var robust []string
			for id, c := range byID {
				if c.Group == "robust" {
					robust = append(robust, id)
				}
			}
			slices.Sort(robust)
			if len(all) == 0 {
				t.Errorf("%s has no task box", p.name)
				continue
			}
			checkBox(t, all[0], byID, robust, files["08"], "synclab-checks -robust", false)
			for _, id := range robust {
				found := false
				for _, b := range all[1:] {
					if slices.Contains(boxChecks(b), id) {
						found = true
						if !opensWithTaskBox(p, b.heading) {
							t.Errorf("%s:%d: the task box for %s is not the first thing in its section %q", p.name, b.line, id, b.heading)
						}
						checkBox(t, b, byID, []string{id}, nil, "", true)
					}
				}
				if !found {
					t.Errorf("%s has no task box for check %s", p.name, id)
				}
			}
		}
	}
	if boxes < 2*(8+7) {
		t.Errorf("%d task boxes in the chapters, want %d", boxes, 2*(8+7))
	}
}

// boxChecks returns the checks a task box names with their titles.
func boxChecks(b taskBox) []string {
	var ids []string
	for _, m := range checkTitled.FindAllStringSubmatch(b.text, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// checkBox checks one task box: it names exactly the checks ids with their
// titles (the titles themselves are compared by
// TestChecksAreNamedAsInChecksJSON), every file, the command stepCmd (if
// any) and -only with all of ids, and, if mistake, a quoted hint of one of
// its checks.
func checkBox(t *testing.T, b taskBox, byID map[string]check, ids, files []string, stepCmd string, mistake bool) {
	t.Helper()
	if b.text == "" {
		t.Errorf("a task box is missing")
		return
	}
	where := fmt.Sprintf("%s:%d", b.page.name, b.line)
	named := boxChecks(b)
	slices.Sort(named)
	if !slices.Equal(named, ids) {
		t.Errorf("%s: the task box names the checks %v, the step has %v", where, named, ids)
	}
	for _, f := range files {
		if !strings.Contains(b.text, "`"+f+"`") {
			t.Errorf("%s: the task box does not name the file `%s` (steps.json)", where, f)
		}
	}
	var cmds []string
	for _, c := range markdown.Commands([]byte(b.text), "synclab-checks") {
		cmds = append(cmds, c.Text)
	}
	if stepCmd != "" && !slices.Contains(cmds, stepCmd) {
		t.Errorf("%s: the task box does not show %q (it shows %q)", where, stepCmd, cmds)
	}
	if len(ids) > 0 && stepCmd != "synclab-checks -robust" {
		only := "synclab-checks -only " + strings.Join(ids, ",")
		ok := false
		for _, c := range cmds {
			if m := onlyFlag.FindStringSubmatch(c); m != nil {
				got := strings.Split(m[1], ",")
				slices.Sort(got)
				ok = ok || slices.Equal(got, ids)
			}
		}
		if !ok {
			t.Errorf("%s: the task box does not run just its checks (%s; it shows %q)", where, only, cmds)
		}
	}
	if !mistake {
		return
	}
	quoted := false
	for _, m := range hintQuoted.FindAllStringSubmatch(b.text, -1) {
		quoted = quoted || slices.Contains(ids, m[1])
	}
	if !quoted {
		t.Errorf("%s: the task box quotes no hint of its checks for the typical mistake", where)
	}
}

var (
	sampleComment = regexp.MustCompile(`<!-- sample from a real run: (studentapp\.Write\(dir, "(\d\d)"[^\n]*?\)), then synclab-checks -only ([a-z0-9-]+) -lang (de|en)\b[^\n]*-->`)
	failedLine    = regexp.MustCompile(`^\s*✗ (\d\d) (.*?)\s+\d+(?:\.\d+)?/\d+$`)
	labelLine     = regexp.MustCompile(`^\s*(erwartet|expected|gesehen|seen|Tipp|hint):\s+(.*)$`)
)

// TestTaskBoxSamplesAreRealOutput: the typical mistake of each task box
// comes with what the checks print for it, taken from a real run and not
// typed: a comment names how it was made (the studentapp fault on a
// checkpoint, the -only and -lang of the run), and the text block after it
// holds the failed check's line with its title and step, what was expected
// and seen, and a hint of that check word for word from checks.json.
func TestTaskBoxSamplesAreRealOutput(t *testing.T) {
	byID := checks(t)
	samples := 0
	for _, p := range pages(t) {
		if !p.chapter {
			continue
		}
		for i, b := range taskBoxes(p) {
			if strings.HasPrefix(p.name[strings.LastIndex(p.name, "/")+1:], "02-") && i == 0 {
				continue // the box over the whole robust step: its sections hold the mistakes
			}
			where := fmt.Sprintf("%s:%d", p.name, b.line)
			m := sampleComment.FindStringSubmatchIndex(b.text)
			if m == nil {
				t.Errorf("%s: the task box has no sample of the checks' output (a comment <!-- sample from a real run: studentapp.Write(dir, \"NN\", …), then synclab-checks -only ID -lang %s … --> and a text block)", where, p.lang)
				continue
			}
			id, lang := b.text[m[6]:m[7]], b.text[m[8]:m[9]]
			c, ok := byID[id]
			switch {
			case !ok:
				t.Errorf("%s: the sample was made with -only %s; checks.json has no such check", where, id)
				continue
			case !slices.Contains(boxChecks(b), id):
				t.Errorf("%s: the sample shows check %s, which the task box does not name", where, id)
			case lang != p.lang:
				t.Errorf("%s: the sample was made with -lang %s on a page in %s", where, lang, p.lang)
			}
			rest := b.text[m[1]:]
			start := strings.Index(rest, "```text\n")
			end := strings.Index(rest[start+1:], "\n```")
			if start < 0 || end < 0 || strings.TrimSpace(rest[:start]) != "" {
				t.Errorf("%s: the sample comment is not followed by a text block", where)
				continue
			}
			block := rest[start+len("```text\n") : start+1+end]
			var failed, hint string
			labels := map[string]bool{}
			for _, line := range strings.Split(block, "\n") {
				if f := failedLine.FindStringSubmatch(line); f != nil {
					if f[1] != c.Step || f[2] != c.title(p.lang) {
						t.Errorf("%s: the sample's failed check reads %q %q; checks.json: step %s, %q", where, f[1], f[2], c.Step, c.title(p.lang))
					}
					failed = f[2]
				}
				if l := labelLine.FindStringSubmatch(line); l != nil {
					labels[l[1]] = true
					if l[1] == "Tipp" || l[1] == "hint" {
						hint = l[2]
					}
				}
			}
			expected, seen, hintLabel := "erwartet", "gesehen", "Tipp"
			if p.lang == "en" {
				expected, seen, hintLabel = "expected", "seen", "hint"
			}
			switch {
			case failed == "":
				t.Errorf("%s: the sample has no failed check (✗ %s %s)", where, c.Step, c.title(p.lang))
			case !labels[expected] || !labels[seen] || !labels[hintLabel]:
				t.Errorf("%s: the sample lacks what was %s, %s or the %s", where, expected, seen, hintLabel)
			case !slices.Contains(c.hints(p.lang), hint):
				t.Errorf("%s: the sample's hint\n\t%q\nis none of %s's hints in checks.json (%s):\n\t%s", where, hint, id, p.lang, strings.Join(c.hints(p.lang), "\n\t"))
			default:
				samples++
			}
		}
	}
	if samples < 2*(8+6) {
		t.Errorf("%d samples verified, want %d (one per task box with a mistake, both languages)", samples, 2*(8+6))
	}
	t.Logf("%d samples of the checks' output match checks.json", samples)
}

// The fold that hides a step's solution until the student asks for it.
var solutionFold = map[string]string{"de": `??? tip "Lösung ansehen"`, "en": `??? tip "Show solution"`}

var listingStep = regexp.MustCompile("^( *)```listing step=(\\d\\d) ")

// TestSolutionsAreFolded: in every section a task box opens, each listing
// of the task's own step (the step of the checks the box names) sits in a
// folded "show solution" box, so the student meets the task before the
// answer; listings of earlier steps (what the code was) stay open. Every
// such section shows its solution at least once.
func TestSolutionsAreFolded(t *testing.T) {
	byID := checks(t)
	sections := 0
	for _, p := range pages(t) {
		if !p.chapter {
			continue
		}
		boxes := map[string]taskBox{}
		for _, b := range taskBoxes(p) {
			boxes[b.heading] = b
		}
		lines := strings.Split(p.text, "\n")
		for i := 0; i < len(lines); i++ {
			b, ok := boxes[lines[i]]
			if !ok {
				continue
			}
			step := ""
			for _, id := range boxChecks(b) {
				step = max(step, byID[id].Step)
			}
			if step == "" {
				t.Errorf("%s: the task box of %q names no check with a step", p.name, lines[i])
				continue
			}
			if step == "00" {
				continue // the starting point: nothing to solve, its listings show the app as it is
			}
			sections++
			folded := 0
			for j := i + 1; j < len(lines) && !strings.HasPrefix(lines[j], "## "); j++ {
				m := listingStep.FindStringSubmatch(lines[j])
				if m == nil || m[2] != step {
					continue
				}
				if m[1] == "    " && lines[j-1] == solutionFold[p.lang] {
					folded++
					continue
				}
				t.Errorf("%s:%d: the solution (listing step=%s) of %q is not folded in %s", p.name, j+1, step, lines[i], solutionFold[p.lang])
			}
			if folded == 0 {
				t.Errorf("%s: %q shows no solution of step %s in a fold", p.name, lines[i], step)
			}
		}
	}
	if sections < 2*(7+7) {
		t.Errorf("%d sections with a task box checked, want at least %d", sections, 2*(7+7))
	}
}
