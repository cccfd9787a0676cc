package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"synclab/backend/coursedata"
	"synclab/backend/dbsource"
	"synclab/backend/posts"
	"synclab/backend/samples"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"synclab/lang"
)

// withDatabase opens the database chosen by the flags and runs fn on it.
func withDatabase(ctx context.Context, db *dbFlags, stdout, stderr io.Writer, fn func(*mongo.Database) error) error {
	logger := db.logger(stderr)
	opts, err := db.mongoOptions(logger)
	if err != nil {
		return err
	}
	h, err := dbsource.Open(ctx, opts...)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := waitShutdown(10 * time.Second)
		defer cancel()
		_ = h.Close(cctx)
	}()
	fmt.Fprintf(stdout, "MongoDB: %s\n", textsFor(lang.FromEnv()).describeDB(h))
	client, err := h.Connect(ctx)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	return fn(client.Database(h.Database))
}

func transfer(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(cmd, stderr)
	var db dbFlags
	db.register(fs)
	fs.Usage = func() {
		if cmd == "import" {
			fmt.Fprint(stderr, lang.Say("Usage: go run ./backend import [flags] DIR\n\nLoads %s, %s and %s (mongoexport JSON lines) from DIR.\n\n",
				"Aufruf: go run ./backend import [Optionen] DIR\n\nLädt %s, %s und %s (mongoexport-JSON-Zeilen) aus DIR.\n\n",
				coursedata.PostsFile, coursedata.FilesFile, coursedata.ChunksFile).In(argLang(args)))
		} else {
			fmt.Fprint(stderr, lang.Say("Usage: go run ./backend export [flags] DIR\n\nWrites the posts and their photos to DIR as mongoexport JSON lines.\n\n",
				"Aufruf: go run ./backend export [Optionen] DIR\n\nSchreibt die Beiträge und ihre Fotos als mongoexport-JSON-Zeilen nach DIR.\n\n").In(argLang(args)))
		}
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{lang.Err(lang.Say("%s needs exactly one folder", "%s braucht genau einen Ordner", cmd))}
	}
	dir := fs.Arg(0)
	return withDatabase(ctx, &db, stdout, stderr, func(d *mongo.Database) error {
		var (
			rep coursedata.Report
			err error
		)
		if cmd == "import" {
			rep, err = coursedata.Import(ctx, d, dir)
		} else {
			rep, err = coursedata.Export(ctx, d, dir)
		}
		for _, f := range []string{coursedata.PostsFile, coursedata.FilesFile, coursedata.ChunksFile} {
			if n, ok := rep.Counts[f]; ok {
				verb := "read"
				if cmd == "export" {
					verb = "wrote"
				}
				fmt.Fprintf(stdout, "  %-18s %s %d documents\n", f, verb, n)
			}
		}
		for _, f := range rep.MissingFiles {
			fmt.Fprintf(stdout, "  %-18s not found in %s: skipped\n", f, dir)
		}
		if len(rep.MissingImages) > 0 {
			fmt.Fprintf(stdout, "  %d post(s) have no complete photo and will show without an image:\n    %s\n",
				len(rep.MissingImages), strings.Join(rep.MissingImages, "\n    "))
		}
		return err
	})
}

func seed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("seed", stderr)
	var db dbFlags
	db.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	list, err := samples.Posts()
	if err != nil {
		return err
	}
	return withDatabase(ctx, &db, stdout, stderr, func(d *mongo.Database) error {
		store := posts.NewStore(d, posts.Options{})
		for _, np := range list {
			p, err := store.Create(ctx, np)
			if err != nil {
				return fmt.Errorf("seed %q: %w", np.Title, err)
			}
			fmt.Fprintf(stdout, "  added %s  %s (%s)\n", p.ID.Hex(), p.Title, p.Location)
		}
		return nil
	})
}
