package command_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"synclab/command"
	"synclab/lang"
)

// helperEnv makes the test binary act as a command (see TestMain).
const helperEnv = "SYNCLAB_COMMAND_HELPER"

// TestMain turns the test binary into a small command when helperEnv is
// set: "wait" says ready and waits for its context to end (then exits 0
// as a server that stopped cleanly would); "fail" exits 1 at once.
func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "wait":
		command.Main(func(ctx context.Context) int {
			fmt.Println("ready")
			<-ctx.Done()
			return 0
		})
	case "fail":
		command.Main(func(context.Context) int { return 1 })
	}
	os.Exit(m.Run())
}

// TestASignalEndsACommandWith130 runs a real process and sends it each
// signal: it ends with 130 whatever its own code; without a signal its
// own code stands.
func TestASignalEndsACommandWith130(t *testing.T) {
	for _, tc := range []struct {
		name string
		mode string
		sig  os.Signal
		want int
	}{
		{"Ctrl-C", "wait", os.Interrupt, command.Interrupted},
		{"SIGTERM", "wait", syscall.SIGTERM, command.Interrupted},
		{"closed terminal", "wait", syscall.SIGHUP, command.Interrupted},
		{"no signal", "fail", nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), helperEnv+"="+tc.mode)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tc.sig != nil {
				line, err := bufio.NewReader(out).ReadString('\n')
				if err != nil || line != "ready\n" {
					t.Fatalf("the command did not say ready: %q %v", line, err)
				}
				if err := cmd.Process.Signal(tc.sig); err != nil {
					t.Fatal(err)
				}
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			code := 0
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Errorf("exit code %d, want %d", code, tc.want)
			}
		})
	}
}

// TestACancelledContextIsNotASignal: a caller that cancels the context
// itself (a test, an embedding program) gets the command's own code.
func TestACancelledContextIsNotASignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	code := command.Run(ctx, func(ctx context.Context) int {
		cancel()
		<-ctx.Done()
		return 0
	})
	if code != 0 {
		t.Errorf("exit code %d after the caller's own cancel, want 0", code)
	}
}

// TestABusyPortIsNamedInBothLanguages: a port another program holds gives
// a PortBusyError that says what could not be served, where, and which
// flag chooses another address, in German and English.
func TestABusyPortIsNamedInBothLanguages(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	addr := held.Addr().String()
	ln, err := command.Listen(addr, lang.Text{DE: "Der Kurs", EN: "the course"}, "-course")
	if err == nil {
		ln.Close()
		t.Fatalf("listening on the held %s worked", addr)
	}
	var busy *command.PortBusyError
	if !errors.As(err, &busy) || !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("error %v is no PortBusyError wrapping EADDRINUSE", err)
	}
	for l, want := range map[string][]string{
		"en": {"cannot serve the course on " + addr, "already in use", "-course HOST:PORT"},
		"de": {"Der Kurs kann nicht auf " + addr + " laufen", "schon belegt", "-course HOST:PORT"},
	} {
		got := command.Explain(err, l).Error()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", l, got, w)
			}
		}
	}
	if other := errors.New("disk full"); command.Explain(other, "de") != other {
		t.Error("Explain changed an error the user cannot act on")
	}
	ln, err = command.Listen("127.0.0.1:0", lang.Text{DE: "Die App", EN: "the app"}, "-app")
	if err != nil {
		t.Fatalf("a free port: %v", err)
	}
	ln.Close()
}
