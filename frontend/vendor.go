package frontend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"synclab/lang"
)

// NodeModulesEnv overrides where the npm libraries are looked for.
const NodeModulesEnv = "SYNCLAB_NODE_MODULES"

// VendorFiles returns the app paths served from npm packages, mapped to
// their path inside node_modules.
func VendorFiles() (map[string]string, error) {
	b, err := sources.ReadFile("vendor.json")
	if err != nil {
		return nil, fmt.Errorf("read vendor.json: %w", err)
	}
	var doc struct {
		Files map[string]string `json:"files"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse vendor.json: %w", err)
	}
	return doc.Files, nil
}

// VendorOptions says where to look for the npm libraries and whether to
// install them.
type VendorOptions struct {
	// NodeModules is the node_modules folder; empty means: the environment
	// variable SYNCLAB_NODE_MODULES, else the libraries built into the
	// program (-tags synclab_embed), else frontend/node_modules of this
	// repository (found from the working directory upwards). See Libraries.
	NodeModules string
	// Install runs "npm ci" in the frontend folder when libraries are missing.
	Install bool
	Logger  *slog.Logger
}

// MissingLibrariesError says the npm libraries are not installed.
type MissingLibrariesError struct {
	Dir     string
	Missing []string
	Reason  string
}

func (e *MissingLibrariesError) Error() string {
	msg := fmt.Sprintf("the app's front-end libraries are missing from %s (%s)", e.Dir, strings.Join(e.Missing, ", "))
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg + `; install Node.js and npm, then run "npm ci" in the frontend folder (or set ` + NodeModulesEnv + `)`
}

// Vendor loads the npm libraries the app uses, as an fs.FS at the paths the
// app requests them (src/js/idb.js, src/lib/mdl/material.min.css, …). The
// libraries are found as Libraries finds them.
func Vendor(ctx context.Context, o VendorOptions) (fs.FS, error) {
	files, err := VendorFiles()
	if err != nil {
		return nil, err
	}
	libs, _, err := Libraries(ctx, o, slices.Collect(maps.Values(files))...)
	if err != nil {
		return nil, err
	}
	out := memFS{}
	for appPath, pkgPath := range files {
		b, err := fs.ReadFile(libs, pkgPath)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", pkgPath, err)
		}
		out[appPath] = b
	}
	return out, nil
}

// NodeModules returns the node_modules folder with the npm libraries (see
// VendorOptions), running "npm ci" first when o.Install is set and one of
// the files named (paths inside node_modules) is missing. It looks for a
// folder only; Libraries also finds the libraries built into the program.
func NodeModules(ctx context.Context, o VendorOptions, need ...string) (string, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dir := o.NodeModules
	if dir == "" {
		dir = os.Getenv(NodeModulesEnv)
	}
	frontendDir := ""
	if dir == "" {
		var err error
		frontendDir, err = findFrontendDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(frontendDir, "node_modules")
	}
	missing := missingFrom(os.DirFS(dir), need)
	if len(missing) > 0 && o.Install && frontendDir != "" {
		if err := npmInstall(ctx, frontendDir, o.Logger); err != nil {
			return "", &MissingLibrariesError{Dir: dir, Missing: missing, Reason: err.Error()}
		}
		missing = missingFrom(os.DirFS(dir), need)
	}
	if len(missing) > 0 {
		return "", &MissingLibrariesError{Dir: dir, Missing: missing}
	}
	return dir, nil
}

// missingFrom lists the files (paths inside node_modules) libs lacks.
func missingFrom(libs fs.FS, files []string) []string {
	var missing []string
	for _, pkgPath := range files {
		if _, err := fs.Stat(libs, pkgPath); err != nil {
			missing = append(missing, pkgPath)
		}
	}
	sort.Strings(missing)
	return missing
}

// findFrontendDir finds this repository's frontend folder from the working
// directory upwards.
func findFrontendDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, candidate := range []string{filepath.Join(d, "frontend"), d} {
			if isFrontendDir(candidate) {
				return candidate, nil
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", &NoLibrariesError{From: wd}
}

// NoLibrariesError says that the front-end libraries the apps load (and
// the mirror serves) were not found from a folder.
type NoLibrariesError struct{ From string }

func (e *NoLibrariesError) Error() string { return e.Text().EN }

// Text says it in both languages, with the three ways out.
func (e *NoLibrariesError) Text() lang.Text {
	return lang.Say("cannot find Sync Lab's front-end libraries from %s: run this from the Sync Lab repository (after \"npm ci\" in frontend/), or install the command with the libraries inside: go install -tags synclab_embed ./checks/synclab-checks (in the repository, after \"npm ci\" in frontend/), or set %s to a node_modules folder holding the app's libraries",
		"Sync Labs Front-end-Bibliotheken sind von %s aus nicht zu finden: starte dies im Sync-Lab-Repository (nach \"npm ci\" in frontend/), oder installiere den Befehl mit den Bibliotheken darin: go install -tags synclab_embed ./checks/synclab-checks (im Repository, nach \"npm ci\" in frontend/), oder setze %s auf einen node_modules-Ordner mit den Bibliotheken der App",
		e.From, NodeModulesEnv)
}

func isFrontendDir(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	var pkg struct {
		Name string `json:"name"`
	}
	return json.Unmarshal(b, &pkg) == nil && pkg.Name == "synclab-frontend"
}

func npmInstall(ctx context.Context, dir string, logger *slog.Logger) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return errors.New("npm is not installed")
	}
	logger.Info("installing the app's front-end libraries with npm ci (once)", "dir", dir)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci failed: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// App returns checkpoint id with its libraries: what the browser loads.
func App(id string, vendor fs.FS) (fs.FS, error) {
	cp, err := Checkpoint(id)
	if err != nil {
		return nil, err
	}
	return Overlay(cp, vendor), nil
}

// StudentFolder opens a student's app folder (its public/ subfolder when it
// has one) so that nothing outside it can be reached, not even through
// symbolic links. The libraries fill in files the folder does not have.
func StudentFolder(dir string, vendor fs.FS) (fs.FS, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", err
	}
	st, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", lang.Err(lang.Say("app folder %s does not exist: give the folder that holds index.html and sw.js", "der App-Ordner %s existiert nicht: gib den Ordner an, in dem index.html und sw.js liegen", abs))
	}
	if err != nil {
		return nil, "", fmt.Errorf("app folder %s: %w", abs, err)
	}
	if !st.IsDir() {
		return nil, "", lang.Err(lang.Say("app folder %s is not a folder: give the folder that holds index.html and sw.js", "der App-Ordner %s ist kein Ordner: gib den Ordner an, in dem index.html und sw.js liegen", abs))
	}
	if pub := filepath.Join(abs, "public"); isDir(pub) && !fileExists(filepath.Join(abs, "index.html")) {
		abs = pub
	}
	if !fileExists(filepath.Join(abs, "index.html")) {
		return nil, "", lang.Err(lang.Say("app folder %s has no index.html: give the folder that holds index.html and sw.js", "im App-Ordner %s liegt keine index.html: gib den Ordner an, in dem index.html und sw.js liegen", abs))
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, "", err
	}
	layers := []fs.FS{root.FS()}
	if vendor != nil {
		layers = append(layers, vendor)
	}
	return Overlay(layers...), abs, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Export writes every file of fsys into dir. It refuses a folder that is not
// empty unless overwrite is set.
func Export(fsys fs.FS, dir string, overwrite bool) (int, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !overwrite {
		return 0, fmt.Errorf("%s is not empty: choose an empty folder, or pass -force to overwrite", dir)
	}
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(target, b, 0o644)
	})
	return n, err
}
