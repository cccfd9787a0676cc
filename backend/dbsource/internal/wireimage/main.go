// Command wireimage is a stand-in for the mongo image, for proving Sync Lab's
// `-mongo docker` path on a machine that has a Docker engine but no image
// registry. It serves the MongoDB wire protocol with FerretDB on SQLite (the
// library the embedded source uses) and behaves like mongod where
// testcontainers-go looks: it takes --port, --bind_ip and --dbpath, ignores
// every other argument and the MONGO_INITDB_* variables, and logs the line
// "Waiting for connections" once it accepts connections.
//
// Built statically and put into an image FROM scratch:
//
//	CGO_ENABLED=0 go build -o DIR/wireimage ./backend/dbsource/internal/wireimage
//	printf 'FROM scratch\nCOPY wireimage /wireimage\nENTRYPOINT ["/wireimage"]\n' >DIR/Dockerfile
//	DOCKER_BUILDKIT=0 docker build -t synclab/ferretdb-wire:test DIR
//
// Unlike the real image it listens on 127.0.0.1 unless told otherwise, because
// it is meant to run with host networking.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// options are the mongod arguments the stand-in understands.
type options struct {
	bindIP  string
	port    int
	dbPath  string
	ignored []string
}

// parseArgs reads mongod-style arguments: --name value, --name=value or a
// lone flag. A leading "mongod" (the image's usual command) and anything it
// does not know are skipped, so the options testcontainers or a user pass to
// the real image (--replSet, --keyFile, …) do not stop it.
func parseArgs(args []string) (options, error) {
	o := options{bindIP: "127.0.0.1", port: 27017, dbPath: "/data/db"}
	if len(args) > 0 && args[0] == "mongod" {
		args = args[1:]
	}
	withValue := map[string]bool{"--port": true, "--bind_ip": true, "--dbpath": true}
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(args[i], "=")
		if withValue[name] && !hasValue {
			if i+1 >= len(args) {
				return o, fmt.Errorf("%s needs a value", name)
			}
			i++
			value = args[i]
		}
		switch name {
		case "--port":
			p, err := strconv.Atoi(value)
			if err != nil || p < 1 || p > 65535 {
				return o, fmt.Errorf("--port %q: want a port number between 1 and 65535", value)
			}
			o.port = p
		case "--bind_ip":
			// mongod takes a comma-separated list; FerretDB listens on one address.
			first, _, _ := strings.Cut(value, ",")
			if first == "localhost" {
				first = "127.0.0.1"
			}
			o.bindIP = first
		case "--bind_ip_all":
			o.bindIP = "0.0.0.0"
		case "--dbpath":
			o.dbPath = value
		default:
			o.ignored = append(o.ignored, args[i])
		}
	}
	return o, nil
}

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, log, os.Args[1:]); err != nil {
		log.Error("wireimage stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, log *slog.Logger, args []string) error {
	o, err := parseArgs(args)
	if err != nil {
		return fmt.Errorf("arguments: %w", err)
	}
	if len(o.ignored) > 0 {
		log.Info("ignoring arguments the stand-in does not implement", "args", o.ignored)
	}
	for _, k := range []string{"MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"} {
		if os.Getenv(k) != "" {
			log.Warn("ignoring "+k+": the stand-in has no authentication; connect without credentials", "var", k)
		}
	}
	dir, err := filepath.Abs(o.dbPath)
	if err != nil {
		return fmt.Errorf("--dbpath %s: %w", o.dbPath, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create --dbpath %s: %w (mount a writable folder there or pass another --dbpath)", dir, err)
	}

	addr := net.JoinHostPort(o.bindIP, strconv.Itoa(o.port))
	// FerretDB writes a line per connection at info level; warnings are enough.
	fdbLog := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// New already listens, so a busy port is reported here.
	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    fdbLog.With("component", "ferretdb"),
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
	})
	if err != nil {
		return fmt.Errorf("start FerretDB on %s with data in %s: %w (is the port in use? pass another --port)", addr, dir, err)
	}
	done := make(chan error, 1)
	go func() { done <- fdb.Run(ctx) }()
	if err := waitAccepting(ctx, addr); err != nil {
		return err
	}
	// The line testcontainers' MongoDB module waits for, as mongod words it.
	log.Info("Waiting for connections", "port", o.port, "uri", fdb.MongoDBURI(), "dbpath", dir)
	err = <-done
	log.Info("shut down", "reason", context.Cause(ctx))
	return err
}

// waitAccepting dials addr until a connection succeeds, so the log line is
// not written before a client can connect.
func waitAccepting(ctx context.Context, addr string) error {
	if h, p, err := net.SplitHostPort(addr); err == nil && (h == "0.0.0.0" || h == "::") {
		addr = net.JoinHostPort("127.0.0.1", p)
	}
	var d net.Dialer
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("FerretDB does not accept connections on %s: %w", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
