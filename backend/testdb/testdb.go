// Package testdb gives tests a fresh, throw-away MongoDB database: on the
// server in MONGODB_URI when set, else on the embedded FerretDB, spoken to
// over the real wire protocol.
package testdb

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"synclab/backend/dbsource"
)

// DB is an open throw-away database.
type DB struct {
	*mongo.Database
	// Handle is the source behind it; closing it takes the server down
	// (for tests of a dead database).
	Handle *dbsource.Handle
}

// Option tunes New.
type Option func(*options.ClientOptions)

// WithMonitor installs a command monitor on the client, to count queries.
func WithMonitor(m *event.CommandMonitor) Option {
	return func(o *options.ClientOptions) { o.SetMonitor(m) }
}

// New opens a fresh database for the test and removes it when the test ends.
func New(tb testing.TB, opts ...Option) *DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// MONGODB_URI runs the tests against a real MongoDB; otherwise the
	// embedded FerretDB (a container per test would cost seconds each, and
	// TestMongoInDocker proves the Docker path on its own).
	srcOpts := append([]dbsource.Option{dbsource.Ephemeral()}, dbsource.URIOrEmbedded(dbsource.URIFromEnv())...)
	h, err := dbsource.Open(ctx, srcOpts...)
	if err != nil {
		tb.Fatalf("open a throw-away MongoDB: %v", err)
	}
	co := options.Client().ApplyURI(h.URI).SetServerSelectionTimeout(1 * time.Second).SetConnectTimeout(2 * time.Second)
	for _, o := range opts {
		o(co)
	}
	client, err := mongo.Connect(co)
	if err != nil {
		_ = h.Close(ctx)
		tb.Fatalf("connect to the throw-away MongoDB: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = client.Disconnect(ctx)
		_ = h.Close(ctx)
	})
	return &DB{Database: client.Database(h.Database), Handle: h}
}
