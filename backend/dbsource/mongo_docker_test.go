package dbsource_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"synclab/backend/dbsource"
)

// standInImage is the tag of the image built from internal/wireimage.
const standInImage = "synclab/ferretdb-wire:test"

// TestMongoInDocker proves `-mongo docker` on a real Docker engine: it builds
// a static stand-in for the mongo image (FerretDB on SQLite; no registry is
// needed), opens an ephemeral source through dbsource.Open with host
// networking, as SYNCLAB_MONGO_IMAGE and SYNCLAB_MONGO_NETWORK=host ask the
// backend to, and does real work over the wire. The container must run in
// host network mode, no bridge network may appear, and nothing is sent
// anywhere but 127.0.0.1. Without an engine it skips, except under CI=true.
func TestMongoInDocker(t *testing.T) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	host := dbsource.DockerHostFromEnv()
	if err := dbsource.ProbeDocker(ctx, host, 2*time.Second); err != nil {
		why := "no Docker engine answers at " + host + " (" + err.Error() + ")"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s; CI must prove -mongo docker: start dockerd (scripts/test.sh does so as root)", why)
		}
		t.Skipf("%s; start Docker (scripts/test.sh starts dockerd as root) to prove -mongo docker", why)
	}
	d := dockerCLI{t: t, host: host}
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")

	// Bridge networks before: an engine started with --bridge=none (as on
	// the development machines) has none; one with its default "bridge"
	// network keeps it, but the test may add none.
	d.removeLibraryNetworks()
	before := d.bridgeNetworks()

	buildStart := time.Now()
	image := d.buildStandIn(ctx)
	built := time.Since(buildStart)

	t.Setenv(dbsource.EnvDockerImage, image)
	t.Setenv(dbsource.EnvDockerNetwork, "host")
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	openStart := time.Now()
	h, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Docker), dbsource.Ephemeral(), dbsource.WithLogger(logger))
	if err != nil {
		d.removeLibraryNetworks()
		t.Fatalf("open -mongo docker with %s: %v", image, err)
	}
	opened := time.Since(openStart)
	t.Cleanup(func() { _ = h.Close(context.Background()) })

	if h.Source != dbsource.Docker || h.Container == "" {
		t.Fatalf("source %s, container %q; want docker and a container ID", h.Source, h.Container)
	}
	u, err := url.Parse(h.URI)
	if err != nil || u.Hostname() != "127.0.0.1" {
		t.Fatalf("URI %q: want mongodb://127.0.0.1:PORT/ (%v)", h.URI, err)
	}
	mode := d.run("inspect", "-f", "{{.HostConfig.NetworkMode}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}},{{end}}", h.Container)
	if mode != "host host," {
		t.Errorf("container network mode and networks = %q, want host mode on the host network only", mode)
	}
	if added := d.newBridges(before); len(added) > 0 {
		t.Errorf("bridge networks appeared while opening the source: %v (removed)", added)
	}
	if t.Failed() {
		t.FailNow() // nothing is sent to a container that is not on the host network
	}

	workStart := time.Now()
	roundTrip(ctx, t, h)
	worked := time.Since(workStart)

	id := h.Container
	if err := h.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if left := d.run("ps", "-a", "-q", "--no-trunc", "--filter", "id="+id); left != "" {
		t.Errorf("container %s is still there after Close", left)
	}
	if added := d.newBridges(before); len(added) > 0 {
		t.Errorf("bridge networks appeared: %v (removed)", added)
	}
	t.Logf("TestMongoInDocker ran in %v: stand-in image %v (%s, %s), container started and answering %v, round trip %v",
		time.Since(start).Round(time.Millisecond), built.Round(time.Millisecond), image, d.imageSize(image),
		opened.Round(time.Millisecond), worked.Round(time.Millisecond))
}

// roundTrip inserts and reads a document and stores a GridFS file, over the
// wire with the driver the backend uses.
func roundTrip(ctx context.Context, t *testing.T, h *dbsource.Handle) {
	t.Helper()
	client, err := h.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	db := client.Database(h.Database)

	want := bson.M{"_id": "post-1", "title": "Morgennebel", "location": "Treptower Park"}
	if _, err := db.Collection("posts").InsertOne(ctx, want); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var got bson.M
	if err := db.Collection("posts").FindOne(ctx, bson.M{"_id": "post-1"}).Decode(&got); err != nil {
		t.Fatalf("find: %v", err)
	}
	if got["title"] != want["title"] || got["location"] != want["location"] {
		t.Errorf("read back %v, want %v", got, want)
	}

	// More than four 255 KiB chunks, and not a whole number of them.
	photo := make([]byte, 1<<20+12345)
	_, _ = rand.Read(photo)
	bucket := db.GridFSBucket()
	up, err := bucket.OpenUploadStream(ctx, "photo.jpg")
	if err != nil {
		t.Fatalf("GridFS upload: %v", err)
	}
	if _, err := io.Copy(up, bytes.NewReader(photo)); err != nil {
		t.Fatalf("GridFS upload: %v", err)
	}
	if err := up.Close(); err != nil {
		t.Fatalf("GridFS upload: %v", err)
	}
	down, err := bucket.OpenDownloadStream(ctx, up.FileID)
	if err != nil {
		t.Fatalf("GridFS download: %v", err)
	}
	defer down.Close()
	back, err := io.ReadAll(down)
	if err != nil {
		t.Fatalf("GridFS download: %v", err)
	}
	if !bytes.Equal(back, photo) {
		t.Errorf("GridFS gave back %d bytes that differ from the %d uploaded", len(back), len(photo))
	}
}

// dockerCLI runs the docker command against the engine the test probed.
type dockerCLI struct {
	t    *testing.T
	host string
}

func (d dockerCLI) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+d.host, "DOCKER_BUILDKIT=0")
	return cmd
}

// run returns the command's trimmed output and fails the test on an error.
func (d dockerCLI) run(args ...string) string {
	d.t.Helper()
	out, err := d.command(context.Background(), args...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (d dockerCLI) bridgeNetworks() []string {
	d.t.Helper()
	return strings.Fields(d.run("network", "ls", "--filter", "driver=bridge", "-q", "--no-trunc"))
}

// newBridges lists the bridge networks that are not in before, and removes
// them.
func (d dockerCLI) newBridges(before []string) []string {
	d.t.Helper()
	var added []string
	for _, n := range d.bridgeNetworks() {
		if !slices.Contains(before, n) {
			added = append(added, d.run("network", "inspect", "-f", "{{.Name}}", n))
			d.run("network", "rm", n)
		}
	}
	return added
}

// removeLibraryNetworks removes bridge networks testcontainers made (in an
// earlier run or test), which must not exist on these machines.
func (d dockerCLI) removeLibraryNetworks() {
	d.t.Helper()
	for _, n := range strings.Fields(d.run("network", "ls", "--filter", "driver=bridge", "--filter", "label=org.testcontainers=true", "-q")) {
		d.t.Logf("removing bridge network %s left by testcontainers", d.run("network", "inspect", "-f", "{{.Name}}", n))
		d.run("network", "rm", n)
	}
}

// buildStandIn builds the stand-in's static binary and an image FROM
// scratch around it, without pulling anything.
func (d dockerCLI) buildStandIn(ctx context.Context) string {
	d.t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		d.t.Fatalf("an engine answers but there is no docker command to build the image with: %v", err)
	}
	dir := d.t.TempDir()
	goCmd := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		goCmd = "go"
	}
	build := exec.CommandContext(ctx, goCmd, "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "wireimage"), "./internal/wireimage")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		d.t.Fatalf("build the stand-in: %v\n%s", err, out)
	}
	dockerfile := "FROM scratch\nCOPY wireimage /wireimage\nENTRYPOINT [\"/wireimage\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		d.t.Fatal(err)
	}
	if out, err := d.command(ctx, "build", "-q", "-t", standInImage, dir).CombinedOutput(); err != nil {
		d.t.Fatalf("docker build: %v\n%s", err, out)
	}
	return standInImage
}

func (d dockerCLI) imageSize(image string) string {
	out, err := d.command(context.Background(), "image", "inspect", "-f", "{{.Size}}", image).Output()
	if err != nil {
		return "size unknown"
	}
	return strings.TrimSpace(string(out)) + " bytes"
}

// testWriter sends log lines to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestDockerSettingsThatCannotWork: a wrong SYNCLAB_MONGO_NETWORK and an
// engine without a bridge network (dockerd --bridge=none) are reported
// before any container is made, saying what to do; auto falls back to the
// embedded database.
func TestDockerSettingsThatCannotWork(t *testing.T) {
	noBridge := fakeEngine(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			_, _ = w.Write([]byte("OK"))
		case strings.HasSuffix(r.URL.Path, "/networks/bridge"):
			http.Error(w, `{"message":"network bridge not found"}`, http.StatusNotFound)
		default:
			t.Errorf("the engine was asked for %s %s; nothing may be created", r.Method, r.URL.Path)
			http.Error(w, `{"message":"no"}`, http.StatusInternalServerError)
		}
	})
	tests := []struct {
		name, engine, network string
		mode                  dbsource.Mode
		wantErr               []string // empty: Open succeeds on the embedded database
	}{
		{"unknown network setting", noBridge, "bridged", dbsource.Docker, []string{"SYNCLAB_MONGO_NETWORK", "want host"}},
		{"engine without a bridge network", noBridge, "", dbsource.Docker, []string{"no bridge network", "SYNCLAB_MONGO_NETWORK=host", "-mongo embedded"}},
		{"auto with that engine", noBridge, "", dbsource.Auto, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DOCKER_HOST", tc.engine)
			t.Setenv(dbsource.EnvDockerNetwork, tc.network)
			ctx := context.Background()
			h, err := dbsource.Open(ctx, dbsource.WithMode(tc.mode), dbsource.Ephemeral())
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				defer h.Close(ctx)
				if h.Source != dbsource.Embedded || !strings.Contains(h.Reason, "no bridge network") {
					t.Errorf("source %s, reason %q; want embedded, saying the engine has no bridge network", h.Source, h.Reason)
				}
				return
			}
			if err == nil {
				_ = h.Close(ctx)
				t.Fatalf("Open succeeded, want an error saying %q", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// fakeEngine serves handler on a unix socket and returns its DOCKER_HOST.
func fakeEngine(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "unix://" + sock
}
