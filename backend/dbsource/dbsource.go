// Package dbsource decides where Sync Lab's MongoDB comes from (a URI, a
// Docker container or an embedded FerretDB) and hands out one handle for it.
package dbsource

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"synclab/lang"
)

// Mode names a source of MongoDB as the -mongo flag spells it.
type Mode string

// The sources Open can use. A URI given with WithURI is also accepted as the
// mode itself (see ParseMode).
const (
	Auto     Mode = "auto"
	URI      Mode = "uri"
	Docker   Mode = "docker"
	Embedded Mode = "embedded"
)

// DefaultDatabase is the database name used unless WithDatabase says otherwise.
const DefaultDatabase = "synclab"

// DefaultDockerImage is the MongoDB image started when Docker is used.
const DefaultDockerImage = "mongo:7"

// Environment variables that set Docker defaults for every program using
// Open (the backend, the checks, the simulator); WithDockerImage and
// WithDockerHostNetwork override them.
const (
	// EnvDockerImage names the image to start instead of DefaultDockerImage.
	EnvDockerImage = "SYNCLAB_MONGO_IMAGE"
	// EnvDockerNetwork set to "host" runs the container with host networking
	// (see WithDockerHostNetwork).
	EnvDockerNetwork = "SYNCLAB_MONGO_NETWORK"
)

// ParseMode reads the value of a -mongo flag: "auto", "docker", "embedded",
// or a mongodb:// or mongodb+srv:// URI (returned as the second value).
func ParseMode(v string) (Mode, string, error) {
	switch s := strings.TrimSpace(v); {
	case s == "" || s == string(Auto):
		return Auto, "", nil
	case s == string(Docker), s == string(Embedded):
		return Mode(s), "", nil
	case strings.HasPrefix(s, "mongodb://"), strings.HasPrefix(s, "mongodb+srv://"):
		return URI, s, nil
	default:
		return "", "", lang.Err(lang.Say("-mongo %q: expected auto, docker, embedded or a mongodb:// / mongodb+srv:// URI", "-mongo %q: erwartet wird auto, docker, embedded oder eine URI mongodb:// / mongodb+srv://", v))
	}
}

type config struct {
	mode        Mode
	uri         string
	dataDir     string
	database    string
	ephemeral   bool
	image       string
	hostNetwork bool
	logger      *slog.Logger
	verbose     bool
	dockerProbe time.Duration
	dockerHost  string
}

// engine is the Docker endpoint to talk to.
func (c *config) engine() string {
	if c.dockerHost != "" {
		return c.dockerHost
	}
	return DockerHostFromEnv()
}

// Option configures Open.
type Option func(*config)

// WithMode picks the source; Auto (the default) takes a URI when one is
// given, else Docker when an engine answers, else embedded FerretDB.
func WithMode(m Mode) Option { return func(c *config) { c.mode = m } }

// WithURI sets the MongoDB URI (mongodb:// or mongodb+srv://, TLS options
// included) used by URI mode and preferred by Auto.
func WithURI(uri string) Option { return func(c *config) { c.uri = uri } }

// WithDataDir sets the folder holding the embedded database's files.
func WithDataDir(dir string) Option { return func(c *config) { c.dataDir = dir } }

// WithDatabase sets the database name.
func WithDatabase(name string) Option { return func(c *config) { c.database = name } }

// WithDockerImage sets the MongoDB image for Docker mode (default: the
// SYNCLAB_MONGO_IMAGE environment variable, else mongo:7).
func WithDockerImage(image string) Option { return func(c *config) { c.image = image } }

// WithDockerHostNetwork runs the Docker container in the host's network
// namespace instead of publishing its port from Docker's bridge network
// (default: on when SYNCLAB_MONGO_NETWORK=host). The server is told to listen
// on 127.0.0.1 at a free port and is reached only there, and no Docker network
// is created or joined. For engines without a usable bridge network (dockerd
// --bridge=none, CI sandboxes). testcontainers' Ryuk reaper is turned off for
// it (it would need a bridge network and its own image): Close removes an
// ephemeral container, and one left by a killed program can be removed with
// `docker rm -f`.
func WithDockerHostNetwork(on bool) Option { return func(c *config) { c.hostNetwork = on } }

// WithLogger sets the logger that reports which source was chosen and why.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithVerbose lets the embedded FerretDB log through the logger at debug level.
func WithVerbose(v bool) Option { return func(c *config) { c.verbose = v } }

// WithDockerProbeTimeout bounds how long Auto waits for a Docker engine to answer.
func WithDockerProbeTimeout(d time.Duration) Option { return func(c *config) { c.dockerProbe = d } }

// WithDockerHost overrides the Docker endpoint to probe (default: DOCKER_HOST
// or the usual socket paths).
func WithDockerHost(h string) Option { return func(c *config) { c.dockerHost = h } }

// URIEnv names the environment variable that gives a MongoDB's URI to
// every Sync Lab command and test.
const URIEnv = "MONGODB_URI"

// URIFromEnv is the URI in URIEnv ("" when unset).
func URIFromEnv() string { return os.Getenv(URIEnv) }

// URIOrEmbedded picks the server at uri when one is given (e.g. from
// URIFromEnv), else the embedded FerretDB — never Docker: for callers that
// open a database per run (sessions, tests), where a container each would
// cost seconds.
func URIOrEmbedded(uri string) []Option {
	if uri != "" {
		return []Option{WithMode(URI), WithURI(uri)}
	}
	return []Option{WithMode(Embedded)}
}

// Ephemeral asks for a fresh, throw-away database: a temporary folder for
// embedded FerretDB, a new container for Docker, a uniquely named database
// for a URI. Close removes it.
func Ephemeral() Option { return func(c *config) { c.ephemeral = true } }

// DataDirBusyError says another process uses the embedded database's folder.
type DataDirBusyError struct {
	Dir, Owner string
}

func (e *DataDirBusyError) Error() string { return e.Text().EN }

// Text says it in both languages.
func (e *DataDirBusyError) Text() lang.Text {
	return lang.Say("the embedded database in %s is in use by %s (a running backend?). Stop it first (Ctrl-C), or pass -data DIR to use another folder",
		"die eingebettete Datenbank in %s wird von %s benutzt (ein laufendes Backend?). Beende es zuerst (Strg-C) oder gib mit -data ORDNER einen anderen Ordner an",
		e.Dir, e.Owner)
}

// UnreachableError says that the MongoDB server a URI names did not
// answer.
type UnreachableError struct {
	// URI is the server's address without its password (see Redact).
	URI string
	Err error
}

func (e *UnreachableError) Error() string { return e.Text().EN }
func (e *UnreachableError) Unwrap() error { return e.Err }

// Text says it in both languages, with what to do.
func (e *UnreachableError) Text() lang.Text {
	return lang.Say("the MongoDB server at %s does not answer (%v). Start it or correct the URI (-mongo, MONGODB_URI), or use the embedded database, which needs no set-up: -mongo embedded",
		"der MongoDB-Server unter %s antwortet nicht (%v). Starte ihn oder korrigiere die URI (-mongo, MONGODB_URI), oder nimm die eingebettete Datenbank, die nichts zum Einrichten braucht: -mongo embedded",
		e.URI, e.Err)
}

// NoDockerError says that -mongo docker found no Docker engine.
type NoDockerError struct{ Err error }

func (e *NoDockerError) Error() string { return e.Text().EN }
func (e *NoDockerError) Unwrap() error { return e.Err }

// Text says it in both languages, with what to do.
func (e *NoDockerError) Text() lang.Text {
	return lang.Say("Docker MongoDB: no Docker engine answers (%v); start Docker, or use -mongo embedded or a MongoDB URI",
		"Docker-MongoDB: keine Docker-Engine antwortet (%v); starte Docker, oder nimm -mongo embedded oder eine MongoDB-URI", e.Err)
}

// reachTimeout bounds how long Open waits for a server given by URI.
const reachTimeout = 5 * time.Second

// Handle is an open MongoDB source.
type Handle struct {
	// URI connects to the server with the official driver.
	URI string
	// Database is the database to use.
	Database string
	// Source says which source was chosen.
	Source Mode
	// Reason says why it was chosen, in one line.
	Reason string
	// DataDir is the folder holding the data (empty for a URI and for an
	// ephemeral Docker container).
	DataDir string
	// Container is the Docker container's ID (Docker source only), for
	// `docker logs` and the like.
	Container string

	closers []func(context.Context) error
}

// Close stops what Open started and, for an ephemeral handle, throws the
// data away.
func (h *Handle) Close(ctx context.Context) error {
	var errs []error
	for i := len(h.closers) - 1; i >= 0; i-- {
		if err := h.closers[i](ctx); err != nil {
			errs = append(errs, err)
		}
	}
	h.closers = nil
	return errors.Join(errs...)
}

// Connect opens a driver client on the handle's URI with sensible timeouts.
func (h *Handle) Connect(ctx context.Context) (*mongo.Client, error) {
	return Connect(ctx, h.URI)
}

// Connect opens a driver client on uri with short server-selection timeouts,
// so that a dead database is reported in seconds rather than minutes.
func Connect(ctx context.Context, uri string) (*mongo.Client, error) {
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(3 * time.Second).
		SetConnectTimeout(3 * time.Second)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	return client, nil
}

// Open returns a MongoDB source chosen by the options.
func Open(ctx context.Context, opts ...Option) (*Handle, error) {
	c := config{
		mode:        Auto,
		database:    DefaultDatabase,
		image:       DefaultDockerImage,
		dockerProbe: time.Second,
	}
	if img := strings.TrimSpace(os.Getenv(EnvDockerImage)); img != "" {
		c.image = img
	}
	switch v := strings.TrimSpace(os.Getenv(EnvDockerNetwork)); v {
	case "", "bridge", "default":
	case "host":
		c.hostNetwork = true
	default:
		return nil, fmt.Errorf("%s=%q: want host (or nothing for Docker's usual port publishing)", EnvDockerNetwork, v)
	}
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.ephemeral && c.database == DefaultDatabase {
		c.database = DefaultDatabase + "_" + randomSuffix()
	}

	mode, reason := c.mode, ""
	switch mode {
	case Auto:
		switch {
		case c.uri != "":
			mode, reason = URI, "a MongoDB URI was given"
		default:
			host := c.engine()
			if err := ProbeDocker(ctx, host, c.dockerProbe); err != nil {
				mode = Embedded
				reason = fmt.Sprintf("no Docker engine answered (%v); using the embedded FerretDB", err)
			} else {
				mode, reason = Docker, "a Docker engine answered at "+host
			}
		}
	case URI:
		if c.uri == "" {
			return nil, errors.New("MongoDB source \"uri\" needs a URI: pass -mongo mongodb://… or set MONGODB_URI")
		}
		reason = "a MongoDB URI was given"
	case Docker:
		reason = "Docker was asked for"
		// Fail fast with a clear message instead of letting the library
		// hang on an endpoint that never answers. (Auto probed already.)
		host := c.engine()
		if err := ProbeDocker(ctx, host, 3*time.Second); err != nil {
			return nil, &NoDockerError{Err: err}
		}
	case Embedded:
		reason = "the embedded FerretDB was asked for"
	default:
		return nil, fmt.Errorf("unknown MongoDB source %q", mode)
	}

	var (
		h   *Handle
		err error
	)
	switch mode {
	case URI:
		h, err = openURI(ctx, &c)
	case Docker:
		h, err = openDocker(ctx, &c)
		if err != nil && c.mode == Auto {
			// The engine answered but could not start MongoDB (no image and
			// no registry, a full disk, …): Auto still works, on the
			// embedded database, and says why.
			c.logger.Warn("Docker could not start MongoDB; using the embedded FerretDB", "image", c.image, "error", err)
			mode = Embedded
			reason = fmt.Sprintf("a Docker engine answered but could not start %s (%v); using the embedded FerretDB (pass -mongo docker to see the error, or pull the image)", c.image, err)
			h, err = openEmbedded(ctx, &c)
		}
	case Embedded:
		h, err = openEmbedded(ctx, &c)
	}
	if err != nil {
		return nil, err
	}
	h.Source, h.Reason = mode, reason
	c.logger.Info("MongoDB source chosen", "source", string(mode), "why", reason, "database", h.Database, "uri", Redact(h.URI))
	return h, nil
}

func openURI(ctx context.Context, c *config) (*Handle, error) {
	if err := reach(ctx, c.uri); err != nil {
		return nil, err
	}
	h := &Handle{URI: c.uri, Database: c.database}
	if c.ephemeral {
		db := c.database
		h.closers = append(h.closers, func(ctx context.Context) error {
			return dropDatabase(ctx, c.uri, db)
		})
	}
	return h, nil
}

// reach asks the server at uri whether it answers, within reachTimeout: a
// dead server is said at once, not as every request's failure later.
func reach(ctx context.Context, uri string) error {
	ctx, cancel := context.WithTimeout(ctx, reachTimeout)
	defer cancel()
	client, err := Connect(ctx, uri)
	if err != nil {
		return &UnreachableError{URI: Redact(uri), Err: err}
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	if err := client.Ping(ctx, nil); err != nil {
		if parent := context.Cause(ctx); parent != nil && !errors.Is(parent, context.DeadlineExceeded) {
			return fmt.Errorf("reach the MongoDB server at %s: %w", Redact(uri), err)
		}
		return &UnreachableError{URI: Redact(uri), Err: whyUnanswered(err)}
	}
	return nil
}

// whyUnanswered is the server's own last error behind a failed server
// selection (connection refused, no such host, …), which says more than
// the selection's timeout; else err.
func whyUnanswered(err error) error {
	var sel topology.ServerSelectionError
	if errors.As(err, &sel) {
		for _, srv := range sel.Desc.Servers {
			if srv.LastError != nil {
				return srv.LastError
			}
		}
	}
	return err
}

func dropDatabase(ctx context.Context, uri, db string) error {
	client, err := Connect(ctx, uri)
	if err != nil {
		return err
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	if err := client.Database(db).Drop(ctx); err != nil {
		return fmt.Errorf("drop throw-away database %s: %w", db, err)
	}
	return nil
}

// DefaultDataDir is the per-user folder for the embedded database.
func DefaultDataDir() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "synclab", "mongo")
	}
	return filepath.Join(os.TempDir(), "synclab", "mongo")
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Redact hides the password of a URI, for logs and messages.
func Redact(uri string) string {
	at := strings.LastIndex(uri, "@")
	scheme := strings.Index(uri, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return uri
	}
	cred := uri[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return uri[:scheme+3] + cred[:i] + ":***" + uri[at:]
	}
	return uri
}
