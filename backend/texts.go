package main

import (
	"errors"
	"fmt"

	"synclab/backend/dbsource"
	"synclab/backend/server"
	"synclab/lang"
)

// texts are the backend's own lines in one language.
type texts struct {
	title, api, app, mongo, lab, stop, stopping, stopped string
	course, courseWhat, courseBroken                     string
	embedded, docker, dockerData, uri                    string
	portBusy                                             string
	// names translates the servers' names in messages.
	names map[string]string
}

// textsFor returns the lines in l ("de" or "en"), each written in both
// languages side by side.
func textsFor(l string) texts {
	say := func(de, en string) string { return lang.Text{DE: de, EN: en}.In(l) }
	t := texts{
		title: say("Sync Lab Backend", "Sync Lab backend"), api: say("REST-API:", "REST API:"), app: "App:", mongo: "MongoDB:",
		course:       say("Kurs:", "Course:"),
		courseWhat:   say("Kapitel, Schritt-Browser, Folien; auch offline", "chapters, step browser, slides; works offline"),
		courseBroken: say("der Kurs lässt sich nicht bauen", "the course does not build"),
		lab:          say("Lab-Schnittstelle: %s/_lab/ (Fehler einspeisen, Anfragen protokollieren)", "Lab hooks: %s/_lab/ (fault injection and request log)"),
		stop:         say("Beenden mit Strg-C.", "Press Ctrl-C to stop."),
		stopping:     say("Wird beendet: laufende Anfragen werden noch abgeschlossen …", "Stopping: letting running requests finish …"),
		stopped:      say("Beendet.", "Stopped."),
		embedded:     say("eingebettetes FerretDB (SQLite), Daten in %s, Datenbank %q", "embedded FerretDB (SQLite), data in %s, database %q"),
		docker:       say("MongoDB in Docker, Datenbank %q", "MongoDB in Docker, database %q"),
		dockerData:   say("MongoDB in Docker (%s), Daten in %s, Datenbank %q", "MongoDB in Docker (%s), data in %s, database %q"),
		uri:          say("MongoDB unter %s, Datenbank %q", "MongoDB at %s, database %q"),
		portBusy: say("%s kann nicht auf %s laufen: der Port ist schon belegt (läuft schon ein Sync-Lab-Backend oder http-server?). "+
			"Beenden Sie das andere Programm oder wählen Sie mit %s HOST:PORT eine andere Adresse",
			"cannot serve the %s on %s: the port is already in use (is another Sync Lab backend or http-server running?). "+
				"Stop that program, or choose another address with %s HOST:PORT"),
	}
	if !lang.IsEnglish(l) {
		t.names = map[string]string{"REST API": "Die REST-API", "app": "Die App", "course": "Der Kurs"}
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
	var busy *server.PortBusyError
	if errors.As(err, &busy) {
		what := busy.What
		if w, ok := t.names[what]; ok {
			what = w
		}
		return fmt.Errorf(t.portBusy, what, busy.Addr, busy.Flag)
	}
	return err
}
