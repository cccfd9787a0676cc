package output

import (
	"synclab/checks/runner"
	"synclab/lang"
)

// texts are the lines the outputs print.
type texts struct {
	head, passed, failed, skipped, errored, expected, seen, hint, observed, needs lang.Text
	points, summary, next, allPassed, allRobust, notes, running, couldNotRun      lang.Text
	help, notChecked, leftOut                                                     lang.Text
}

func lines() texts {
	return texts{
		head:        lang.Text{DE: "Sync Lab prüft %s", EN: "Sync Lab checks %s"},
		passed:      lang.Text{DE: "bestanden", EN: "passed"},
		failed:      lang.Text{DE: "nicht bestanden", EN: "failed"},
		skipped:     lang.Text{DE: "übersprungen", EN: "skipped"},
		errored:     lang.Text{DE: "konnte nicht laufen", EN: "could not run"},
		expected:    lang.Text{DE: "erwartet", EN: "expected"},
		seen:        lang.Text{DE: "gesehen", EN: "seen"},
		hint:        lang.Text{DE: "Tipp", EN: "hint"},
		observed:    lang.Text{DE: "beobachtet", EN: "observed"},
		needs:       lang.Text{DE: "übersprungen: braucht „%s“", EN: "skipped: needs “%s”"},
		points:      lang.Text{DE: "Punkte: %s von %s", EN: "Points: %s of %s"},
		summary:     lang.Text{DE: "%d bestanden, %d nicht bestanden, %d übersprungen (%v)", EN: "%d passed, %d failed, %d skipped (%v)"},
		next:        lang.Text{DE: "Als Nächstes: %s", EN: "Next: %s"},
		allPassed:   lang.Text{DE: "Alles bestanden. Weiter geht es mit dem nächsten Schritt des Kapitels.", EN: "All passed. Go on with the chapter's next step."},
		allRobust:   lang.Text{DE: "Alles bestanden. Wer mehr will: go run ./checks -robust prüft die robuste Fassung (Schritt 08).", EN: "All passed. For more: go run ./checks -robust checks the robust version (step 08)."},
		notes:       lang.Text{DE: "Hinweise (zählen nicht gegen die App):", EN: "Notes (not counted against the app):"},
		running:     lang.Text{DE: "läuft: %s", EN: "running: %s"},
		couldNotRun: lang.Text{DE: "Die Prüfungen konnten nicht laufen – das liegt an der Umgebung, nicht an deiner App: %v", EN: "The checks could not run, because of the environment, not your app: %v"},
		help:        lang.Text{DE: "worum es geht", EN: "what it is about"},
		notChecked:  lang.Text{DE: "nicht geprüft", EN: "not checked"},
		leftOut: lang.Text{DE: "%d Check(s) nicht gelaufen, weil sie erst nach dem Abgabetermin oder gar nicht gezeigt werden: %s (-all lässt alle laufen).",
			EN: "%d check(s) not run because they are shown only after the deadline or not at all: %s (-all runs them all)."},
	}
}

// Heading is a run's first line, with a %s for the app.
func Heading(l string) string { return lines().head.In(l) }

// CouldNotRun says that the environment, not the app, failed, with a %v
// for the reason.
func CouldNotRun(l string) string { return lines().couldNotRun.In(l) }

// StatusText is a check's status in words: "bestanden", "failed", ….
func StatusText(st runner.Status, l string) string {
	t := lines()
	switch st {
	case runner.Passed:
		return t.passed.In(l)
	case runner.Failed:
		return t.failed.In(l)
	case runner.Skipped:
		return t.skipped.In(l)
	case runner.Error:
		return t.errored.In(l)
	}
	return string(st)
}
