package server_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"synclab/backend/dbsource"
	"synclab/backend/server"
)

func start(t *testing.T) *server.Server {
	t.Helper()
	srv, err := server.Start(context.Background(), server.Config{
		APIAddr: "127.0.0.1:0",
		Mongo:   []dbsource.Option{dbsource.Ephemeral()},
		Lab:     true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	srv := start(t)
	srv.Lab.SetLatency(400 * time.Millisecond)
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(srv.APIURL + "/posts")
		if err != nil {
			got <- result{err: err}
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got <- result{status: resp.StatusCode}
	}()
	// Wait until the request is inside the server (held by the latency).
	for deadline := time.Now().Add(5 * time.Second); srv.Lab.InFlight() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the server")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	r := <-got
	if r.err != nil || r.status != http.StatusOK {
		t.Fatalf("in-flight request during shutdown: %d, %v; want 200", r.status, r.err)
	}
	if _, err := http.Get(srv.APIURL + "/posts"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestAppIsServedOnItsOwnAddress(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "app") })
	srv, err := server.Start(context.Background(), server.Config{
		APIAddr: "127.0.0.1:0", AppAddr: "127.0.0.1:0", App: app,
		Mongo: []dbsource.Option{dbsource.Ephemeral()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	resp, err := http.Get(srv.AppURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "app" || srv.AppURL == srv.APIURL {
		t.Fatalf("app answered %q at %s (API at %s)", b, srv.AppURL, srv.APIURL)
	}
	if srv.Lab != nil {
		t.Error("lab hooks are on without Config.Lab")
	}
}
