package dbsource

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// persistentHostContainer names the container that keeps `-mongo docker`
// data across restarts when host networking is asked for. It differs from
// persistentContainer so that a container made with published ports is never
// taken for one in host mode.
const persistentHostContainer = "synclab-mongo-host"

// ryukEnv turns off testcontainers' reaper when set to "true".
const ryukEnv = "TESTCONTAINERS_RYUK_DISABLED"

// openDockerHostNetwork starts MongoDB in a container that shares the host's
// network namespace, told to listen on 127.0.0.1 at a free port.
//
// It uses testcontainers-go's Docker provider directly rather than the
// MongoDB module: testcontainers.Run (and so the module) makes its provider
// with "bridge" as the default network and, when the engine has no network
// of that name, creates a bridge network "reaper_default" and attaches every
// container to it, host mode or not. A provider whose default network is
// "host" finds that network in every engine and adds nothing. Nothing here
// asks testcontainers for the container's host or mapped port either: inside
// a container (a CI sandbox) it would answer with the default gateway's
// address; the server is reached on 127.0.0.1 only.
func openDockerHostNetwork(ctx context.Context, c *config) (*Handle, error) {
	fail := func(err error) (*Handle, error) {
		return nil, fmt.Errorf("Docker MongoDB (host network): start %s: %w", c.image, err)
	}
	if err := ryukOff(c.logger); err != nil {
		return fail(err)
	}
	provider, err := testcontainers.NewDockerProvider(
		testcontainers.WithDefaultBridgeNetwork(network.NetworkHost),
		testcontainers.WithLogger(printfLogger{c.logger}))
	if err != nil {
		return fail(fmt.Errorf("connect to the Docker engine: %w", err))
	}
	defer provider.Close()

	port, err := freeLoopbackPort()
	if err != nil {
		return fail(err)
	}
	var binds []string
	dataDir := ""
	if !c.ephemeral {
		dataDir, err = dockerDataDir(c)
		if err != nil {
			return nil, err
		}
		binds = append(binds, dataDir+":/data/db")
	}
	req := testcontainers.ContainerRequest{
		Image: c.image,
		// The mongo image's entrypoint runs mongod with arguments that start
		// with "-"; without --bind_ip it would listen on every interface.
		Cmd: []string{"--bind_ip", "127.0.0.1", "--port", strconv.Itoa(port)},
		HostConfigModifier: func(hc *container.HostConfig) {
			hc.NetworkMode = network.NetworkHost
			hc.Binds = append(hc.Binds, binds...)
		},
		WaitingFor: wait.ForLog("Waiting for connections").WithStartupTimeout(2 * time.Minute),
	}

	var ctr testcontainers.Container
	if c.ephemeral {
		ctr, err = provider.RunContainer(ctx, req)
	} else {
		req.Name = persistentHostContainer
		ctr, err = provider.ReuseOrCreateContainer(ctx, req)
		if err == nil && !ctr.IsRunning() {
			err = ctr.Start(ctx)
		}
	}
	if err != nil {
		_ = testcontainers.TerminateContainer(ctr)
		return fail(err)
	}
	stop := func() {
		if c.ephemeral {
			_ = testcontainers.TerminateContainer(ctr)
		}
	}

	// A reused container keeps the port it was made with.
	info, err := ctr.Inspect(ctx)
	if err != nil {
		stop()
		return fail(fmt.Errorf("inspect the container: %w", err))
	}
	if !info.HostConfig.NetworkMode.IsHost() {
		stop()
		return fail(fmt.Errorf("container %s runs in network mode %q, not host; remove it (docker rm -f %s) and start again",
			ctr.GetContainerID()[:12], info.HostConfig.NetworkMode, strings.TrimPrefix(info.Name, "/")))
	}
	if p, ok := portArg(info.Config.Cmd); ok {
		port = p
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := waitLoopback(ctx, ctr, addr, 30*time.Second); err != nil {
		stop()
		return fail(err)
	}

	h := &Handle{URI: "mongodb://" + addr + "/", Database: c.database, DataDir: dataDir, Container: ctr.GetContainerID()}
	if c.ephemeral {
		h.closers = append(h.closers, func(context.Context) error { return testcontainers.TerminateContainer(ctr) })
	}
	return h, nil
}

// dockerDataDir is the host folder mounted at /data/db for a persistent
// Docker source, created when missing.
func dockerDataDir(c *config) (string, error) {
	dataDir := c.dataDir
	if dataDir == "" {
		dataDir = filepath.Join(filepath.Dir(DefaultDataDir()), "docker-mongo")
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", fmt.Errorf("Docker MongoDB: data folder %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", fmt.Errorf("Docker MongoDB: cannot create data folder %s: %w (pick another with -data DIR)", abs, err)
	}
	return abs, nil
}

// ryukOff turns testcontainers' reaper off for this process unless the
// environment already decided, and fails when it is still on: the reaper
// joins (and so creates) a bridge network and needs an image of its own.
// testcontainers reads its configuration once per process, so this must
// happen before anything else in the process uses testcontainers.
func ryukOff(logger *slog.Logger) error {
	if _, set := os.LookupEnv(ryukEnv); !set {
		if err := os.Setenv(ryukEnv, "true"); err != nil {
			return fmt.Errorf("turn off testcontainers' Ryuk: %w", err)
		}
		logger.Debug("host networking: testcontainers' Ryuk reaper is off; Close removes the container", "env", ryukEnv+"=true")
	}
	if !testcontainers.ReadConfig().RyukDisabled {
		return fmt.Errorf("host networking needs testcontainers' Ryuk reaper off (it would create a bridge network): "+
			"set %s=true, or ryuk.disabled=true in ~/.testcontainers.properties", ryukEnv)
	}
	return nil
}

// freeLoopbackPort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// portArg reads the value of --port from a mongod command line.
func portArg(cmd []string) (int, bool) {
	for i, a := range cmd {
		v, ok := strings.CutPrefix(a, "--port=")
		if !ok && a == "--port" && i+1 < len(cmd) {
			v, ok = cmd[i+1], true
		}
		if ok {
			p, err := strconv.Atoi(v)
			return p, err == nil
		}
	}
	return 0, false
}

// waitLoopback waits until addr accepts a connection, and gives up early
// when the container stops.
func waitLoopback(ctx context.Context, ctr testcontainers.Container, addr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return conn.Close()
		}
		if st, serr := ctr.State(ctx); serr == nil && !st.Running {
			return fmt.Errorf("the container stopped (%s, exit code %d) before %s answered; see docker logs %s",
				st.Status, st.ExitCode, addr, ctr.GetContainerID()[:12])
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("nothing answers on %s within %v: %w (is the port taken, or does the image ignore --port?)",
				addr, timeout, errors.Join(err, context.Cause(ctx)))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// printfLogger routes testcontainers' log lines to slog at debug level.
type printfLogger struct{ l *slog.Logger }

func (p printfLogger) Printf(format string, v ...any) {
	p.l.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)), "component", "testcontainers")
}
