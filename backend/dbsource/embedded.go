package dbsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// openEmbedded starts FerretDB with its SQLite backend in-process, listening
// on a free loopback port, and returns its URI. Data lives in c.dataDir (or a
// temporary folder when ephemeral).
// ferretNew serialises ferretdb.New: it writes a package variable of
// FerretDB's (version.Get().Package) on every call, so two sessions
// starting at once race in the library (found by -race in
// TestChapterHolds). It is the one lock here, and guards only that call.
var ferretNew sync.Mutex

func openEmbedded(ctx context.Context, c *config) (*Handle, error) {
	h := &Handle{Database: c.database}
	dir := c.dataDir
	switch {
	case c.ephemeral && dir == "":
		removeStaleTempDirs()
		tmp, err := os.MkdirTemp("", "synclab-mongo-*")
		if err != nil {
			return nil, fmt.Errorf("embedded MongoDB: create temporary folder: %w", err)
		}
		dir = tmp
		h.closers = append(h.closers, func(context.Context) error { return os.RemoveAll(tmp) })
	case dir == "":
		dir = DefaultDataDir()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded MongoDB: data folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("embedded MongoDB: cannot create data folder %s: %w (pick another with -data DIR)", abs, err)
	}
	h.DataDir = abs
	unlock, err := lockDataDir(abs)
	if err != nil {
		_ = h.Close(ctx)
		return nil, err
	}
	h.closers = append(h.closers, func(context.Context) error { return unlock() })

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if c.verbose {
		logger = c.logger.With("component", "ferretdb")
	}
	ferretNew.Lock()
	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(abs) + "/",
	})
	ferretNew.Unlock()
	if err != nil {
		_ = h.Close(ctx)
		return nil, fmt.Errorf("embedded MongoDB: start FerretDB in %s: %w", abs, err)
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fdb.Run(runCtx)
	}()
	h.URI = fdb.MongoDBURI()
	// Runs before the temporary folder is removed (closers run last first).
	h.closers = append(h.closers, func(ctx context.Context) error {
		stop()
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return errors.New("embedded MongoDB: FerretDB did not stop in time")
		case <-time.After(10 * time.Second):
			return errors.New("embedded MongoDB: FerretDB did not stop within 10 s")
		}
	})
	return h, nil
}
