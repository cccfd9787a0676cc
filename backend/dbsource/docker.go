package dbsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	tcmongo "github.com/testcontainers/testcontainers-go/modules/mongodb"
)

// persistentContainer names the container that keeps `-mongo docker` data
// across restarts of the backend.
const persistentContainer = "synclab-mongo"

// DockerHostFromEnv returns the Docker endpoint that the Docker CLI would use:
// DOCKER_HOST, else the first socket that exists among the usual paths, else
// the default unix socket.
func DockerHostFromEnv() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	candidates := []string{"/var/run/docker.sock"}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		candidates = append(candidates, filepath.Join(d, "docker.sock"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates,
			filepath.Join(home, ".docker", "run", "docker.sock"),
			filepath.Join(home, ".docker", "desktop", "docker.sock"))
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return "unix://" + p
		}
	}
	return "unix:///var/run/docker.sock"
}

// ProbeDocker asks the Docker engine at host for /_ping and fails unless it
// answers OK within timeout. It never waits longer than timeout, even when the
// endpoint accepts connections and never answers.
func ProbeDocker(ctx context.Context, host string, timeout time.Duration) error {
	status, err := dockerGet(ctx, host, "/_ping", timeout)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s answered /_ping with %d %s", host, status, http.StatusText(status))
	}
	return nil
}

// dockerGet sends GET path to the Docker engine at host and returns the
// answer's status, within timeout.
func dockerGet(ctx context.Context, host, path string, timeout time.Duration) (int, error) {
	u, err := url.Parse(host)
	if err != nil {
		return 0, fmt.Errorf("DOCKER_HOST %q: %w", host, err)
	}
	var (
		dial    func(ctx context.Context) (net.Conn, error)
		baseURL = "http://docker"
	)
	d := net.Dialer{}
	switch u.Scheme {
	case "unix":
		path := u.Path
		dial = func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "unix", path) }
	case "tcp", "http":
		addr := u.Host
		dial = func(ctx context.Context) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	case "npipe":
		return 0, errors.New("Windows named pipes are not probed; set MONGODB_URI or use -mongo docker")
	default:
		return 0, fmt.Errorf("DOCKER_HOST %q: unsupported scheme %q", host, u.Scheme)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, fmt.Errorf("%s did not answer within %v", host, timeout)
		}
		return 0, fmt.Errorf("%s: %w", host, unwrapURLError(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// checkBridgeNetwork makes sure the engine at host has its default bridge
// network before a container is started with published ports. Without it
// (dockerd --bridge=none) testcontainers-go would create a bridge network of
// its own (reaper_default) and attach the container to it.
func checkBridgeNetwork(ctx context.Context, host string, timeout time.Duration) error {
	status, err := dockerGet(ctx, host, "/networks/bridge", timeout)
	switch {
	case err != nil:
		return fmt.Errorf("ask the Docker engine for its bridge network: %w", err)
	case status == http.StatusNotFound:
		return fmt.Errorf("the Docker engine at %s has no bridge network (started with --bridge=none?); "+
			"set %s=host to run MongoDB with host networking, or use -mongo embedded", host, EnvDockerNetwork)
	case status != http.StatusOK:
		return fmt.Errorf("the Docker engine at %s answered %d %s when asked for its bridge network; "+
			"check that it works (docker network ls), or use -mongo embedded", host, status, http.StatusText(status))
	}
	return nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// openDocker starts MongoDB in a container with testcontainers-go. A
// persistent source reuses one named container so data survives restarts;
// an ephemeral one gets its own container, removed on Close. Host networking
// takes its own path (openDockerHostNetwork); otherwise the engine must have
// its bridge network, on which Docker publishes the container's port.
func openDocker(ctx context.Context, c *config) (*Handle, error) {
	if c.hostNetwork {
		return openDockerHostNetwork(ctx, c)
	}
	if err := checkBridgeNetwork(ctx, c.engine(), 3*time.Second); err != nil {
		return nil, fmt.Errorf("Docker MongoDB: start %s: %w", c.image, err)
	}
	var opts []testcontainers.ContainerCustomizer
	dataDir := ""
	if !c.ephemeral {
		// The data lives in a host folder, so it survives the container
		// (testcontainers removes its containers when the program ends).
		abs, err := dockerDataDir(c)
		if err != nil {
			return nil, err
		}
		dataDir = abs
		opts = append(opts,
			testcontainers.WithReuseByName(persistentContainer),
			testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
				hc.Binds = append(hc.Binds, abs+":/data/db")
			}))
	}
	ctr, err := tcmongo.Run(ctx, c.image, opts...)
	if err != nil {
		_ = testcontainers.TerminateContainer(ctr) // it may have been created
		return nil, fmt.Errorf("Docker MongoDB: start %s: %w", c.image, err)
	}
	uri, err := ctr.ConnectionString(ctx)
	if err != nil {
		_ = testcontainers.TerminateContainer(ctr)
		return nil, fmt.Errorf("Docker MongoDB: connection string: %w", err)
	}
	h := &Handle{URI: uri, Database: c.database, DataDir: dataDir, Container: ctr.GetContainerID()}
	if c.ephemeral {
		h.closers = append(h.closers, func(context.Context) error { return testcontainers.TerminateContainer(ctr) })
	}
	if !strings.Contains(uri, "://") {
		return nil, fmt.Errorf("Docker MongoDB: odd connection string %q", uri)
	}
	return h, nil
}
