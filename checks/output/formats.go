package output

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"strings"

	"synclab/checks/runner"
	"synclab/simulator/report"
)

// Document is the JSON form of a run.
type Document struct {
	App      string   `json:"app"`
	Lang     string   `json:"lang"`
	Versions Versions `json:"versions"`
	// LeftOut lists the checks not run because the student does not see
	// them yet.
	LeftOut []string `json:"left_out,omitempty"`
	runner.Report
}

// JSON writes the run as JSON.
func JSON(w io.Writer, app string, rep runner.Report, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Document{App: app, Lang: o.Lang, Versions: o.Versions, LeftOut: o.LeftOut, Report: rep})
}

type junitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       float64         `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnit writes the run as a JUnit XML test suite (for CI systems).
func JUnit(w io.Writer, rep runner.Report, o Options) error {
	t := lines()
	s := junitSuite{Name: "synclab-checks", Tests: len(rep.Results), Time: rep.Duration.Seconds()}
	if o.Versions.SyncLab != "" {
		s.Properties = []junitProperty{{Name: "synclab.version", Value: o.Versions.SyncLab}, {Name: "browser.version", Value: o.Versions.Browser}}
	}
	for _, r := range rep.Results {
		c := junitCase{Name: r.ID + ": " + r.Title.In(o.Lang), Classname: "synclab." + r.Group, Time: r.Duration.Seconds()}
		switch r.Status {
		case runner.Failed:
			s.Failures++
			var b strings.Builder
			Check(&b, r, Options{Lang: o.Lang})
			c.Failure = &junitProblem{Message: r.Seen.In(o.Lang), Type: r.Kind, Text: b.String()}
			if c.Failure.Message == "" {
				c.Failure.Message = r.MessageIn(o.Lang)
			}
		case runner.Error:
			s.Errors++
			c.Error = &junitProblem{Message: r.Message, Type: r.Kind}
		case runner.Skipped:
			s.Skipped++
			c.Skipped = &junitProblem{Message: fmt.Sprintf(t.needs.In(o.Lang), r.SkippedFor)}
		}
		s.Cases = append(s.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// HTML writes the run as one self-contained page.
func HTML(w io.Writer, app string, rep runner.Report, o Options) error {
	t := lines()
	l := o.Lang
	type row struct {
		runner.Result
		Title, Help, Hint, Mark, Needs, Expected, Seen, Message string
		Evidence                                                []report.Evidence
	}
	var rows []row
	for _, r := range rep.Results {
		x := row{Result: r, Title: r.Title.In(l), Help: r.Help.In(l), Expected: r.Expected.In(l), Seen: r.Seen.In(l), Message: r.MessageIn(l)}
		if r.Hint != nil {
			x.Hint = r.Hint.In(l)
		}
		if r.Status == runner.Skipped {
			x.Needs = fmt.Sprintf(t.needs.In(l), r.SkippedFor)
		}
		if r.Observed != nil {
			x.Evidence = report.EvidenceOf(*r.Observed, l)
		}
		x.Mark = map[runner.Status]string{runner.Passed: "✓", runner.Failed: "✗", runner.Skipped: "–", runner.Error: "!"}[r.Status]
		rows = append(rows, x)
	}
	var notes []string
	for _, n := range rep.Notes {
		notes = append(notes, n.In(l))
	}
	return htmlPage.Execute(w, map[string]any{
		"Lang": l, "Title": fmt.Sprintf(t.head.In(l), app), "Rows": rows,
		"Points": fmt.Sprintf(t.points.In(l), points(rep.Points), points(rep.Max)),
		"Notes":  notes, "NotesHead": t.notes.In(l), "Versions": o.Versions.String(), "HasVersions": o.Versions.SyncLab != "",
		"Expected": t.expected.In(l), "Seen": t.seen.In(l), "HintHead": t.hint.In(l), "Observed": t.observed.In(l), "HelpHead": t.help.In(l),
	})
}

var htmlPage = template.Must(template.New("checks").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.points{font-size:1.2rem;font-weight:600}
details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}
summary{cursor:pointer}.passed .mark{color:#1b7f3a}.failed .mark{color:#b3261e}.skipped .mark{color:#8a6d00}.error .mark{color:#7b1fa2}
.step{color:#666;font-variant-numeric:tabular-nums}.score{float:right;color:#444}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#666}dd{margin:0}
.hint{background:#fff8e1;border-left:4px solid #f9a825;padding:.4rem .8rem}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;background:#f6f6f6;padding:.4rem}
</style></head><body>
<h1>{{.Title}}</h1><p class="points">{{.Points}}</p>
{{range .Rows}}<details class="{{.Status}}"{{if eq .Status "failed"}} open{{end}}><summary><span class="mark">{{.Mark}}</span> <span class="step">{{.Step}}</span> {{.Title}} <span class="score">{{.Points}}/{{.Max}}</span></summary>
{{if .Needs}}<p>{{.Needs}}</p>{{end}}
{{if eq .Status "failed"}}{{if .Expected}}<dl><dt>{{$.Expected}}</dt><dd>{{.Expected}}</dd><dt>{{$.Seen}}</dt><dd>{{.Seen}}</dd></dl>{{else}}<pre>{{.Message}}</pre>{{end}}
{{if .Hint}}<p class="hint"><b>{{$.HintHead}}:</b> {{.Hint}}</p>{{end}}
<p><b>{{$.Observed}}</b></p><dl>{{range .Evidence}}<dt>{{.Label}}</dt><dd><pre>{{range .Lines}}{{.}}
{{end}}</pre></dd>{{end}}</dl>{{end}}
{{if eq .Status "error"}}<pre>{{.Message}}</pre>{{end}}
<p><i>{{$.HelpHead}}:</i> {{.Help}}</p></details>
{{end}}
{{if .Notes}}<h2>{{.NotesHead}}</h2><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .HasVersions}}<p class="versions" style="color:#666;font-size:.85rem">{{.Versions}}</p>{{end}}
</body></html>
`))
