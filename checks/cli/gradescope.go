package cli

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gradescopeCommand builds Gradescope's autograder bundle:
// go run ./checks gradescope -o autograder.zip
//
// The bundle holds Sync Lab's sources, setup.sh (installs Go, Node.js and
// Chrome on Gradescope's Ubuntu image and builds the checks once) and
// run_autograder (grades /autograder/submission and writes
// /autograder/results/results.json).
func gradescopeCommand(name string, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet(name+" gradescope", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		out    = fset.String("o", "autograder.zip", "the bundle to write")
		robust = fset.Bool("robust", false, "grade the robust step's checks (08) too")
		step   = fset.String("step", "", "grade only the checks of steps up to this one")
		lang   = fset.String("lang", "de", "language of the results: de or en")
		goVer  = fset.String("go", "1.26.8", "Go version setup.sh installs")
	)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitBroken
	}
	flags := "-lang " + shellWord(*lang)
	if *robust {
		flags += " -robust"
	}
	if *step != "" {
		flags += " -step " + shellWord(*step)
	}
	b, err := gradescopeBundle(flags, *goVer)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, short(name)+" gradescope:", err)
		return exitBroken
	}
	fmt.Fprintf(stdout, "%s: upload it as the autograder of a Gradescope programming assignment (Ubuntu base image).\n", *out)
	return exitPassed
}

func shellWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

const setupSh = `#!/usr/bin/env bash
# Gradescope runs this once when the autograder is built (Ubuntu, as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq curl ca-certificates git nodejs npm
# Chrome: Ubuntu's chromium is a snap, which does not run in Gradescope's
# containers; Google's package does.
curl -fsSL -o /tmp/chrome.deb https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb
apt-get install -y -qq /tmp/chrome.deb
curl -fsSL https://go.dev/dl/go{{GO}}.linux-amd64.tar.gz | tar -C /usr/local -xz
export PATH=/usr/local/go/bin:$PATH
cd /autograder/source/synclab
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
go build -o /autograder/source/synclab-checks ./checks/synclab-checks
`

const runAutograder = `#!/usr/bin/env bash
# Gradescope runs this for each submission: grade it, write results.json.
set -uo pipefail
ROOT=${AUTOGRADER_ROOT:-/autograder}
mkdir -p "$ROOT/results"
cd "$ROOT/source/synclab"
# Gradescope's default container has half a CPU, 768 MB and a 10-minute
# limit; a run past the limit scores 0 with nothing shown. So: one
# submission's checks at a time (-j 1), and the grading is stopped with
# SIGTERM well before the limit (SYNCLAB_TIME_LIMIT seconds, 540 by
# default): results.json then holds every check that ended, marked
# unfinished, and asks for a rerun. results.json is written before the
# first check and again after each, so even a kill leaves it.
timeout --signal=TERM --kill-after=20 "${SYNCLAB_TIME_LIMIT:-540}" \
  "$ROOT/source/synclab-checks" grade -j 1 {{FLAGS}} -gradescope-results "$ROOT/results/results.json" "$ROOT/submission" \
  || test -s "$ROOT/results/results.json" \
  || echo '{"output": "Sync Lab could not run (see the autograder output); please rerun. / Sync Lab konnte nicht laufen (siehe die Ausgabe des Autograders); bitte neu starten.", "tests": []}' > "$ROOT/results/results.json"
`

// gradescopeBundle zips setup.sh, run_autograder and the sources.
func gradescopeBundle(flags, goVersion string) ([]byte, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, mode fs.FileMode, body []byte) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	if err := add("setup.sh", 0o755, []byte(strings.ReplaceAll(setupSh, "{{GO}}", goVersion))); err != nil {
		return nil, err
	}
	if err := add("run_autograder", 0o755, []byte(strings.ReplaceAll(runAutograder, "{{FLAGS}}", flags))); err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, err
		}
		if err := add("synclab/"+filepath.ToSlash(f), 0o644, b); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// moduleRoot finds the folder with Sync Lab's go.mod from the working
// directory upwards.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module synclab")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("run this inside Sync Lab's repository (its sources go into the bundle)")
		}
	}
}

// sourceFiles lists the repository's files: git's list when it is a git
// checkout, else every file but installed packages and build output.
func sourceFiles(root string) ([]string, error) {
	if out, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard").Output(); err == nil && len(out) > 0 {
		var files []string
		for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if _, err := os.Stat(filepath.Join(root, f)); err == nil {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "site") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}
