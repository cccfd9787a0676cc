package grading

import (
	"cmp"
	"html/template"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"synclab/checks/catalog"
	"synclab/checks/runner"
)

// Reason is why a check did not pass, in the report's language: what was
// seen, else the failure's message, else what a skipped check needed.
func Reason(r runner.Result, l string) string {
	switch {
	case r.Status == runner.Passed:
		return ""
	case r.Status == runner.Skipped:
		return tr(l, "übersprungen: braucht ", "skipped: needs ") + r.SkippedFor
	case r.Seen.In(l) != "":
		return r.Seen.In(l)
	}
	return r.MessageIn(l)
}

// Stats are the points of the submissions that have points (graded ones
// and those without an app, not those the environment broke).
type Stats struct {
	N            int
	Mean, Median float64
}

// PointStats computes mean and median of the grades' points.
func PointStats(grades []Grade) Stats {
	var pts []float64
	for _, g := range grades {
		if g.Status != NotGraded {
			pts = append(pts, g.Points)
		}
	}
	if len(pts) == 0 {
		return Stats{}
	}
	slices.Sort(pts)
	sum := 0.0
	for _, p := range pts {
		sum += p
	}
	med := pts[len(pts)/2]
	if len(pts)%2 == 0 {
		med = (pts[len(pts)/2-1] + pts[len(pts)/2]) / 2
	}
	return Stats{N: len(pts), Mean: sum / float64(len(pts)), Median: med}
}

// FailureReason is one reason a check failed, with the submissions that
// failed it for that reason.
type FailureReason struct {
	Reason      string
	Submissions []string
}

// CommonFailures groups each check's failures (graded submissions, the
// check not passed) by reason, the most common first, at most top per
// check.
func CommonFailures(grades []Grade, checks []catalog.Check, l string, top int) map[string][]FailureReason {
	out := map[string][]FailureReason{}
	for _, ch := range checks {
		by := map[string][]string{}
		for _, g := range grades {
			if g.Status != Graded {
				continue
			}
			for _, r := range g.Report.Results {
				if r.ID == ch.ID && r.Status != runner.Passed {
					why := Reason(r, l)
					by[why] = append(by[why], g.Submission.Name)
				}
			}
		}
		var reasons []FailureReason
		for why, subs := range by {
			reasons = append(reasons, FailureReason{Reason: why, Submissions: subs})
		}
		sort.Slice(reasons, func(i, j int) bool {
			return cmp.Or(cmp.Compare(len(reasons[j].Submissions), len(reasons[i].Submissions)), strings.Compare(reasons[i].Reason, reasons[j].Reason)) < 0
		})
		if len(reasons) > top {
			reasons = reasons[:top]
		}
		if len(reasons) > 0 {
			out[ch.ID] = reasons
		}
	}
	return out
}

func writeClassReport(file string, grades []Grade, checks []catalog.Check, lang string, changes *Comparison) error {
	type cell struct{ Mark, Flaky, Class, Title string }
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
	versions := map[string]bool{}
	for _, g := range grades {
		if g.Versions.SyncLab != "" {
			versions[g.Versions.String()] = true
		}
		r := row{Name: g.Submission.Name, Slug: Slug(g.Submission.Name), Status: string(g.Status), StatusText: StatusText(g.Status, lang), Reason: g.Reason.In(lang), Points: g.Points, Max: g.Max,
			Flaky: strings.Join(g.FlakyIDs(), ", "), Commit: short(g.Submission.Commit)}
		if len(g.Flaky) > 0 {
			flaky++
		}
		byID := map[string]runner.Result{}
		for _, res := range g.Report.Results {
			byID[res.ID] = res
		}
		for i, ch := range checks {
			res := byID[ch.ID]
			st := res.Status
			c := cell{Mark: map[runner.Status]string{runner.Passed: "✓", runner.Failed: "✗", runner.Skipped: "–", runner.Error: "!"}[st], Class: string(st), Title: Reason(res, lang)}
			if g.Status == NotGraded {
				c.Class = "notgraded"
			}
			if f, ok := g.flake(ch.ID); ok {
				c.Mark += "?"
				c.Flaky = tr(lang, "wackelig: ", "flaky: ") + f.In(lang) + tr(lang, "; bitte von Hand prüfen", "; check by hand")
				c.Title = c.Flaky
			}
			r.Cells = append(r.Cells, c)
			if g.Status == Graded && st != runner.Passed {
				failures[i]++
			}
		}
		if g.Status == Graded {
			hist[max(0, min(int(g.Points), len(hist)-1))]++
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
	type link struct{ Name, Slug string }
	type reason struct {
		Reason string
		Count  int
		Subs   []link
	}
	type checkRow struct {
		ID, Title string
		Failed    int
		Reasons   []reason
	}
	common := CommonFailures(grades, checks, lang, 3)
	var crows []checkRow
	for i, ch := range checks {
		cr := checkRow{ID: ch.ID, Title: ch.Title.In(lang), Failed: failures[i]}
		for _, fr := range common[ch.ID] {
			x := reason{Reason: fr.Reason, Count: len(fr.Submissions)}
			for _, s := range fr.Submissions {
				x.Subs = append(x.Subs, link{Name: s, Slug: Slug(s)})
			}
			cr.Reasons = append(cr.Reasons, x)
		}
		crows = append(crows, cr)
	}
	stats := PointStats(grades)
	var vs []string
	for v := range versions {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	err = classPage(lang).Execute(f, map[string]any{
		"Rows": rows, "Checks": crows, "Bars": bars, "Width": 60 + len(hist)*28, "Total": len(grades), "FlakyCount": flaky,
		"Stats": stats, "Mean": trimFloat(stats.Mean), "Median": trimFloat(stats.Median), "Max": trimFloat(maxPoints),
		"Versions": vs, "Changes": changeRows(changes, lang),
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(f, 'f', 2, 64), "0"), ".")
}

func classPage(l string) *template.Template {
	return template.Must(template.New("class").Funcs(templateFuncs(l)).Parse(`<!DOCTYPE html>
<html lang="{{t "de" "en"}}"><head><meta charset="utf-8"><title>Sync Lab – {{t "Noten" "grades"}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}th{cursor:pointer;background:#f4f4f4}
td.c{text-align:center}.invalid{color:#8a6d00}.not{color:#7b1fa2}.flaky{background:#fff3cd}
td.passed{background:#e3f4e8;color:#1b7f3a}td.failed{background:#fde7e6;color:#b3261e}td.skipped{background:#f1f1f1;color:#777}
td.error,td.notgraded{background:#f3e5f5;color:#7b1fa2}td.flaky{background:#fff3cd}
.legend span{display:inline-block;padding:0 .5rem;margin-right:.4rem;border-radius:3px}
.stats{font-size:1.1rem}.reasons{margin:.2rem 0 .2rem 1rem;padding:0;font-size:.9rem}.reasons li{margin:.1rem 0}
.changes td.up{color:#1b7f3a}.changes td.down{color:#b3261e}.versions{color:#666;font-size:.85rem}
</style></head><body>
<h1>Sync Lab – {{.Total}} {{t "Abgaben" "submissions"}}</h1>
<p class="stats">{{t "Mittelwert" "Mean"}} <b>{{.Mean}}</b> · {{t "Median" "median"}} <b>{{.Median}}</b> {{t "von" "of"}} {{.Max}} {{t "Punkten" "points"}} ({{.Stats.N}} {{t "Abgaben mit Punkten; nicht bewertete zählen nicht" "submissions with points; those not graded do not count"}})</p>
<p class="legend"><span class="passed" style="background:#e3f4e8">✓ {{t "bestanden" "passed"}}</span><span style="background:#fde7e6">✗ {{t "nicht bestanden" "failed"}}</span><span style="background:#f1f1f1">– {{t "übersprungen" "skipped"}}</span><span style="background:#f3e5f5">! {{t "nicht bewertet (Umgebung)" "not graded (environment)"}}</span><span style="background:#fff3cd">? {{t "wackelig" "flaky"}}</span></p>
{{if .FlakyCount}}<p class="flaky">{{.FlakyCount}} {{t "Abgabe(n) mit wackeligen Checks (mit ? markiert): ein Urteil hat sich geändert, als der Check noch einmal lief; es zählen die Punkte des ersten Laufs – bitte von Hand prüfen." "submission(s) with flaky checks (marked ?): a verdict changed when the check ran again, so the points are the first run's – check these by hand."}}</p>{{end}}
{{with .Changes}}<h2>{{t "Änderungen gegenüber der letzten Bewertung" "Changes since the previous grading"}}</h2>
<table class="changes"><tr><th>{{t "Name" "name"}}</th><th>{{t "Punkte" "points"}}</th><th>Check</th><th>{{t "vorher" "before"}}</th><th>{{t "jetzt" "now"}}</th></tr>
{{range .}}<tr><td><a href="submissions/{{.Slug}}/index.html">{{.Name}}</a></td><td class="{{.Dir}}">{{.Points}}</td><td>{{.Check}}</td><td>{{.Old}}</td><td>{{.New}}</td></tr>
{{end}}</table>{{end}}
<h2>{{t "Punkte" "Points"}}</h2>
<svg width="{{.Width}}" height="170" role="img" aria-label="{{t "Verteilung der Punkte" "score distribution"}}">
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="22" height="{{.H}}" fill="#00796b"><title>{{.N}}</title></rect>
<text x="{{.X}}" y="158" font-size="11">{{.Label}}</text>{{if .N}}<text x="{{.X}}" y="{{.Y}}" dy="-3" font-size="11">{{.N}}</text>{{end}}
{{end}}</svg>
<h2>{{t "Nicht bestandene Checks" "Checks not passed"}}</h2>
<table><tr><th>Check</th><th>{{t "nicht bestanden" "not passed"}}</th><th>{{t "häufigste Gründe" "most common reasons"}}</th></tr>
{{range .Checks}}<tr><td>{{.ID}} – {{.Title}}</td><td class="c">{{.Failed}}</td><td>{{if .Reasons}}<ul class="reasons">{{range .Reasons}}<li>{{.Count}}× {{.Reason}}: {{range $i, $s := .Subs}}{{if $i}}, {{end}}<a href="submissions/{{$s.Slug}}/index.html">{{$s.Name}}</a>{{end}}</li>{{end}}</ul>{{end}}</td></tr>{{end}}</table>
<h2>{{t "Abgaben" "Submissions"}}</h2>
<table id="grades"><thead><tr><th>{{t "Name" "name"}}</th><th>{{t "Punkte" "points"}}</th><th>{{t "Status" "status"}}</th>{{range .Checks}}<th title="{{.Title}}">{{.ID}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr><td><a href="submissions/{{.Slug}}/index.html">{{.Name}}</a></td><td class="c">{{if eq .Status "not graded"}}–{{else}}{{.Points}}{{end}}</td>
<td{{if eq .Status "invalid"}} class="invalid"{{end}}{{if eq .Status "not graded"}} class="not"{{end}}{{if .Flaky}} class="flaky"{{end}} title="{{.Reason}}">{{.StatusText}}{{if .Reason}}: {{.Reason}}{{end}}{{if .Flaky}} – {{t "wackelig" "flaky"}}: {{.Flaky}}, {{t "bitte von Hand prüfen" "check by hand"}}{{end}}{{if .Commit}} <small>@{{.Commit}}</small>{{end}}</td>{{range .Cells}}<td class="c {{.Class}}{{if .Flaky}} flaky{{end}}"{{with .Title}} title="{{.}}"{{end}}>{{.Mark}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{if .Versions}}<p class="versions">{{t "Bewertet mit" "Graded with"}} {{range $i, $v := .Versions}}{{if $i}}; {{end}}{{$v}}{{end}}</p>{{end}}
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
