package grading

import (
	"bytes"
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
		if err := writeGradescope(filepath.Join(sub, "results.json"), g, lang); err != nil {
			return err
		}
		if err := writeSubmissionPage(sub, g, lang); err != nil {
			return err
		}
	}
	return writeClassReport(filepath.Join(dir, "report.html"), grades, checks, lang)
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
	head = append(head, "status", "reason", "flaky", "commit", "committed")
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
		row = append(row, string(g.Status), g.Reason.EN, strings.Join(g.FlakyIDs(), " "), g.Submission.Commit, committed)
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
// shows an error to rerun instead of a zero.
func GradescopeResults(g Grade, l string) ([]byte, error) {
	res := gradescopeResults{ExecutionTime: int(g.Duration.Seconds()), Visibility: "visible", Tests: []gradescopeTest{}}
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
	for i, r := range g.Report.Results {
		t := gradescopeTest{Name: r.Title.In(l), Number: fmt.Sprintf("%d", i+1), Score: r.Points, MaxScore: r.Max, Visibility: "visible", Status: "failed"}
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

func writeGradescope(file string, g Grade, lang string) error {
	b, err := GradescopeResults(g, lang)
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
		"Commit": commitLine(g.Submission, lang), "Flaky": flaky, "Reruns": g.Reruns}
	var page bytes.Buffer
	if g.Status != Graded {
		err := problemPage(lang).Execute(&page, data)
		return page.Bytes(), err
	}
	if err := output.HTML(&page, g.Submission.Name, g.Report, output.Options{Lang: lang}); err != nil {
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
<body><h1>{{.Name}}</h1><p><b>{{.Status}}</b>: {{.Reason}}</p>{{with .Commit}}<p>{{.}}</p>{{end}}<p><a href="../../report.html">←</a></p></body></html>`))
}

func writeClassReport(file string, grades []Grade, checks []catalog.Check, lang string) error {
	type cell struct{ Mark, Flaky string }
	type row struct {
		Name, Slug, Status, StatusText, Reason, Flaky, Commit string
		Points, Max                                           float64
		Cells                                                 []cell
	}
	var rows []row
	flaky := 0
	failures := make([]int, len(checks))
	maxPoints := catalog.MaxPoints(checks)
	hist := make([]int, int(maxPoints)+1)
	for _, g := range grades {
		r := row{Name: g.Submission.Name, Slug: Slug(g.Submission.Name), Status: string(g.Status), StatusText: StatusText(g.Status, lang), Reason: g.Reason.In(lang), Points: g.Points, Max: g.Max,
			Flaky: strings.Join(g.FlakyIDs(), ", "), Commit: short(g.Submission.Commit)}
		if len(g.Flaky) > 0 {
			flaky++
		}
		byID := map[string]runner.Status{}
		for _, res := range g.Report.Results {
			byID[res.ID] = res.Status
		}
		for i, ch := range checks {
			st := byID[ch.ID]
			c := cell{Mark: map[runner.Status]string{runner.Passed: "✓", runner.Failed: "✗", runner.Skipped: "–", runner.Error: "!"}[st]}
			if f, ok := g.flake(ch.ID); ok {
				c.Mark += "?"
				c.Flaky = tr(lang, "wackelig: ", "flaky: ") + f.In(lang) + tr(lang, "; bitte von Hand prüfen", "; check by hand")
			}
			r.Cells = append(r.Cells, c)
			if g.Status == Graded && st != runner.Passed {
				failures[i]++
			}
		}
		if g.Status == Graded {
			hist[min(int(g.Points), len(hist)-1)]++
		}
		rows = append(rows, r)
	}
	top := 1
	for _, n := range hist {
		top = max(top, n)
	}
	type bar struct {
		X, Y, H, N int
		Label      string
	}
	var bars []bar
	for p, n := range hist {
		h := n * 120 / top
		bars = append(bars, bar{X: 30 + p*28, Y: 140 - h, H: h, N: n, Label: strconv.Itoa(p)})
	}
	type checkRow struct {
		ID, Title string
		Failed    int
	}
	var crows []checkRow
	for i, ch := range checks {
		crows = append(crows, checkRow{ID: ch.ID, Title: ch.Title.In(lang), Failed: failures[i]})
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	err = classPage(lang).Execute(f, map[string]any{
		"Rows": rows, "Checks": crows, "Bars": bars, "Width": 60 + len(hist)*28, "Total": len(grades), "FlakyCount": flaky,
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func classPage(l string) *template.Template {
	return template.Must(template.New("class").Funcs(templateFuncs(l)).Parse(`<!DOCTYPE html>
<html lang="{{t "de" "en"}}"><head><meta charset="utf-8"><title>Sync Lab – {{t "Noten" "grades"}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}th{cursor:pointer;background:#f4f4f4}
td.c{text-align:center}.invalid{color:#8a6d00}.not{color:#7b1fa2}.flaky{background:#fff3cd}
</style></head><body>
<h1>Sync Lab – {{.Total}} {{t "Abgaben" "submissions"}}</h1>
{{if .FlakyCount}}<p class="flaky">{{.FlakyCount}} {{t "Abgabe(n) mit wackeligen Checks (mit ? markiert): ein Urteil hat sich geändert, als der Check noch einmal lief; es zählen die Punkte des ersten Laufs – bitte von Hand prüfen." "submission(s) with flaky checks (marked ?): a verdict changed when the check ran again, so the points are the first run's – check these by hand."}}</p>{{end}}
<h2>{{t "Punkte" "Points"}}</h2>
<svg width="{{.Width}}" height="170" role="img" aria-label="{{t "Verteilung der Punkte" "score distribution"}}">
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="22" height="{{.H}}" fill="#00796b"><title>{{.N}}</title></rect>
<text x="{{.X}}" y="158" font-size="11">{{.Label}}</text>{{if .N}}<text x="{{.X}}" y="{{.Y}}" dy="-3" font-size="11">{{.N}}</text>{{end}}
{{end}}</svg>
<h2>{{t "Nicht bestandene Checks" "Checks not passed"}}</h2>
<table><tr><th>Check</th><th>{{t "nicht bestanden" "not passed"}}</th></tr>
{{range .Checks}}<tr><td>{{.ID}} – {{.Title}}</td><td class="c">{{.Failed}}</td></tr>{{end}}</table>
<h2>{{t "Abgaben" "Submissions"}}</h2>
<table id="grades"><thead><tr><th>{{t "Name" "name"}}</th><th>{{t "Punkte" "points"}}</th><th>{{t "Status" "status"}}</th>{{range .Checks}}<th title="{{.Title}}">{{.ID}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr><td><a href="submissions/{{.Slug}}/index.html">{{.Name}}</a></td><td class="c">{{if eq .Status "not graded"}}–{{else}}{{.Points}}{{end}}</td>
<td{{if eq .Status "invalid"}} class="invalid"{{end}}{{if eq .Status "not graded"}} class="not"{{end}}{{if .Flaky}} class="flaky"{{end}} title="{{.Reason}}">{{.StatusText}}{{if .Reason}}: {{.Reason}}{{end}}{{if .Flaky}} – {{t "wackelig" "flaky"}}: {{.Flaky}}, {{t "bitte von Hand prüfen" "check by hand"}}{{end}}{{if .Commit}} <small>@{{.Commit}}</small>{{end}}</td>{{range .Cells}}<td class="c{{if .Flaky}} flaky{{end}}"{{if .Flaky}} title="{{.Flaky}}"{{end}}>{{.Mark}}</td>{{end}}</tr>
{{end}}</tbody></table>
<script>
document.querySelectorAll('#grades th').forEach((th, i) => th.addEventListener('click', () => {
  const body = document.querySelector('#grades tbody');
  const rows = [...body.rows];
  const key = r => { const t = r.cells[i].textContent; const n = parseFloat(t); return isNaN(n) ? t : n; };
  const dir = th.dataset.dir = th.dataset.dir === 'asc' ? 'desc' : 'asc';
  rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (dir === 'asc' ? 1 : -1));
  rows.forEach(r => body.appendChild(r));
}));
</script>
</body></html>
`))
}
