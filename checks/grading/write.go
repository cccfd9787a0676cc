package grading

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
	"synclab/simulator/trace"
)

// Write stores the grades in dir: grades.csv, grades.json, report.html
// (the class), and per submission submissions/NAME/ with index.html (each
// check with its evidence and hint), results.json (Gradescope's format)
// and the timelines of its scenarios.
func Write(dir string, grades []Grade, checks []catalog.Check, lang string) error {
	return WriteWith(dir, grades, checks, WriteOptions{Lang: lang})
}

// WriteOptions says how to write the reports.
type WriteOptions struct {
	Lang string
	// Changes, when a previous grading was compared (-compare), go into
	// changes.json and the class report.
	Changes *Comparison
}

// WriteWith is Write with options; it also writes changes.json when the
// grades were compared with a previous grading.
func WriteWith(dir string, grades []Grade, checks []catalog.Check, o WriteOptions) error {
	lang := o.Lang
	if err := os.MkdirAll(filepath.Join(dir, "submissions"), 0o755); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(dir, "grades.csv"), grades, checks); err != nil {
		return err
	}
	b, err := json.MarshalIndent(grades, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "grades.json"), b, 0o644); err != nil {
		return err
	}
	for _, g := range grades {
		sub := filepath.Join(dir, "submissions", Slug(g.Submission.Name))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := writeGradescope(filepath.Join(sub, "results.json"), g, checks, lang); err != nil {
			return err
		}
		if err := writeSubmissionPage(sub, g, lang); err != nil {
			return err
		}
	}
	if o.Changes != nil {
		b, err := json.MarshalIndent(o.Changes, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "changes.json"), b, 0o644); err != nil {
			return err
		}
	}
	return writeClassReport(filepath.Join(dir, "report.html"), grades, checks, lang, o.Changes)
}

// tr picks the report's language: German or English.
func tr(l, de, en string) string { return lang.Text{DE: de, EN: en}.In(l) }

// StatusText is a submission's status in the report's language (grades.csv
// and grades.json keep the status itself).
func StatusText(s Status, l string) string {
	switch s {
	case Graded:
		return tr(l, "bewertet", "graded")
	case Invalid:
		return tr(l, "ungültig", "invalid")
	case NotGraded:
		return tr(l, "nicht bewertet", "not graded")
	}
	return string(s)
}

// templateFuncs gives the report's templates t "German" "English".
func templateFuncs(l string) template.FuncMap {
	return template.FuncMap{"t": func(de, en string) string { return tr(l, de, en) }}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Slug makes a submission's name safe as a folder name.
func Slug(name string) string {
	s := strings.Trim(unsafeName.ReplaceAllString(name, "_"), "._")
	if s == "" {
		return "submission"
	}
	return s
}

func writeCSV(file string, grades []Grade, checks []catalog.Check) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := []string{"name", "points", "max"}
	for _, ch := range checks {
		head = append(head, ch.ID)
	}
	head = append(head, "status", "reason", "flaky", "commit", "committed", "synclab", "browser")
	_ = w.Write(head)
	for _, g := range grades {
		points := strconv.FormatFloat(g.Points, 'f', -1, 64)
		if g.Status == NotGraded {
			points = "" // never 0 for what the environment broke
		}
		row := []string{g.Submission.Name, points, strconv.FormatFloat(g.Max, 'f', -1, 64)}
		byID := map[string]runner.Result{}
		for _, r := range g.Report.Results {
			byID[r.ID] = r
		}
		for _, ch := range checks {
			st := string(byID[ch.ID].Status)
			if st == "" {
				st = "-"
			}
			row = append(row, st)
		}
		committed := ""
		if !g.Submission.CommitTime.IsZero() {
			committed = g.Submission.CommitTime.Format(time.RFC3339)
		}
		row = append(row, string(g.Status), g.Reason.EN, strings.Join(g.FlakyIDs(), " "), g.Submission.Commit, committed, g.Versions.SyncLab, g.Versions.Browser)
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// gradescopeTest and gradescopeResults follow Gradescope's documented
// results.json.
type gradescopeTest struct {
	Name       string  `json:"name"`
	Number     string  `json:"number,omitempty"`
	Score      float64 `json:"score"`
	MaxScore   float64 `json:"max_score"`
	Status     string  `json:"status"`
	Output     string  `json:"output,omitempty"`
	Visibility string  `json:"visibility"`
}

type gradescopeResults struct {
	Score         *float64         `json:"score,omitempty"`
	ExecutionTime int              `json:"execution_time"`
	Output        string           `json:"output"`
	Visibility    string           `json:"visibility"`
	Tests         []gradescopeTest `json:"tests"`
}

// GradescopeResults renders a grade in Gradescope's results.json format.
// A submission the environment broke gets no score, so that Gradescope
// shows an error to rerun instead of a zero. Each test has its check's
// visibility from the data (visible when the check is not among checks).
func GradescopeResults(g Grade, checks []catalog.Check, l string) ([]byte, error) {
	res := gradescopeResults{ExecutionTime: int(g.Duration.Seconds()), Visibility: "visible", Tests: []gradescopeTest{}}
	visibility := map[string]string{}
	for _, ch := range checks {
		visibility[ch.ID] = ch.Seen()
	}
	switch g.Status {
	case Graded:
		score := g.Points
		res.Score = &score
		res.Output = fmt.Sprintf("Sync Lab: %s / %s", strconv.FormatFloat(g.Points, 'f', -1, 64), strconv.FormatFloat(g.Max, 'f', -1, 64))
		for _, f := range g.Flaky {
			res.Output += tr(l, "\nWackelig, wird von Hand geprüft: ", "\nFlaky, to be checked by hand: ") + f.In(l)
		}
	case Invalid:
		zero := 0.0
		res.Score = &zero
		res.Output = tr(l, "Sync Lab konnte diese Abgabe nicht bewerten: ", "Sync Lab could not grade this submission: ") + g.Reason.In(l)
	default:
		res.Output = tr(l, "NICHT BEWERTET (die Bewertungsumgebung hat versagt, nicht die Abgabe; bitte neu starten): ",
			"NOT GRADED (the grading environment failed, not the submission; please rerun): ") + g.Reason.In(l)
	}
	if g.Versions.SyncLab != "" {
		res.Output += "\n" + g.Versions.String()
	}
	for i, r := range g.Report.Results {
		t := gradescopeTest{Name: r.Title.In(l), Number: fmt.Sprintf("%d", i+1), Score: r.Points, MaxScore: r.Max, Visibility: cmp.Or(visibility[r.ID], catalog.Visible), Status: "failed"}
		if r.Status == runner.Passed {
			t.Status = "passed"
		}
		var b strings.Builder
		if f, ok := g.flake(r.ID); ok {
			fmt.Fprint(&b, tr(l, "WACKELIG: ", "FLAKY: "), f.In(l), tr(l, "; die Lehrkraft prüft es von Hand.\n", "; the instructor checks it by hand.\n"))
		}
		output.Check(&b, r, output.Options{Lang: l})
		t.Output = b.String()
		res.Tests = append(res.Tests, t)
	}
	return json.MarshalIndent(res, "", "  ")
}

func writeGradescope(file string, g Grade, checks []catalog.Check, lang string) error {
	b, err := GradescopeResults(g, checks, lang)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

func writeSubmissionPage(dir string, g Grade, lang string) error {
	page, err := submissionPage(g, lang)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644); err != nil {
		return err
	}
	// Each scenario's timeline (sequence diagram, screenshots when taken).
	seen := map[*trace.Timeline]bool{}
	for _, r := range g.Report.Results {
		if r.Timeline == nil || seen[r.Timeline] {
			continue
		}
		seen[r.Timeline] = true
		if err := r.Timeline.Write(filepath.Join(dir, "trace", Slug(r.ID)), g.Submission.Name+": "+r.ID); err != nil {
			return err
		}
	}
	return nil
}

// flake returns the check's flakiness, if it was flaky.
func (g Grade) flake(id string) (Flake, bool) {
	i := slices.IndexFunc(g.Flaky, func(f Flake) bool { return f.ID == id })
	if i < 0 {
		return Flake{}, false
	}
	return g.Flaky[i], true
}

// commitLine names the graded commit ("" when not a repository).
func commitLine(s Submission, l string) string {
	if s.Commit == "" {
		return ""
	}
	if s.CommitTime.IsZero() {
		return "commit " + s.Commit
	}
	return fmt.Sprintf(tr(l, "commit %s vom %s", "commit %s of %s"), s.Commit, s.CommitTime.Format("2006-01-02 15:04 -07:00"))
}

// submissionPage is a submission's index.html: its checks when graded
// (with the commit and flaky checks under the title), else why not.
func submissionPage(g Grade, lang string) ([]byte, error) {
	var flaky []string
	for _, f := range g.Flaky {
		flaky = append(flaky, f.In(lang))
	}
	data := map[string]any{"Name": g.Submission.Name, "Status": StatusText(g.Status, lang), "Reason": g.Reason.In(lang),
		"Commit": commitLine(g.Submission, lang), "Flaky": flaky, "Reruns": g.Reruns, "Versions": versionsLine(g.Versions, lang)}
	var page bytes.Buffer
	if g.Status != Graded {
		err := problemPage(lang).Execute(&page, data)
		return page.Bytes(), err
	}
	if err := output.HTML(&page, g.Submission.Name, g.Report, output.Options{Lang: lang, Versions: g.Versions}); err != nil {
		return nil, err
	}
	var head bytes.Buffer
	if err := gradeHead(lang).Execute(&head, data); err != nil {
		return nil, err
	}
	b := page.Bytes()
	i := bytes.Index(b, []byte("</h1>"))
	if i < 0 || head.Len() == 0 {
		return slices.Concat(head.Bytes(), b), nil
	}
	i += len("</h1>")
	return slices.Concat(b[:i], head.Bytes(), b[i:]), nil
}

// gradeHead is what a graded submission's page shows under its title.
func gradeHead(l string) *template.Template {
	return template.Must(template.New("head").Funcs(templateFuncs(l)).Parse(`{{with .Commit}}<p class="commit">{{.}}</p>{{end}}
{{- if .Flaky}}<div class="flaky" style="background:#fff3cd;border-left:4px solid #b26a00;padding:.4rem .8rem;margin:.6rem 0">
<p><b>{{t "Wackelige Checks – bitte von Hand prüfen." "Flaky checks – check by hand."}}</b> {{t "Ihr Urteil hat sich geändert, als sie auf dieser Abgabe noch einmal liefen" "Their verdict changed when they ran again on this submission"}} ({{.Reruns}} {{if ne .Reruns 1}}{{t "Wiederholungen" "reruns"}}{{else}}{{t "Wiederholung" "rerun"}}{{end}}); {{t "es zählen die Punkte des ersten Laufs." "the points are the first run's."}}</p>
<ul>{{range .Flaky}}<li>{{t "wackelig" "flaky"}}: {{.}}</li>{{end}}</ul></div>{{end}}`))
}

// problemPage is the page of a submission that was not graded.
func problemPage(l string) *template.Template {
	return template.Must(template.New("p").Funcs(templateFuncs(l)).Parse(`<!DOCTYPE html><html lang="{{t "de" "en"}}"><head><meta charset="utf-8"><title>{{.Name}}</title></head>
<body><h1>{{.Name}}</h1><p><b>{{.Status}}</b>: {{.Reason}}</p>{{with .Commit}}<p>{{.}}</p>{{end}}{{with .Versions}}<p class="versions">{{.}}</p>{{end}}<p><a href="../../report.html">←</a></p></body></html>`))
}

// versionsLine says which Sync Lab and browser graded ("" when unknown).
func versionsLine(v output.Versions, l string) string {
	if v.SyncLab == "" {
		return ""
	}
	return tr(l, "bewertet mit ", "graded with ") + v.String()
}
