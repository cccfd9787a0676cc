// Command backend runs Sync Lab's reference backend: the REST API the
// chapter's app talks to (localhost:3000) and the app itself (localhost:8080).
//
//	go run ./backend                 serve the API and the app
//	go run ./backend import DIR      load mongoexport files into the database
//	go run ./backend export DIR      write the database as mongoexport files
//	go run ./backend seed            add a few sample posts
//	go run ./backend export-step 03 DIR  write a checkpoint as an app folder
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"synclab/backend/dbsource"
	"synclab/command"
	"synclab/lang"
)

func main() {
	command.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stdout, stderr)
	case "import", "export":
		err = transfer(ctx, cmd, args, stdout, stderr)
	case "seed":
		err = seed(ctx, args, stdout, stderr)
	case "export-step":
		err = exportStep(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage().In(argLang(args)))
		return exitOK
	default:
		l := argLang(args)
		fmt.Fprintf(stderr, "%s\n\n%s", lang.Say("unknown command %q", "unbekannter Befehl %q", cmd).In(l), usage().In(l))
		return exitUsage
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "backend: %s\n", lang.ErrorIn(err, argLang(args)))
		return exitUsage
	default:
		// A failure that says itself in both languages (a busy port, a dead
		// database) is said in the one the user asked for.
		fmt.Fprintf(stderr, "backend: %s\n", lang.ErrorIn(err, argLang(args)))
		return exitError
	}
}

// argLang is the language -lang in args asks for, else the environment's.
func argLang(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		return lang.Normalize(value)
	}
	return lang.FromEnv()
}

// usage is the command's help, in both languages.
func usage() lang.Text {
	return lang.Text{
		EN: `Sync Lab reference backend

Usage:
  go run ./backend [flags]             serve the REST API (and the app)
  go run ./backend import [flags] DIR  load posts.json, posts_files.json, posts_chunks.json
  go run ./backend export [flags] DIR  write those files from the database
  go run ./backend seed [flags]        add a few sample posts with drawn photos
  go run ./backend export-step [-force] STEP DIR
                                       write checkpoint STEP (00 … 08) as a complete app folder

Run "go run ./backend COMMAND -h" for a command's flags.
`,
		DE: `Sync-Lab-Referenz-Backend

Aufruf:
  go run ./backend [Optionen]             REST-API (und die App) bereitstellen
  go run ./backend import [Optionen] DIR  posts.json, posts_files.json, posts_chunks.json laden
  go run ./backend export [Optionen] DIR  diese Dateien aus der Datenbank schreiben
  go run ./backend seed [Optionen]        einige Beispielbeiträge mit gezeichneten Fotos anlegen
  go run ./backend export-step [-force] STEP DIR
                                          Checkpoint STEP (00 … 08) als vollständigen App-Ordner schreiben

"go run ./backend BEFEHL -h" zeigt die Optionen eines Befehls.
`,
	}
}

// usageError is a mistake in how the command was called (exit code 2).
type usageError struct{ error }

// Unwrap lets the mistake say itself in both languages (lang.OfError).
func (u usageError) Unwrap() error { return u.error }

// dbFlags are the flags every command has for choosing the database.
type dbFlags struct {
	mongo    string
	data     string
	database string
	verbose  bool
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	def := "embedded"
	if dbsource.URIFromEnv() != "" {
		def = "uri (from MONGODB_URI)"
	}
	fs.StringVar(&d.mongo, "mongo", "", "where MongoDB comes from: embedded, docker, auto, or a mongodb:// / mongodb+srv:// URI (default: "+def+")")
	fs.StringVar(&d.data, "data", "", "folder for the embedded database (default: "+defaultDataDirForHelp()+")")
	fs.StringVar(&d.database, "db", "synclab", "database name")
	fs.BoolVar(&d.verbose, "v", false, "verbose: debug logs, including the embedded FerretDB's")
}

func (d *dbFlags) logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if d.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}

func waitShutdown(timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), timeout)
}
