package cli

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// watch runs the checks, then again whenever a file of the app's folder
// dir changes, with the browser kept warm. After a change it first reruns
// what did not pass last time (and what that needs), so the answer to the
// change comes fast; when that passes, it runs the whole selection again.
func watch(ctx context.Context, c config, env runner.Env, app fs.FS, what, dir string, checks []catalog.Check, stdout, stderr io.Writer) int {
	tty := output.IsTerminal(stdout)
	clear := func() {
		if tty {
			fmt.Fprint(stdout, "\033[H\033[2J")
		}
	}
	cat, err := catalog.Load()
	if err != nil {
		fmt.Fprintln(stderr, short(c.name)+":", err)
		return exitBroken
	}
	// Sessions for the next run are opened while the student edits.
	pool := &session.Pool{}
	defer pool.Close()
	env.Open = pool.Open
	selection := checks
	last := stamp(dir)
	for {
		clear()
		code, rep := once(ctx, c, env, app, what, selection, stdout, stderr)
		if code == exitPassed && len(selection) < len(checks) {
			// The focused rerun passed: now everything.
			selection = checks
			continue
		}
		selection = focus(cat, checks, rep)
		pool.Fill(ctx, journeys(selection))
		fmt.Fprintf(stdout, watching().In(c.lang)+"\n", dir)
		for {
			select {
			case <-ctx.Done():
				return code
			case <-time.After(100 * time.Millisecond):
			}
			if now := stamp(dir); now != last {
				last = now
				break
			}
		}
	}
}

// needsAppFolder says that -watch was given no app folder.
func needsAppFolder() lang.Text {
	return lang.Text{
		DE: "-watch braucht deinen App-Ordner: im aktuellen Ordner liegt keine index.html (auch nicht in public/); starte den Befehl in deinem App-Ordner oder gib -app-dir PFAD an",
		EN: "-watch needs your app folder: the current folder holds no index.html (nor public/index.html); run the command in your app folder or give -app-dir PATH",
	}
}

// journeys counts the scenarios (each one session) that checks run in.
func journeys(checks []catalog.Check) int {
	all, err := scenario.All()
	if err != nil {
		return len(checks)
	}
	seen := map[string]bool{}
	for _, ch := range checks {
		sc, _ := scenario.Holding(all, ch.ID)
		seen[sc.Name] = true
	}
	return len(seen)
}

// focus returns the checks that did not pass in rep and what they depend
// on, in the chapter's order (all of them if everything passed).
func focus(cat *catalog.Catalog, checks []catalog.Check, rep runner.Report) []catalog.Check {
	var ids []string
	for _, r := range rep.Results {
		if r.Status != runner.Passed {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return checks
	}
	sel, err := cat.Select(catalog.Selection{Only: ids})
	if err != nil {
		return checks
	}
	return sel
}

// stamp sums up the app folder's files (names, sizes, times), skipping
// node_modules and hidden folders.
func stamp(dir string) string {
	h := sha256.New()
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != dir && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	if _, err := os.Stat(dir); err != nil {
		return "gone"
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
