package dbsource_test

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"synclab/backend/dbsource"
)

// TestAutoFallsBackWhenDockerCannotStartMongo: an engine that answers its
// ping but cannot start the image (no registry here, a missing image, a
// full disk) must not stop Auto — it falls back to the embedded database
// and says why — while an explicit -mongo docker reports the error.
func TestAutoFallsBackWhenDockerCannotStartMongo(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	// An engine that answers /_ping and refuses everything else.
	engine := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/_ping") {
			w.Header().Set("Api-Version", "1.41")
			_, _ = w.Write([]byte("OK"))
			return
		}
		http.Error(w, `{"message":"pull access denied: no registry here"}`, http.StatusInternalServerError)
	})}
	go func() { _ = engine.Serve(ln) }()
	t.Cleanup(func() { _ = engine.Close() })
	t.Setenv("DOCKER_HOST", "unix://"+sock)
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	ctx := context.Background()

	h, err := dbsource.Open(ctx, dbsource.Ephemeral())
	if err != nil {
		t.Fatalf("auto with a Docker engine that cannot start MongoDB: %v", err)
	}
	defer h.Close(ctx)
	if h.Source != dbsource.Embedded || !strings.Contains(h.Reason, "could not start mongo:7") {
		t.Errorf("source %s, reason %q; want embedded, saying Docker could not start mongo:7", h.Source, h.Reason)
	}
	ping(t, h)

	if _, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Docker), dbsource.Ephemeral()); err == nil || !strings.Contains(err.Error(), "Docker MongoDB: start mongo:7") {
		t.Errorf("-mongo docker with that engine: %v, want the start error", err)
	}
}
