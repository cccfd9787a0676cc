package report_test

import (
	"strings"
	"testing"

	"synclab/backend/lab"
	"synclab/simulator/report"
	"synclab/simulator/scenario"
)

// TestEvidenceSpeaksTheStudentsLanguage: the evidence names what the
// checks did to a request in the student's language (not the backend's
// English), says a request without an answer, and lists an error thrown
// on every attempt once, with how often.
func TestEvidenceSpeaksTheStudentsLanguage(t *testing.T) {
	o := scenario.Observations{
		Requests: []lab.Request{
			{Method: "POST", Path: "/posts", Status: 503, Fault: "status", Error: "injected fault: the lab made this request answer 503"},
			{Method: "POST", Path: "/posts", Status: 0, Fault: "hold"},
		},
		Errors: []string{"service worker: 1 post(s) could not be sent yet\n at sw.js:3\n more", "service worker: 1 post(s) could not be sent yet\n at sw.js:3", "page: boom"},
	}
	for l, want := range map[string][]string{
		"de": {"POST /posts → 503 [eine Fehlerantwort, die die Prüfungen eingeschleust haben]", "POST /posts → (keine Antwort) [gespeichert, die Prüfungen hielten die Antwort zurück]", "service worker: 1 post(s) could not be sent yet  at sw.js:3 (2×)", "page: boom"},
		"en": {"POST /posts → 503 [an error answer the checks injected]", "POST /posts → (no answer) [stored, the checks held back the answer]"},
	} {
		var all []string
		for _, e := range report.EvidenceOf(o, l) {
			all = append(all, e.Lines...)
		}
		text := strings.Join(all, "\n")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: evidence lacks %q:\n%s", l, w, text)
			}
		}
		if strings.Contains(text, "injected fault: the lab") {
			t.Errorf("%s: the backend's English words for a fault are shown:\n%s", l, text)
		}
	}
}
