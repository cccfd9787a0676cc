package cli

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"synclab/frontend/studentapp"
)

// buildChecks builds the repository's command (go run ./checks) once for
// the benchmarks.
func buildChecks(b testing.TB) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "checks")
	cmd := exec.Command("go", "build", "-o", bin, "synclab/checks")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// BenchmarkChapter runs the whole chapter's checks as a student does (the
// whole process: start, browser, every check, exit) on checkpoint 07 and
// on a broken app whose submit never registers a sync task, and reports
// the medians.
func BenchmarkChapter(b *testing.B) {
	bin := buildChecks(b)
	broken := studentDir(b, studentapp.CDN(), studentapp.NoRegister())
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"checkpoint-07", []string{"-step", "07"}, exitPassed},
		{"no-register", []string{"-app-dir", broken}, exitFailed},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var runs []time.Duration
			for b.Loop() {
				start := time.Now()
				cmd := exec.Command(bin, tc.args...)
				out, err := cmd.CombinedOutput()
				runs = append(runs, time.Since(start))
				if code := cmd.ProcessState.ExitCode(); code != tc.code {
					b.Fatalf("exit %d (%v), want %d:\n%s", code, err, tc.code, out)
				}
			}
			b.ReportMetric(float64(median(runs).Milliseconds()), "ms-median")
		})
	}
}

// BenchmarkWatchRerun measures -watch: the time from saving a fix to the
// verdict on it (the checks that failed before run first).
func BenchmarkWatchRerun(b *testing.B) {
	bin := buildChecks(b)
	dir := studentDir(b, studentapp.CDN(), studentapp.NoSnackbar())
	feed := filepath.Join(dir, "public", "src", "js", "feed.js")
	broken, err := os.ReadFile(feed)
	if err != nil {
		b.Fatal(err)
	}
	fixed := strings.Replace(string(broken), "console.log('Snackbar', {", "toast.MaterialSnackbar.showSnackbar({", 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-app-dir", dir, "-watch", "-lang", "en")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	// waitFor reads until a line containing s.
	waitFor := func(s string) {
		for lines.Scan() {
			if strings.Contains(lines.Text(), s) {
				return
			}
		}
		b.Fatalf("the watcher ended before printing %q", s)
	}
	waitFor("Watching")
	var runs []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := os.WriteFile(feed, []byte(fixed), 0o644); err != nil {
			b.Fatal(err)
		}
		waitFor("Points:") // the verdict on the checks that failed
		runs = append(runs, time.Since(start))
		waitFor("Watching")
		b.StopTimer()
		if err := os.WriteFile(feed, broken, 0o644); err != nil {
			b.Fatal(err)
		}
		waitFor("Watching")
		b.StartTimer()
	}
	b.ReportMetric(float64(median(runs).Milliseconds()), "ms-median")
}
