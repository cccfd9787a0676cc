package main

import (
	"errors"
	"fmt"

	"synclab/backend/dbsource"
	"synclab/backend/server"
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

func textsFor(lang string) texts {
	if lang == "en" {
		return texts{
			title: "Sync Lab backend", api: "REST API:", app: "App:", mongo: "MongoDB:",
			course: "Course:", courseWhat: "chapters, step browser, slides; works offline", courseBroken: "the course does not build",
			lab:      "Lab hooks: %s/_lab/ (fault injection and request log)",
			stop:     "Press Ctrl-C to stop.",
			stopping: "Stopping: letting running requests finish …", stopped: "Stopped.",
			embedded:   "embedded FerretDB (SQLite), data in %s, database %q",
			docker:     "MongoDB in Docker, database %q",
			dockerData: "MongoDB in Docker (%s), data in %s, database %q",
			uri:        "MongoDB at %s, database %q",
			portBusy: "cannot serve the %s on %s: the port is already in use (is another Sync Lab backend or http-server running?). " +
				"Stop that program, or choose another address with %s HOST:PORT",
		}
	}
	return texts{
		title: "Sync Lab Backend", api: "REST-API:", app: "App:", mongo: "MongoDB:",
		course: "Kurs:", courseWhat: "Kapitel, Schritt-Browser, Folien; auch offline", courseBroken: "der Kurs lässt sich nicht bauen",
		lab:      "Lab-Schnittstelle: %s/_lab/ (Fehler einspeisen, Anfragen protokollieren)",
		stop:     "Beenden mit Strg-C.",
		stopping: "Wird beendet: laufende Anfragen werden noch abgeschlossen …", stopped: "Beendet.",
		embedded:   "eingebettetes FerretDB (SQLite), Daten in %s, Datenbank %q",
		docker:     "MongoDB in Docker, Datenbank %q",
		dockerData: "MongoDB in Docker (%s), Daten in %s, Datenbank %q",
		uri:        "MongoDB unter %s, Datenbank %q",
		portBusy: "%s kann nicht auf %s laufen: der Port ist schon belegt (läuft schon ein Sync-Lab-Backend oder http-server?). " +
			"Beenden Sie das andere Programm oder wählen Sie mit %s HOST:PORT eine andere Adresse",
		names: map[string]string{"REST API": "Die REST-API", "app": "Die App", "course": "Der Kurs"},
	}
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
