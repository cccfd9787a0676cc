package session

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/trace"
)

// networkFailure matches what browsers say when a fetch, cache.addAll or a
// load fails on the network.
var networkFailure = regexp.MustCompile(`(?i)failed to fetch|networkerror|network error|net::err_|request failed|addall|load failed|failed to load`)

// blameWindow is how long before an error an unavailable outside address
// may explain it.
const blameWindow = 3 * time.Second

// sortErrors splits the uncaught errors thrown at or after from (zero: all
// of them) into the app's own and those that follow from outside addresses
// unavailable during the checks (sortByCause).
func (s *Session) sortErrors(from time.Time) (own, caused []string) {
	s.mu.Lock()
	errs := slices.DeleteFunc(slices.Clone(s.errors), func(e appError) bool { return e.Time.Before(from) })
	failed := slices.Clone(s.failed)
	s.mu.Unlock()
	var outside []browser.OutsideRequest
	if s.router != nil {
		outside = s.router.Outside()
	}
	return sortByCause(errs, failed, outside)
}

// sortByCause says which errors follow from an outside address unavailable
// during the checks: a network failure whose nearest failed request (at
// most blameWindow before it, or a moment after, as events arrive out of
// order) is such an address. A failure of the app's own origins nearer to
// the error keeps it the app's; one seconds earlier (a feed fetch while
// offline) does not take the blame from the outside address the error
// followed at once.
func sortByCause(errs []appError, failed []failedRequest, outside []browser.OutsideRequest) (own, caused []string) {
	distance := func(t, errAt time.Time) (time.Duration, bool) {
		if t.Before(errAt.Add(-blameWindow)) || t.After(errAt.Add(250*time.Millisecond)) {
			return 0, false
		}
		return max(errAt.Sub(t), t.Sub(errAt)), true
	}
	for _, e := range errs {
		explained := false
		if networkFailure.MatchString(e.Text) {
			nearest := time.Duration(-1)
			for _, o := range outside {
				if d, ok := distance(o.Time, e.Time); ok && o.Outcome == browser.Unavailable && (nearest < 0 || d < nearest) {
					nearest = d
				}
			}
			explained = nearest >= 0
			for _, f := range failed {
				if d, ok := distance(f.Time, e.Time); ok && d <= nearest {
					explained = false
					break
				}
			}
		}
		if explained {
			caused = append(caused, e.Text)
		} else {
			own = append(own, e.Text)
		}
	}
	return own, caused
}

// Notes lists what the checks could not offer the app and what followed
// from it, none of it the student's failure: outside addresses not
// available during the checks (with who requested them) and the errors
// they caused.
func (s *Session) Notes() []lang.Text {
	var notes []lang.Text
	seen := map[string]bool{}
	for _, o := range s.Outside() {
		if o.Outcome != browser.Unavailable || seen[o.URL] {
			continue
		}
		seen[o.URL] = true
		note := lang.Say("not available during the checks: %s (requested by %s)", "während der Prüfungen nicht erreichbar: %s (angefragt von %s)", o.URL, s.requester(o))
		if o.Reason != "" && !strings.Contains(o.Reason, "does not know") {
			note = lang.Say("%s; %s", "%s; %s", note, o.Reason)
		}
		notes = append(notes, note)
	}
	_, caused := s.sortErrors(time.Time{})
	count := map[string]int{}
	for _, e := range caused {
		count[e]++
	}
	for _, e := range caused {
		n := count[e]
		if n == 0 {
			continue
		}
		count[e] = 0
		note := lang.Say("not counted against the app, it follows from an unavailable outside address: %s",
			"zählt nicht gegen die App, es folgt aus einer nicht erreichbaren externen Adresse: %s", e)
		if n > 1 {
			note = lang.Say("%s (%d×)", "%s (%d×)", note, n)
		}
		notes = append(notes, note)
	}
	return notes
}

// requester says who asked for an outside address: the page or the service
// worker (from the browser's own network events) and how (Sec-Fetch-Dest).
func (s *Session) requester(o browser.OutsideRequest) lang.Text {
	who := lang.Text{EN: "the app", DE: "der App"}
	switch s.requestedBy(o) {
	case trace.Page:
		who = lang.Text{EN: "the page", DE: "der Seite"}
	case trace.Worker:
		who = lang.Text{EN: "the service worker", DE: "dem Service Worker"}
	}
	how, ok := map[string]lang.Text{
		"style":    {EN: "a stylesheet link", DE: "einen Stylesheet-Link"},
		"script":   {EN: "a script tag", DE: "ein script-Tag"},
		"font":     {EN: "a CSS font", DE: "eine CSS-Schrift"},
		"image":    {EN: "an image", DE: "ein Bild"},
		"empty":    {EN: "fetch() or cache.addAll", DE: "fetch() oder cache.addAll"},
		"document": {EN: "a navigation", DE: "eine Navigation"},
		"manifest": {EN: "the manifest", DE: "das Manifest"},
	}[o.Dest]
	if !ok {
		return who
	}
	return lang.Say("%s, %s", "%s über %s", who, how)
}

// requestedBy returns the lane (the page or the worker) whose request for
// o the timeline holds, or "" when neither's is there.
func (s *Session) requestedBy(o browser.OutsideRequest) trace.Lane {
	for _, e := range s.Timeline.Events() {
		if (e.Lane == trace.Page || e.Lane == trace.Worker) && e.Kind == "asset" && strings.HasSuffix(e.Text, " "+o.URL) {
			return e.Lane
		}
	}
	return ""
}

// recordOutside puts an outside request on the timeline.
func (s *Session) recordOutside(o browser.OutsideRequest) {
	text := o.Method + " " + o.URL
	switch o.Outcome {
	case browser.FromMirror:
		text += " ← CDN mirror (" + o.From + ")"
	case browser.Unavailable:
		text += " ✗ not available during the checks"
	case browser.Passed:
		text += " → internet (-net)"
	}
	s.Timeline.AddEvent(trace.Event{Time: o.Time, Lane: trace.Sim, Kind: "outside", Text: text, Data: o})
}

// MissingOutsideError says that an outside address the checks cannot offer
// kept the app from running, so its verdict would not be the app's.
type MissingOutsideError struct {
	Request browser.OutsideRequest
	Why     string
}

func (e *MissingOutsideError) Error() string {
	return fmt.Sprintf("the app needs %s (%s), which the checks cannot offer without the internet; "+
		"add a row for it to the CDN mirror (frontend/mirror/table.go) and its npm package to frontend/package.json, or load that library from the app's own folder",
		e.Request.URL, e.Why)
}

// StoppedBy returns the outside address, not available during the checks,
// that kept the app from running, if one did: a script the service
// worker imports (the worker then cannot install: its error names the
// address, or it never activated), or a script of the page after which
// the page threw a ReferenceError (a name the script would have defined).
// An outside address the app can do without (a dead polyfill service, a
// badge) stays a note.
func (s *Session) StoppedBy() (*MissingOutsideError, bool) {
	var scripts []browser.OutsideRequest
	for _, o := range s.Outside() {
		if o.Outcome == browser.Unavailable && (o.Dest == "script" || o.Dest == "serviceworker" || o.Dest == "worker" || strings.HasSuffix(strings.SplitN(o.URL, "?", 2)[0], ".js")) {
			scripts = append(scripts, o)
		}
	}
	if len(scripts) == 0 {
		return nil, false
	}
	s.mu.Lock()
	errs := slices.Clone(s.errors)
	notActive := s.workerNotActive
	s.mu.Unlock()
	for _, o := range scripts {
		for _, e := range errs {
			if strings.Contains(e.Text, o.URL) {
				return &MissingOutsideError{Request: o, Why: "the browser reported: " + firstLine(e.Text)}, true
			}
		}
	}
	for _, o := range scripts {
		if notActive && !(s.requestedBy(o) == trace.Page && o.Dest == "script") {
			return &MissingOutsideError{Request: o, Why: "the service worker did not activate without it"}, true
		}
	}
	for _, e := range errs {
		if !strings.HasPrefix(e.Text, string(trace.Page)) || !strings.Contains(e.Text, "is not defined") {
			continue
		}
		for _, o := range scripts {
			if !o.Time.After(e.Time) {
				return &MissingOutsideError{Request: o, Why: "the page then threw " + firstLine(strings.TrimPrefix(e.Text, string(trace.Page)+": "))}, true
			}
		}
	}
	return nil, false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
