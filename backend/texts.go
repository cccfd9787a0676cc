package main

import (
	"fmt"

	"synclab/backend/dbsource"
	"synclab/command"
	"synclab/lang"
)

// texts are the backend's own lines in one language.
type texts struct {
	title, api, app, mongo, lab, stop, stopping, stopped string
	course, courseWhat, courseBroken                     string
	embedded, docker, dockerData, uri                    string
	// l is the language of the lines.
	l string
}

// textsFor returns the lines in l ("de" or "en"), each written in both
// languages side by side.
func textsFor(l string) texts {
	t := texts{
		l:     l,
		title: lang.Text{DE: "Sync Lab Backend", EN: "Sync Lab backend"}.In(l), api: lang.Text{DE: "REST-API:", EN: "REST API:"}.In(l), app: "App:", mongo: "MongoDB:",
		course:       lang.Text{DE: "Kurs:", EN: "Course:"}.In(l),
		courseWhat:   lang.Text{DE: "Kapitel, Schritt-Browser, Folien; auch offline", EN: "chapters, step browser, slides; works offline"}.In(l),
		courseBroken: lang.Text{DE: "der Kurs lässt sich nicht bauen", EN: "the course does not build"}.In(l),
		lab:          lang.Text{DE: "Lab-Schnittstelle: %s/_lab/ (Fehler einspeisen, Anfragen protokollieren)", EN: "Lab hooks: %s/_lab/ (fault injection and request log)"}.In(l),
		stop:         lang.Text{DE: "Beenden mit Strg-C.", EN: "Press Ctrl-C to stop."}.In(l),
		stopping:     lang.Text{DE: "Wird beendet: laufende Anfragen werden noch abgeschlossen …", EN: "Stopping: letting running requests finish …"}.In(l),
		stopped:      lang.Text{DE: "Beendet.", EN: "Stopped."}.In(l),
		embedded:     lang.Text{DE: "eingebettetes FerretDB (SQLite), Daten in %s, Datenbank %q", EN: "embedded FerretDB (SQLite), data in %s, database %q"}.In(l),
		docker:       lang.Text{DE: "MongoDB in Docker, Datenbank %q", EN: "MongoDB in Docker, database %q"}.In(l),
		dockerData:   lang.Text{DE: "MongoDB in Docker (%s), Daten in %s, Datenbank %q", EN: "MongoDB in Docker (%s), data in %s, database %q"}.In(l),
		uri:          lang.Text{DE: "MongoDB unter %s, Datenbank %q", EN: "MongoDB at %s, database %q"}.In(l),
	}
	return t
}

// describeDB says which MongoDB is in use.
func (t texts) describeDB(h *dbsource.Handle) string {
	switch h.Source {
	case dbsource.Embedded:
		return fmt.Sprintf(t.embedded, h.DataDir, h.Database)
	case dbsource.Docker:
		if h.DataDir != "" {
			return fmt.Sprintf(t.dockerData, dbsource.DefaultDockerImage, h.DataDir, h.Database)
		}
		return fmt.Sprintf(t.docker, h.Database)
	default:
		return fmt.Sprintf(t.uri, dbsource.Redact(h.URI), h.Database)
	}
}

// explain rewrites errors the user can act on in the chosen language.
func (t texts) explain(err error) error {
	return command.Explain(err, t.l)
}
