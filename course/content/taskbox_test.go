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
		if !strings.HasPrefix(p.name, "course/") {
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
