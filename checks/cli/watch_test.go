package cli

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/frontend/studentapp"
)

// TestWatch starts -watch on an app whose snackbar is missing, saves the
// fix and reads what follows: first the check that failed (with what it
// needs) runs alone and passes, then the whole chapter runs again with
// full marks. It fails when -watch does not rerun on a save, reruns
// everything first, or keeps the old verdict.
func TestWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	title := func(id string) string {
		ch, ok := cat.Find(id)
		if !ok {
			t.Fatalf("no check %s", id)
		}
		return ch.Title.EN
	}
	snackbar, fallback := title("snackbar"), title("fallback")
	bin := buildChecks(t)
	dir := studentDir(t, studentapp.CDN(), studentapp.NoSnackbar())
	feed := filepath.Join(dir, "public", "src", "js", "feed.js")
	broken, err := os.ReadFile(feed)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(broken), "console.log('Snackbar', {", "toast.MaterialSnackbar.showSnackbar({", 1)
	if fixed == string(broken) {
		t.Fatal("the fault's code is not in feed.js: the fix would change nothing")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-app-dir", dir, "-watch", "-lang", "en")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// until reads the lines up to one containing s.
	until := func(s string) []string {
		var got []string
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the watcher ended before printing %q; it printed:\n%s", s, strings.Join(got, "\n"))
				}
				got = append(got, l)
				if strings.Contains(l, s) {
					return got
				}
			case <-ctx.Done():
				t.Fatalf("no %q within the test's time; printed:\n%s", s, strings.Join(got, "\n"))
			}
		}
	}
	first := strings.Join(until("Watching"), "\n")
	if !strings.Contains(first, "✗") || !lineHas(first, snackbar, "0/") {
		t.Fatalf("the first run does not fail the snackbar check:\n%s", first)
	}
	if err := os.WriteFile(feed, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	focused := strings.Join(until("Points:"), "\n")
	if !strings.Contains(focused, snackbar) || strings.Contains(focused, fallback) {
		t.Errorf("after the save, the first run is not the failed check alone (snackbar in it: %v, fallback in it: %v):\n%s",
			strings.Contains(focused, snackbar), strings.Contains(focused, fallback), focused)
	}
	if strings.Contains(focused, "✗") {
		t.Errorf("the fix did not change the verdict:\n%s", focused)
	}
	whole := strings.Join(until("Watching"), "\n")
	if !strings.Contains(whole, fallback) || !strings.Contains(whole, "Points: 15 of 15") {
		t.Errorf("after the focused run passed, the whole chapter did not run with full marks:\n%s", whole)
	}
}

// lineHas reports whether one line of text holds all of parts.
func lineHas(text string, parts ...string) bool {
	for _, l := range strings.Split(text, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}
