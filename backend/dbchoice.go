package main

import (
	"log/slog"

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
	envURI := dbsource.URIFromEnv()
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
