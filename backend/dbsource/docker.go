package dbsource

import (
	"context"
	"errors"
	"fmt"
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
	u, err := url.Parse(host)
	if err != nil {
		return fmt.Errorf("DOCKER_HOST %q: %w", host, err)
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
		return errors.New("Windows named pipes are not probed; set MONGODB_URI or use -mongo docker")
	default:
		return fmt.Errorf("DOCKER_HOST %q: unsupported scheme %q", host, u.Scheme)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/_ping", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s did not answer within %v", host, timeout)
		}
		return fmt.Errorf("%s: %w", host, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered /_ping with %s", host, resp.Status)
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
// an ephemeral one gets its own container, removed on Close.
func openDocker(ctx context.Context, c *config) (*Handle, error) {
	var opts []testcontainers.ContainerCustomizer
	dataDir := ""
	if !c.ephemeral {
		// The data lives in a host folder, so it survives the container
		// (testcontainers removes its containers when the program ends).
		dataDir = c.dataDir
		if dataDir == "" {
			dataDir = filepath.Join(filepath.Dir(DefaultDataDir()), "docker-mongo")
		}
		abs, err := filepath.Abs(dataDir)
		if err != nil {
			return nil, fmt.Errorf("Docker MongoDB: data folder %s: %w", dataDir, err)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("Docker MongoDB: cannot create data folder %s: %w (pick another with -data DIR)", abs, err)
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
		return nil, fmt.Errorf("Docker MongoDB: start %s: %w", c.image, err)
	}
	uri, err := ctr.ConnectionString(ctx)
	if err != nil {
		_ = testcontainers.TerminateContainer(ctr)
		return nil, fmt.Errorf("Docker MongoDB: connection string: %w", err)
	}
	h := &Handle{URI: uri, Database: c.database, DataDir: dataDir}
	if c.ephemeral {
		h.closers = append(h.closers, func(context.Context) error { return testcontainers.TerminateContainer(ctr) })
	}
	if !strings.Contains(uri, "://") {
		return nil, fmt.Errorf("Docker MongoDB: odd connection string %q", uri)
	}
	return h, nil
}
