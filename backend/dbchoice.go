package main

import (
	"fmt"
	"log/slog"
	"os"

	"synclab/backend/dbsource"
)

func defaultDataDirForHelp() string { return dbsource.DefaultDataDir() }

// mongoOptions turns the flags into dbsource options. The backend is the
// course's everyday server: it keeps its data (embedded by default, or the
// URI from MONGODB_URI) unless told otherwise.
func (d *dbFlags) mongoOptions(logger *slog.Logger) ([]dbsource.Option, error) {
	opts := []dbsource.Option{
		dbsource.WithDatabase(d.database),
		dbsource.WithVerbose(d.verbose),
		dbsource.WithLogger(logger),
	}
	if d.data != "" {
		opts = append(opts, dbsource.WithDataDir(d.data))
	}
	envURI := os.Getenv("MONGODB_URI")
	value := d.mongo
	if value == "" {
		if envURI != "" {
			return append(opts, dbsource.WithMode(dbsource.URI), dbsource.WithURI(envURI)), nil
		}
		value = string(dbsource.Embedded)
	}
	mode, uri, err := dbsource.ParseMode(value)
	if err != nil {
		return nil, usageError{err}
	}
	if uri == "" {
		uri = envURI
	}
	if mode == dbsource.URI || (mode == dbsource.Auto && uri != "") {
		opts = append(opts, dbsource.WithURI(uri))
	}
	return append(opts, dbsource.WithMode(mode)), nil
}

func describeDB(h *dbsource.Handle) string {
	switch h.Source {
	case dbsource.Embedded:
		return fmt.Sprintf("embedded FerretDB (SQLite), data in %s, database %q", h.DataDir, h.Database)
	case dbsource.Docker:
		if h.DataDir != "" {
			return fmt.Sprintf("MongoDB in Docker (%s), data in %s, database %q", dbsource.DefaultDockerImage, h.DataDir, h.Database)
		}
		return fmt.Sprintf("MongoDB in Docker, database %q", h.Database)
	default:
		return fmt.Sprintf("MongoDB at %s, database %q", dbsource.Redact(h.URI), h.Database)
	}
}
