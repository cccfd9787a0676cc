// Package reveal loads the slide library reveal.js from npm (the
// node_modules folder of slides/, installed with "npm ci") so that the deck
// is served and published with every asset local.
package reveal

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// NodeModulesEnv overrides where reveal.js is looked for.
const NodeModulesEnv = "SYNCLAB_SLIDES_NODE_MODULES"

// Files lists the reveal.js files the deck uses, relative to the
// package's dist folder.
func Files() []string {
	return []string{"reset.css", "reveal.css", "reveal.js", "theme/white.css", "plugin/notes.js"}
}

// Options say where reveal.js is and whether to install it.
type Options struct {
	// NodeModules is the node_modules folder holding reveal.js; empty means
	// SYNCLAB_SLIDES_NODE_MODULES, else slides/node_modules of this
	// repository (found from the working directory upwards).
	NodeModules string
	// Install runs "npm ci" in slides/ when reveal.js is missing.
	Install bool
	Logger  *slog.Logger
}

// MissingError says reveal.js is not installed.
type MissingError struct {
	Dir    string
	Reason string
}

// Error says what is missing and how to install it.
func (e *MissingError) Error() string {
	msg := "the slide library reveal.js is missing from " + e.Dir
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg + `; install Node.js and npm, then run "npm ci" in the slides folder (or set ` + NodeModulesEnv + `)`
}

// Load reads the reveal.js files the deck needs: path (as in Files) →
// content.
func Load(ctx context.Context, o Options) (map[string][]byte, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dir := o.NodeModules
	if dir == "" {
		dir = os.Getenv(NodeModulesEnv)
	}
	slidesDir := ""
	if dir == "" {
		var err error
		if slidesDir, err = findSlidesDir(); err != nil {
			return nil, err
		}
		dir = filepath.Join(slidesDir, "node_modules")
	}
	dist := filepath.Join(dir, "reveal.js", "dist")
	out, err := read(dist)
	if err != nil && o.Install && slidesDir != "" {
		if ierr := npmCI(ctx, slidesDir, o.Logger); ierr != nil {
			return nil, &MissingError{Dir: dir, Reason: ierr.Error()}
		}
		out, err = read(dist)
	}
	if err != nil {
		return nil, &MissingError{Dir: dir, Reason: err.Error()}
	}
	return out, nil
}

func read(dist string) (map[string][]byte, error) {
	files := Files()
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dist, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("read reveal.js/dist/%s: %w", f, err)
		}
		out[f] = b
	}
	return out, nil
}

// findSlidesDir finds this repository's slides folder from the working
// directory upwards.
func findSlidesDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "slides"), d} {
			if isSlidesDir(c) {
				return c, nil
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", fmt.Errorf("cannot find Sync Lab's slides folder from %s: run from the repository, or set %s to a node_modules folder holding reveal.js", wd, NodeModulesEnv)
}

func isSlidesDir(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	var pkg struct {
		Name string `json:"name"`
	}
	return json.Unmarshal(b, &pkg) == nil && pkg.Name == "synclab-slides"
}

// npmCI installs the slides' npm packages as the lock file says.
func npmCI(ctx context.Context, dir string, logger *slog.Logger) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("npm is not installed")
	}
	logger.Info("installing the slide library (npm ci in slides/)", "dir", dir)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci failed: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
