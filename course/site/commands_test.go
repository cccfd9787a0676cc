package site

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"synclab/course/content"
	"synclab/course/markdown"
	"synclab/frontend"
	"synclab/frontend/studentapp"
)

// shownCommand is a command line for synclab-checks the course or a deck
// shows, with every place it is shown.
type shownCommand struct {
	text  string
	where []string
}

// shownCommands collects the synclab-checks command lines of both
// chapters and both decks (code lines and inline code), each once.
func shownCommands(t *testing.T) []*shownCommand {
	t.Helper()
	byText := map[string]*shownCommand{}
	var out []*shownCommand
	for _, src := range []struct {
		prefix string
		fsys   fs.FS
	}{{"course/content/", content.FS()}, {"course/content/decks/", content.Decks()}} {
		err := fs.WalkDir(src.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			b, err := fs.ReadFile(src.fsys, p)
			for _, c := range markdown.Commands(b, "synclab-checks") {
				sc := byText[c.Text]
				if sc == nil {
					sc = &shownCommand{text: c.Text}
					byText[c.Text] = sc
					out = append(out, sc)
				}
				sc.where = append(sc.where, fmt.Sprintf("%s%s:%d", src.prefix, p, c.Line))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// robustChecks returns the ids of the checks of the robust step.
func robustChecks(t *testing.T) map[string]bool {
	t.Helper()
	data, err := frontend.ChecksJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Checks []struct{ ID, Group string }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range doc.Checks {
		if c.Group == "robust" {
			ids[c.ID] = true
		}
	}
	return ids
}

// solutionFor returns the checkpoint whose app is the solution for args:
// 08 when they ask for the robust step's checks, else the chapter's 07.
func solutionFor(args []string, robust map[string]bool) string {
	for i, a := range args {
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		switch {
		case a == "-robust", a == "-step" && next == "08", a == "-step=08":
			return "08"
		case a == "-only" || strings.HasPrefix(a, "-only="):
			ids := strings.TrimPrefix(a, "-only=")
			if a == "-only" {
				ids = next
			}
			for _, id := range strings.Split(ids, ",") {
				if robust[id] {
					return "08"
				}
			}
		}
	}
	return "07"
}

var summaryLine = regexp.MustCompile(`^(Punkte|Points): `)

// TestEveryChecksCommandOfTheCourseWorks runs every synclab-checks command
// line the chapters and the decks show, as a student would: the installed
// command (built here with the tag synclab_embed, and run without
// SYNCLAB_NODE_MODULES) in a student's folder outside the repository, made
// from the checkpoint that solves what the command checks (07 for the
// chapter, 08 for the robust step). Each must pass there: exit code 2
// (could not run, a usage error) or 1 (a failed check on the solution)
// fails the test. A -watch line runs until its first summary, is then
// interrupted like Ctrl-C and must end cleanly.
func TestEveryChecksCommandOfTheCourseWorks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the checks in Chromium")
	}
	began := time.Now()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "checks", "synclab-checks")); errors.Is(err, fs.ErrNotExist) {
		t.Skip("checks/synclab-checks does not exist yet")
	}
	commands := shownCommands(t)
	if len(commands) < 5 {
		t.Fatalf("only %d synclab-checks command lines found in the course and the decks", len(commands))
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin", "synclab-checks")
	build := exec.Command("go", "build", "-tags", "synclab_embed", "-o", bin, "./checks/synclab-checks")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags synclab_embed ./checks/synclab-checks: %v\n%s", err, out)
	}
	t.Logf("built synclab-checks in %v", time.Since(began).Round(time.Millisecond))

	apps := map[string]string{}
	for _, id := range []string{"07", "08"} {
		dir := filepath.Join(tmp, "student-"+id)
		if err := studentapp.Write(dir, id); err != nil {
			t.Fatal(err)
		}
		apps[id] = dir
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SYNCLAB_NODE_MODULES=") {
			env = append(env, kv)
		}
	}

	// One run per core at a time; the longest (no -only: the whole
	// chapter) start first.
	robust := robustChecks(t)
	slices.SortStableFunc(commands, func(a, b *shownCommand) int {
		return boolInt(strings.Contains(a.text, "-only")) - boolInt(strings.Contains(b.text, "-only"))
	})
	type result struct {
		step string
		took time.Duration
		out  string
		err  error
	}
	results := make([]result, len(commands))
	sem := make(chan struct{}, max(2, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i, c := range commands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			args := strings.Fields(c.text)[1:]
			r := result{step: solutionFor(args, robust)}
			cmd := exec.Command(bin, args...)
			cmd.Dir = apps[r.step]
			cmd.Env = env
			start := time.Now()
			if slices.Contains(args, "-watch") {
				r.out, r.err = runWatch(cmd)
			} else {
				r.out, r.err = runWithin(cmd, 90*time.Second)
			}
			r.took = time.Since(start)
			results[i] = r
		}()
	}
	wg.Wait()
	for i, c := range commands {
		t.Run(c.text, func(t *testing.T) {
			r := results[i]
			if r.err != nil {
				t.Errorf("%s (shown at %s) in a folder of checkpoint %s: %v\n%s", c.text, strings.Join(c.where, ", "), r.step, r.err, r.out)
				return
			}
			t.Logf("passed on checkpoint %s in %v", r.step, r.took.Round(time.Millisecond))
		})
	}
	t.Logf("%d command lines in %v", len(commands), time.Since(began).Round(time.Millisecond))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exitError explains a command's exit code.
func exitError(err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return err
	}
	switch ee.ExitCode() {
	case 1:
		return fmt.Errorf("exit code 1: a check failed on the solution")
	case 2:
		return fmt.Errorf("exit code 2: the checks could not run (or the flags are wrong)")
	}
	return err
}

// runWithin runs cmd and returns its output; a run past limit is stopped.
func runWithin(cmd *exec.Cmd, limit time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return buf.String(), exitError(err)
		}
		return buf.String(), nil
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return buf.String(), fmt.Errorf("still running after %v", limit)
	}
}

// runWatch runs a -watch command until its first summary line, then
// interrupts it as Ctrl-C does: it must end within 15 s with exit code 0
// (its last verdict, the solution passes) or 130 (interrupted).
func runWatch(cmd *exec.Cmd) (string, error) {
	pr, pw := io.Pipe()
	var buf strings.Builder
	cmd.Stdout = io.MultiWriter(&buf, pw)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		done <- err
	}()
	summary := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); summaryLine.MatchString(line) {
				select {
				case summary <- line:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	output := func() string { return buf.String() + errBuf.String() }
	select {
	case line := <-summary:
		if !strings.Contains(line, "Punkte") && !strings.Contains(line, "Points") {
			return output(), fmt.Errorf("unexpected summary %q", line)
		}
	case err := <-done:
		return output(), fmt.Errorf("ended before its first summary: %v", exitError(err))
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return output(), errors.New("no summary line within 90 s")
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-done:
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee) && ee.ExitCode() == 130:
		default:
			return output(), fmt.Errorf("after Ctrl-C: %v", exitError(err))
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return output(), errors.New("still running 15 s after Ctrl-C")
	}
	if out := output(); strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
		return out, errors.New("panicked")
	}
	return output(), nil
}

func TestSolutionFor(t *testing.T) {
	robust := map[string]bool{"dead-letter": true}
	for _, tt := range []struct {
		args string
		want string
	}{
		{"", "07"},
		{"-step 04", "07"},
		{"-step 08", "08"},
		{"-robust -lang en", "08"},
		{"-only replay -v", "07"},
		{"-only replay,dead-letter", "08"},
		{"-only=dead-letter", "08"},
		{"-watch", "07"},
	} {
		if got := solutionFor(strings.Fields(tt.args), robust); got != tt.want {
			t.Errorf("solutionFor(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
}
