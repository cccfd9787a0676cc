package dbsource_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"synclab/backend/dbsource"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		mode    dbsource.Mode
		uri     string
		wantErr bool
	}{
		{"", dbsource.Auto, "", false},
		{"auto", dbsource.Auto, "", false},
		{"docker", dbsource.Docker, "", false},
		{"embedded", dbsource.Embedded, "", false},
		{"mongodb://u:p@host:27017/?tls=true", dbsource.URI, "mongodb://u:p@host:27017/?tls=true", false},
		{"mongodb+srv://cluster0.example.net/?authMechanism=MONGODB-X509&tlsCertificateKeyFile=/x.pem", dbsource.URI,
			"mongodb+srv://cluster0.example.net/?authMechanism=MONGODB-X509&tlsCertificateKeyFile=/x.pem", false},
		{"postgres://x", "", "", true},
		{"mongo", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			mode, uri, err := dbsource.ParseMode(tc.in)
			if (err != nil) != tc.wantErr || mode != tc.mode || uri != tc.uri {
				t.Fatalf("ParseMode(%q) = %q, %q, %v", tc.in, mode, uri, err)
			}
		})
	}
}

// silentListener accepts connections and never answers: the worst Docker
// endpoint there is.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(done)
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "tcp://" + ln.Addr().String()
}

func TestAutoFallsBackToEmbeddedQuickly(t *testing.T) {
	tests := []struct {
		name string
		host func(t *testing.T) string
	}{
		{"endpoint that never answers", silentListener},
		{"no socket at all", func(t *testing.T) string { return "unix://" + t.TempDir() + "/docker.sock" }},
		{"refused port", func(t *testing.T) string {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			_ = ln.Close()
			return "tcp://" + addr
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			host := tc.host(t)
			t.Setenv("DOCKER_HOST", host)
			ctx := context.Background()
			// The decision alone is bounded: Auto's probe gives up after its
			// one-second timeout whatever the endpoint does (the embedded
			// database's start is not part of the decision, and not timed).
			start := time.Now()
			probeErr := dbsource.ProbeDocker(ctx, host, time.Second)
			if elapsed := time.Since(start); probeErr == nil || elapsed > 2*time.Second {
				t.Fatalf("the probe answered %v after %v, want an error within its 1 s timeout", probeErr, elapsed)
			}
			h, err := dbsource.Open(ctx, dbsource.Ephemeral())
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close(ctx)
			if h.Source != dbsource.Embedded {
				t.Fatalf("source = %s, want embedded", h.Source)
			}
			if !strings.Contains(h.Reason, "no Docker engine") {
				t.Errorf("reason = %q, want it to say no Docker engine answered", h.Reason)
			}
			ping(t, h)
		})
	}
}

func TestDockerModeFailsFastWithAClearMessage(t *testing.T) {
	t.Setenv("DOCKER_HOST", silentListener(t))
	start := time.Now()
	_, err := dbsource.Open(context.Background(), dbsource.WithMode(dbsource.Docker), dbsource.Ephemeral())
	if err == nil {
		t.Fatal("docker mode without an engine succeeded")
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("docker mode took %v to fail", time.Since(start))
	}
	if !strings.Contains(err.Error(), "no Docker engine") || !strings.Contains(err.Error(), "-mongo embedded") {
		t.Errorf("error %q should say what happened and what to do", err)
	}
	var no *dbsource.NoDockerError
	if !errors.As(err, &no) || !strings.Contains(no.Text().DE, "keine Docker-Engine antwortet") {
		t.Errorf("error %q should say it in German too", err)
	}
}

func ping(t *testing.T, h *dbsource.Handle) {
	t.Helper()
	ctx := context.Background()
	c, err := h.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(ctx)
	if err := c.Ping(ctx, nil); err != nil {
		t.Fatalf("ping %s: %v", h.URI, err)
	}
}

func TestEmbeddedKeepsDataAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(v string) {
		h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.WithDataDir(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close(ctx)
		if h.DataDir != dir {
			t.Errorf("DataDir = %s, want %s", h.DataDir, dir)
		}
		c, _ := h.Connect(ctx)
		defer c.Disconnect(ctx)
		if _, err := c.Database(h.Database).Collection("t").InsertOne(ctx, bson.M{"v": v}); err != nil {
			t.Fatal(err)
		}
	}
	write("a")
	write("b")
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(ctx)
	c, _ := h.Connect(ctx)
	defer c.Disconnect(ctx)
	n, err := c.Database(h.Database).Collection("t").CountDocuments(ctx, bson.M{})
	if err != nil || n != 2 {
		t.Fatalf("documents after two restarts = %d, %v; want 2", n, err)
	}
}

func TestEmbeddedRefusesASecondUserOfTheSameFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	_, err = dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.WithDataDir(dir))
	var busy *dbsource.DataDirBusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "-data") {
		t.Fatalf("second open = %v, want DataDirBusyError naming -data", err)
	}
	if de := busy.Text().DE; !strings.Contains(de, "wird von") || !strings.Contains(de, "-data ORDNER") {
		t.Errorf("in German: %q", de)
	}
	if err := h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	h2, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.WithDataDir(dir))
	if err != nil {
		t.Fatalf("open after close = %v", err)
	}
	_ = h2.Close(ctx)
}

func TestEphemeralThrowsDataAway(t *testing.T) {
	ctx := context.Background()
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	dir := h.DataDir
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ephemeral folder %s still there after Close (%v)", dir, err)
	}
}

// TestEphemeralRemovesWhatAKilledRunLeft: a run killed before it could
// clean up left its temporary data folder; the next ephemeral database
// removes it, and leaves alone a folder still locked by a running database
// and one that is too young to be locked yet.
func TestEphemeralRemovesWhatAKilledRunLeft(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock on Windows")
	}
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := time.Now().Add(-time.Hour)
	folder := func(name string, lockFile bool, age time.Time) string {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if lockFile {
			if err := os.WriteFile(filepath.Join(dir, "synclab.lock"), []byte("999999\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(dir, age, age); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	stale := folder("synclab-mongo-1", true, old)
	young := folder("synclab-mongo-2", true, time.Now())
	running, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close(ctx)
	if err := os.Chtimes(running.DataDir, old, old); err != nil {
		t.Fatal(err)
	}
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close(ctx)
	for dir, want := range map[string]bool{stale: false, young: true, running.DataDir: true} {
		_, err := os.Stat(dir)
		if got := err == nil; got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(dir), got, want)
		}
	}
}

func TestURIModeUsesTheGivenServer(t *testing.T) {
	ctx := context.Background()
	server, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close(ctx)
	t.Setenv("DOCKER_HOST", silentListener(t))
	h, err := dbsource.Open(ctx, dbsource.WithURI(server.URI), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	if h.Source != dbsource.URI || h.URI != server.URI || !strings.HasPrefix(h.Database, "synclab_") {
		t.Fatalf("handle = %+v", h)
	}
	c, _ := h.Connect(ctx)
	defer c.Disconnect(ctx)
	if _, err := c.Database(h.Database).Collection("t").InsertOne(ctx, bson.M{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	names, err := c.ListDatabaseNames(ctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == h.Database {
			t.Fatalf("throw-away database %s still exists after Close", n)
		}
	}
	if _, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.URI)); err == nil || !strings.Contains(err.Error(), "MONGODB_URI") {
		t.Fatalf("URI mode without a URI = %v", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mongodb://user:secret@host:27017/db", "mongodb://user:***@host:27017/db"},
		{"mongodb+srv://u:p%40ss@cluster0.example.net/?tls=true", "mongodb+srv://u:***@cluster0.example.net/?tls=true"},
		{"mongodb://host:27017/", "mongodb://host:27017/"},
		{"mongodb://x509user@host/?authMechanism=MONGODB-X509", "mongodb://x509user@host/?authMechanism=MONGODB-X509"},
	}
	for _, tc := range tests {
		if got := dbsource.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestADeadServerIsSaidAtOnce: a URI whose server does not answer (a port
// nothing listens on, a name that does not resolve) ends Open within a few
// seconds with an UnreachableError that names the server without its
// password and says what to do, in both languages; a live server opens.
func TestADeadServerIsSaidAtOnce(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := l.Addr().String()
	l.Close()
	for _, tc := range []struct{ name, uri, shown string }{
		{"nothing listens", "mongodb://student:geheim@" + free + "/", "mongodb://student:***@" + free + "/"},
		{"no such host", "mongodb://db.invalid:27017/", "mongodb://db.invalid:27017/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			began := time.Now()
			h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.URI), dbsource.WithURI(tc.uri))
			took := time.Since(began)
			if err == nil {
				_ = h.Close(ctx)
				t.Fatal("Open succeeded on a dead server")
			}
			var dead *dbsource.UnreachableError
			if !errors.As(err, &dead) {
				t.Fatalf("Open = %v (%T), want an UnreachableError", err, err)
			}
			if took > 8*time.Second {
				t.Errorf("took %s to say it", took)
			}
			txt := dead.Text()
			for _, want := range []string{tc.shown, "-mongo embedded"} {
				if !strings.Contains(txt.EN, want) || !strings.Contains(txt.DE, want) {
					t.Errorf("text lacks %q:\n%s\n%s", want, txt.EN, txt.DE)
				}
			}
			if strings.Contains(txt.EN+txt.DE, "geheim") {
				t.Errorf("the password is shown: %s", txt.EN)
			}
			if !strings.Contains(txt.DE, "antwortet nicht") {
				t.Errorf("German text: %s", txt.DE)
			}
			t.Logf("%s: %s", took.Round(time.Millisecond), txt.EN)
		})
	}
	live, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close(ctx)
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.URI), dbsource.WithURI(live.URI))
	if err != nil {
		t.Fatalf("a live server: %v", err)
	}
	_ = h.Close(ctx)
}
