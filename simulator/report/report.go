// Package report renders the simulator's results as text for people, in
// German or English: progress lines, a scenario's verdict, the outside
// addresses the app asked for, and the evidence behind a failure. The
// checks reuse these pieces.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// Texts are the lines this package prints.
type Texts struct {
	Running, Passed, Failed, Broken, TraceAt, ListHead   lang.Text
	Outside, Internet, Unavailable, Notes                lang.Text
	Outbox, Requests, SyncEvents, WorkerLog, Errors, Nil lang.Text
	Dialogs, PageLog, Photos                             lang.Text
}

// Lines returns the texts in both languages.
func Lines() Texts {
	return Texts{
		Running:     lang.Text{DE: "Szenario %s auf %s", EN: "Scenario %s on %s"},
		Passed:      lang.Text{DE: "BESTANDEN: %s (%v)", EN: "PASSED: %s (%v)"},
		Failed:      lang.Text{DE: "NICHT BESTANDEN: %s (%v)\n  %v", EN: "FAILED: %s (%v)\n  %v"},
		Broken:      lang.Text{DE: "PROBLEM DER UMGEBUNG (nicht deiner App): %v", EN: "ENVIRONMENT PROBLEM (not your app): %v"},
		TraceAt:     lang.Text{DE: "Zeitleiste: %s", EN: "Timeline: %s"},
		ListHead:    lang.Text{DE: "Abläufe und ihre Prüfungen, dann die Prüfungen mit eigener Sitzung (Name, erster Checkpoint, der besteht, Zweck):", EN: "Journeys and their checks, then the checks with a session of their own (name, first checkpoint that passes, purpose):"},
		Outside:     lang.Text{DE: "Adressen außerhalb der App, die sie angefragt hat:", EN: "Outside addresses the app asked for:"},
		Internet:    lang.Text{DE: "ins Internet durchgelassen (-net)", EN: "let through to the internet (-net)"},
		Unavailable: lang.Text{DE: "während der Prüfung nicht erreichbar", EN: "not available during the checks"},
		Notes:       lang.Text{DE: "Hinweise (zählen nicht gegen die App):", EN: "Notes (not counted against the app):"},
		Outbox:      lang.Text{DE: "Outbox (sync-posts) am Ende", EN: "outbox (sync-posts) at the end"},
		Requests:    lang.Text{DE: "Anfragen an das Backend", EN: "requests to the backend"},
		SyncEvents:  lang.Text{DE: "Sync-Ereignisse des Browsers", EN: "the browser's sync events"},
		WorkerLog:   lang.Text{DE: "Konsole des Service Workers", EN: "the service worker's console"},
		Errors:      lang.Text{DE: "Nicht abgefangene Fehler", EN: "uncaught errors"},
		Nil:         lang.Text{DE: "keine", EN: "none"},
		Dialogs:     lang.Text{DE: "Dialoge der App (alert, confirm, prompt)", EN: "the app's dialogs (alert, confirm, prompt)"},
		PageLog:     lang.Text{DE: "Konsole der Seite", EN: "the page's console"},
		Photos:      lang.Text{DE: "so bekam die App ihre Fotos", EN: "how the app got its photos"},
	}
}

// Progress returns a progress callback that prints a line per finished
// step (and each started step when live is set, for a headful demo).
func Progress(w io.Writer, live bool, l string) func(step lang.Text, err error, done bool, d time.Duration) {
	return func(step lang.Text, err error, done bool, d time.Duration) {
		switch {
		case !done && live:
			fmt.Fprintf(w, "  … %s\n", step.In(l))
		case !done:
		case err == nil:
			fmt.Fprintf(w, "  ✓ %-60s %6d ms\n", step.In(l), d.Milliseconds())
		default:
			fmt.Fprintf(w, "  ✗ %-60s %6d ms\n", step.In(l), d.Milliseconds())
		}
	}
}

// Verdict prints the scenario's verdict (after the outside addresses and
// notes).
func Verdict(w io.Writer, res scenario.Result, l string) {
	t := Lines()
	Outside(w, res.Observed, l)
	switch {
	case res.Passed:
		fmt.Fprintf(w, t.Passed.In(l)+"\n", res.Scenario, res.Duration.Round(time.Millisecond))
	case res.Environment:
		fmt.Fprintf(w, t.Broken.In(l)+"\n", res.Err)
	default:
		fmt.Fprintf(w, t.Failed.In(l)+"\n", res.Scenario, res.Duration.Round(time.Millisecond), session.ErrorIn(res.Err, l))
	}
}

// Outside lists the app's requests outside its two origins (once per
// address, with how often) and the run's notes.
func Outside(w io.Writer, o scenario.Observations, l string) {
	t := Lines()
	type seen struct {
		o browser.OutsideRequest
		n int
	}
	var order []string
	byURL := map[string]*seen{}
	for _, r := range o.Outside {
		if byURL[r.URL] == nil {
			order = append(order, r.URL)
			byURL[r.URL] = &seen{o: r}
		}
		byURL[r.URL].n++
	}
	if len(order) > 0 {
		fmt.Fprintln(w, "  "+t.Outside.In(l))
		for _, u := range order {
			s := byURL[u]
			times := ""
			if s.n > 1 {
				times = fmt.Sprintf(" (%d×)", s.n)
			}
			switch s.o.Outcome {
			case browser.FromMirror:
				fmt.Fprintf(w, "    ✓ %s%s  ← %s\n", u, times, s.o.From)
			case browser.Passed:
				fmt.Fprintf(w, "    → %s%s  (%s)\n", u, times, t.Internet.In(l))
			default:
				fmt.Fprintf(w, "    ✗ %s%s  (%s)\n", u, times, t.Unavailable.In(l))
			}
		}
	}
	if len(o.Notes) > 0 {
		fmt.Fprintln(w, "  "+t.Notes.In(l))
		for _, n := range o.Notes {
			fmt.Fprintf(w, "    - %s\n", n.In(l))
		}
	}
}

// Evidence is what was observed, as labelled lines for a failure report.
type Evidence struct {
	Label string   `json:"label"`
	Lines []string `json:"lines"`
}

// EvidenceOf summarises the observations that explain a failure: the
// outbox, the backend's requests, the sync events, the worker's console and
// the uncaught errors.
func EvidenceOf(o scenario.Observations, l string) []Evidence {
	t := Lines()
	var outbox []string
	for _, r := range o.Outbox {
		outbox = append(outbox, DescribeRecord(r))
	}
	var reqs []string
	for _, r := range o.Requests {
		if strings.HasPrefix(r.Path, "/_lab") {
			continue
		}
		line := fmt.Sprintf("%s %s → %d", r.Method, r.Path, r.Status)
		if r.Status == 0 {
			line = fmt.Sprintf("%s %s → %s", r.Method, r.Path, lang.Text{EN: "(no answer)", DE: "(keine Antwort)"}.In(l))
		}
		switch {
		case r.Fault != "":
			// The backend's words for an injected fault are the checks',
			// said here in the student's language.
			line += " [" + faultSaid(r.Fault).In(l) + "]"
		case r.Error != "":
			line += fmt.Sprintf(" %q", r.Error)
		}
		reqs = append(reqs, line)
	}
	var syncs []string
	for _, e := range o.SyncEvents {
		syncs = append(syncs, e.String())
	}
	out := []Evidence{
		{Label: t.Outbox.In(l), Lines: outbox},
		{Label: t.Requests.In(l), Lines: reqs},
		{Label: t.SyncEvents.In(l), Lines: syncs},
		{Label: t.WorkerLog.In(l), Lines: o.WorkerConsole},
	}
	// The page's side, when it has something to say: its console next to
	// the worker's, the dialogs the app raised (often the clue: "Erst Foto
	// aufnehmen!") and how the journeys gave it photos.
	if len(o.PageConsole) > 0 {
		out = append(out, Evidence{Label: t.PageLog.In(l), Lines: o.PageConsole})
	}
	if len(o.Alerts) > 0 {
		out = append(out, Evidence{Label: t.Dialogs.In(l), Lines: o.Alerts})
	}
	if len(o.Photos) > 0 {
		var photos []string
		for _, p := range o.Photos {
			photos = append(photos, p.In(l))
		}
		out = append(out, Evidence{Label: t.Photos.In(l), Lines: photos})
	}
	if len(o.Errors) > 0 {
		// The message and where it was thrown, not the whole stack; an
		// error thrown again (on each attempt of a sync) once, with how
		// often.
		var errs []string
		times := map[string]int{}
		for _, e := range o.Errors {
			lines := strings.Split(e, "\n")
			if len(lines) > 2 {
				lines = lines[:2]
			}
			line := strings.Join(lines, " ")
			if times[line] == 0 {
				errs = append(errs, line)
			}
			times[line]++
		}
		for i, e := range errs {
			if n := times[e]; n > 1 {
				errs[i] = fmt.Sprintf("%s (%d×)", e, n)
			}
		}
		out = append(out, Evidence{Label: t.Errors.In(l), Lines: errs})
	}
	for i := range out {
		if len(out[i].Lines) == 0 {
			out[i].Lines = []string{t.Nil.In(l)}
		}
	}
	return out
}

// DescribeRecord renders an outbox record in one line, photos as
// "File image/jpeg, 12345 bytes".
func DescribeRecord(r map[string]any) string {
	var keys []string
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		v := r[k]
		if m, ok := v.(map[string]any); ok && m["__blob"] == true {
			size, _ := m["size"].(float64)
			typ, _ := m["type"].(string)
			parts = append(parts, fmt.Sprintf("%s: Blob %s, %d bytes", k, typ, int64(size)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %v", k, v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// faultSaid says what the checks did to a request (a backend/lab fault).
func faultSaid(fault string) lang.Text {
	switch fault {
	case "status":
		return lang.Text{EN: "an error answer the checks injected", DE: "eine Fehlerantwort, die die Prüfungen eingeschleust haben"}
	case "drop":
		return lang.Text{EN: "stored, then the checks dropped the connection", DE: "gespeichert, dann trennten die Prüfungen die Verbindung"}
	case "hold":
		return lang.Text{EN: "stored, the checks held back the answer", DE: "gespeichert, die Prüfungen hielten die Antwort zurück"}
	}
	return lang.Same("fault: " + fault)
}
