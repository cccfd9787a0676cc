package site

import "fmt"

// texts are the site's own words in one language.
type texts struct {
	Lang, Other, OtherName  string
	Course, Chapters, Steps string
	Slides, Contents        string
	Checkpoint              string
	Overview, Intro         string
	StepsIntro              string
	Run, RunIntro           string
	CheckIntro              string
	Download, DownloadNote  string
	Changes, FirstStep      string
	Added, Modified, Binary string
	Prev, Next              string
	Files                   string
	ChecksFor               string
	SlidesIntro, Present    string
	Offline, OfflineReady   string
	BackToCourse            string
	CmdServe, CmdCheck      string
	CmdSimulate, CmdExport  string
	ExportDir               string
}

func textsFor(lang string) texts {
	if lang == "en" {
		return texts{
			Lang: "en", Other: "de", OtherName: "Deutsch",
			Course: "Sync Lab course", Chapters: "Chapters", Steps: "Step browser", Slides: "Slides", Contents: "Contents",
			Checkpoint: "Checkpoint",
			Overview:   "Background Sync in a Progressive Web App",
			Intro:      "Read the chapter, browse the app step by step, or present the slides. Everything here works offline once you have visited it.",
			StepsIntro: "Every checkpoint of the app: what it changes, the changes themselves, a download of the complete app, and the commands that run and check it.",
			Run:        "Run and check it", RunIntro: "In a clone of Sync Lab:",
			CheckIntro: "In your app folder, with the installed command (install it once, in the clone: go install -tags synclab_embed ./checks/synclab-checks):",
			Download:   "Download checkpoint %s as a ZIP", DownloadNote: "the complete app with its libraries, ready for go run ./backend -app-dir",
			Changes:   "Changes since checkpoint %s",
			FirstStep: "Checkpoint 00 is the starting point: the app before the chapter. Its files:",
			Added:     "new", Modified: "changed", Binary: "binary file",
			Prev: "previous", Next: "next",
			Files:       "files",
			ChecksFor:   "The checks of this step",
			SlidesIntro: "The deck for a 90-minute lecture: press S for the speaker notes, F for full screen. Print to PDF with go run ./slides -pdf FILE.",
			Present:     "Open the slides",
			Offline:     "Connecting …", OfflineReady: "Available offline",
			BackToCourse: "Course",
			CmdServe:     "serve the app at this checkpoint (API on :3000, app on :8080)",
			CmdCheck:     "check your app up to this step",
			CmdSimulate:  "watch the step's first check in the browser",
			CmdExport:    "write it as a folder to start from",
			ExportDir:    "my-app",
		}
	}
	return texts{
		Lang: "de", Other: "en", OtherName: "English",
		Course: "Sync-Lab-Kurs", Chapters: "Kapitel", Steps: "Schritt-Browser", Slides: "Folien", Contents: "Inhalt",
		Checkpoint: "Checkpoint",
		Overview:   "Hintergrundsynchronisation in einer Progressive Web App",
		Intro:      "Lies das Kapitel, geh die App Schritt für Schritt durch oder zeig die Folien. Alles hier funktioniert offline, sobald du es einmal besucht hast.",
		StepsIntro: "Jeder Checkpoint der App: was er ändert, die Änderungen selbst, die vollständige App zum Herunterladen und die Befehle, die sie starten und prüfen.",
		Run:        "Starten und prüfen", RunIntro: "In einem Klon von Sync Lab:",
		CheckIntro: "In deinem App-Ordner, mit dem installierten Befehl (einmal im Klon installieren: go install -tags synclab_embed ./checks/synclab-checks):",
		Download:   "Checkpoint %s als ZIP herunterladen", DownloadNote: "die vollständige App mit ihren Bibliotheken, bereit für go run ./backend -app-dir",
		Changes:   "Änderungen seit Checkpoint %s",
		FirstStep: "Checkpoint 00 ist der Ausgangspunkt: die App vor dem Kapitel. Ihre Dateien:",
		Added:     "neu", Modified: "geändert", Binary: "Binärdatei",
		Prev: "zurück", Next: "weiter",
		Files:       "Dateien",
		ChecksFor:   "Die Checks dieses Schritts",
		SlidesIntro: "Der Foliensatz für eine 90-minütige Vorlesung: S öffnet die Sprechernotizen, F den Vollbildmodus. Als PDF: go run ./slides -pdf DATEI.",
		Present:     "Folien öffnen",
		Offline:     "Verbinde …", OfflineReady: "Offline verfügbar",
		BackToCourse: "Kurs",
		CmdServe:     "die App in diesem Stand starten (API auf :3000, App auf :8080)",
		CmdCheck:     "deine App bis zu diesem Schritt prüfen",
		CmdSimulate:  "die erste Prüfung des Schritts im Browser ansehen",
		CmdExport:    "als Ordner zum Weiterarbeiten schreiben",
		ExportDir:    "meine-app",
	}
}

func (t texts) checkpoint(id string) string { return fmt.Sprintf("%s %s", t.Checkpoint, id) }
