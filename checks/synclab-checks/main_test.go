package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/frontend"
	"synclab/frontend/studentapp"
)

// embedTag is the build tag that puts the front-end libraries into the
// command.
const embedTag = "synclab_embed"

// build builds the command as a student installs it (go install -tags …
// ./checks/synclab-checks) into a temporary folder and returns its path.
func build(tb testing.TB, tags ...string) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "synclab-checks")
	args := []string{"build", "-o", bin}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// appFolder writes an app as a student has it, outside the repository,
// and returns the folder to run the command in.
type appFolder func(dir string) error

// courseApp is the course's repository layout (public/ under a root with
// package.json) with the starting repository's CDN links: the mirror
// answers them.
func courseApp(step string) appFolder {
	return func(dir string) error { return studentapp.Write(dir, step, studentapp.CDN()) }
}

// flatApp is the checkpoint's own files in one folder (index.html, sw.js,
// src/): the npm libraries it loads come from the command.
func flatApp(step string) appFolder {
	return func(dir string) error {
		cp, err := frontend.Checkpoint(step)
		if err != nil {
			return err
		}
		_, err = frontend.Export(cp, dir, false)
		return err
	}
}

// outside returns a student's folder under a fresh temporary folder, a
// home folder beside it, and the environment the command runs in there:
// no SYNCLAB_NODE_MODULES and a home from which Sync Lab's repository
// cannot be found.
func outside(t testing.TB, write appFolder) (dir string, env []string) {
	t.Helper()
	root := t.TempDir()
	dir, home := filepath.Join(root, "htw-insta"), filepath.Join(root, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	if repo := repositoryAbove(dir); repo != "" {
		t.Fatalf("the temporary folder %s lies inside Sync Lab's repository %s: set TMPDIR elsewhere", dir, repo)
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains([]string{frontend.NodeModulesEnv, "HOME", "PWD", "OLDPWD", "SYNCLAB_LANG", "SYNCLAB_DEBUG"}, name) {
			env = append(env, kv)
		}
	}
	return dir, append(env, "HOME="+home)
}

// repositoryAbove returns the folder above dir (or dir itself) holding
// Sync Lab's go.mod or frontend folder, or "".
func repositoryAbove(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module synclab")) {
			return d
		}
		if _, err := os.Stat(filepath.Join(d, "frontend", "steps.json")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// runIn runs the command in dir with env and returns its exit code and
// outputs.
func runIn(t testing.TB, bin, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("run %s: %v", bin, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

var pointsLine = regexp.MustCompile(`Points: ([0-9.]+) of ([0-9.]+)`)

// maxPoints is what the checks of the chapter's steps up to step (all of
// them for "") are worth.
func maxPoints(t testing.TB, step string) float64 {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := cat.Select(catalog.Selection{Step: step})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, ch := range checks {
		sum += ch.Points
	}
	return sum
}

// TestInstalledCommandInTheAppFolder installs the command with the
// libraries inside and runs it where a student works: in their app folder,
// away from the repository, with nothing set. The chapter's solution gets
// full points, and -step 03 checks checkpoint 03 up to its step.
func TestInstalledCommandInTheAppFolder(t *testing.T) {
	bin := build(t, embedTag)
	for _, tc := range []struct {
		name  string
		write appFolder
		args  []string
		step  string // the selection's last step, for the maximum
		app   string // where the heading says the app is, under the folder
		next  string // what to do next, after full points
	}{
		{"the course's layout with CDN links, checkpoint 07", courseApp("07"), nil, "", "public", "For more: synclab-checks -robust"},
		{"a checkpoint's own files, -step 03", flatApp("03"), []string{"-step", "03"}, "03", "", "Go on with the chapter's next step"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, env := outside(t, tc.write)
			code, out, errOut := runIn(t, bin, dir, env, append([]string{"-lang", "en"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			m := pointsLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no points in the output:\n%s", out)
			}
			got, _ := strconv.ParseFloat(m[1], 64)
			of, _ := strconv.ParseFloat(m[2], 64)
			if want := maxPoints(t, tc.step); got != want || of != want {
				t.Errorf("%s, want full points (%v of %v):\n%s", m[0], want, want, out)
			}
			real, err := filepath.EvalSymlinks(dir)
			if err != nil {
				t.Fatal(err)
			}
			if want := "Sync Lab checks " + filepath.Join(real, tc.app) + "\n"; !strings.Contains(out, want) {
				t.Errorf("the heading does not name the app folder (%q):\n%s", want, out)
			}
			if !strings.Contains(out, tc.next) {
				t.Errorf("the output lacks %q:\n%s", tc.next, out)
			}
			if strings.Contains(out+errOut, "go run") {
				t.Errorf("the output names the repository's command:\n%s\n%s", out, errOut)
			}
		})
	}
}

// TestWithoutTheLibrariesSaysHowToInstall: the command built without the
// libraries, run outside the repository, cannot run (exit 2) and says how
// to install it so that it can.
func TestWithoutTheLibrariesSaysHowToInstall(t *testing.T) {
	bin := build(t)
	dir, env := outside(t, flatApp("03"))
	code, out, errOut := runIn(t, bin, dir, env, "-step", "03", "-lang", "en")
	if code != 2 {
		t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"synclab-checks:", "-tags " + embedTag, "./checks/synclab-checks"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// BenchmarkInstalledCommand runs the installed command on the chapter in
// an app folder outside the repository (the whole process, from start to
// exit): checkpoint 07's own files, and the course's layout with the CDN
// links the mirror answers. It reports the median time and the binary's
// size.
func BenchmarkInstalledCommand(b *testing.B) {
	bin := build(b, embedTag)
	st, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		write appFolder
	}{
		{"checkpoint-07", flatApp("07")},
		{"course-layout-cdn", courseApp("07")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir, env := outside(b, tc.write)
			var runs []time.Duration
			for b.Loop() {
				start := time.Now()
				if code, out, errOut := runIn(b, bin, dir, env, "-lang", "en"); code != 0 {
					b.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
				}
				runs = append(runs, time.Since(start))
			}
			slices.Sort(runs)
			b.ReportMetric(float64(runs[len(runs)/2].Milliseconds()), "ms-median")
			b.ReportMetric(float64(st.Size())/1e6, "MB-binary")
		})
	}
}
