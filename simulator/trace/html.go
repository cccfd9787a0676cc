package trace

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"
)

type row struct {
	Event
	Cells []cell
}

type cell struct {
	Here  bool
	Arrow string
}

// renderHTML writes the timeline as a sequence diagram: one column per lane,
// one row per event, arrows marked in the source and target columns.
func renderHTML(w io.Writer, title string, start time.Time, events []Event) error {
	return htmlPage.Execute(w, struct {
		Title string
		Start time.Time
		Lanes []Lane
		Rows  []row
	}{title, start, Lanes, rows(events)})
}

func rows(events []Event) []row {
	out := make([]row, 0, len(events))
	for _, e := range events {
		if e.Kind == "asset" {
			continue
		}
		r := row{Event: e, Cells: make([]cell, len(Lanes))}
		for j, l := range Lanes {
			switch {
			case l == e.Lane:
				r.Cells[j].Here = true
				if e.To != "" {
					r.Cells[j].Arrow = "→ " + string(e.To)
				}
			case l == e.To:
				r.Cells[j].Arrow = "← " + string(e.Lane)
			}
		}
		out = append(out, r)
	}
	return out
}

var htmlPage = template.Must(template.New("trace").Funcs(template.FuncMap{
	"ms": func(start, t time.Time) string {
		return fmt.Sprintf("%+.0f ms", float64(t.Sub(start).Microseconds())/1000)
	},
	"img": func(v any) template.URL {
		if s, ok := v.(string); ok && len(s) > 22 && s[:22] == "data:image/png;base64," {
			return template.URL(s)
		}
		return ""
	},
	"text": func(v any) string {
		if s, ok := v.(string); ok && len(s) > 5 && s[:5] == "data:" {
			return ""
		}
		if v == nil {
			return ""
		}
		if s, ok := v.(string); ok {
			return s
		}
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			return fmt.Sprintf("%v", v)
		}
		return string(b)
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#fafafa;color:#222}
h1{font-size:18px;margin:0;padding:12px 16px;background:#00796b;color:#fff}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{position:sticky;top:0;background:#e0f2f1;padding:6px;font-weight:600;z-index:1}
td{border-left:2px solid #cfd8dc;padding:3px 6px;vertical-align:top;word-wrap:break-word}
td.t{border:none;color:#607d8b;width:80px;font-variant-numeric:tabular-nums;text-align:right}
.ev{border-radius:4px;padding:2px 6px;background:#fff;box-shadow:0 1px 2px #0002;display:block}
.step{background:#fff8e1;font-weight:600}.exception,.fault{background:#ffebee}.sync{background:#e8f5e9}
.request,.response{background:#e3f2fd}.idb{background:#f3e5f5}
.arrow{color:#00796b;font-weight:700}
img{max-width:100%;border:1px solid #ccc;margin-top:4px}
pre{margin:2px 0;white-space:pre-wrap;font-size:12px}
</style></head><body>
<h1>{{.Title}}</h1>
<table><thead><tr><th class="t">time</th>{{range .Lanes}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}{{$e := .}}<tr><td class="t">{{ms $.Start .Time}}</td>{{range .Cells}}<td>{{if .Here}}<span class="ev {{$e.Kind}}">{{if .Arrow}}<span class="arrow">{{.Arrow}}</span> {{end}}{{$e.Text}}{{with img $e.Data}}<br><img src="{{.}}" alt="screenshot">{{else}}{{with text $e.Data}}<pre>{{.}}</pre>{{end}}{{end}}</span>{{else if .Arrow}}<span class="arrow">{{.Arrow}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody></table></body></html>`))
