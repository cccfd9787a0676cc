package output

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Versions names what produced a report: Sync Lab's commit and the
// browser that ran the checks. Every report carries them, so a grade can
// be traced to the code and browser that gave it.
type Versions struct {
	// SyncLab is the commit Sync Lab was built from, with "+modified" when
	// its working tree had changes, or "unknown".
	SyncLab string `json:"synclab"`
	// Browser is the browser's product and version ("Chrome/156.0…"), or
	// "" when no browser ran.
	Browser string `json:"browser,omitempty"`
}

// String is the one line reports show: "Sync Lab 1a2b3c4d5e6f, Chrome/156…".
func (v Versions) String() string {
	if v.SyncLab == "" {
		return "Sync Lab (version not recorded)"
	}
	s := "Sync Lab " + shortCommit(v.SyncLab)
	if v.Browser != "" {
		s += ", " + v.Browser
	}
	return s
}

// Same reports whether two runs used the same Sync Lab and browser.
func (v Versions) Same(o Versions) bool { return v.SyncLab == o.SyncLab && v.Browser == o.Browser }

func shortCommit(c string) string {
	base, mod, _ := strings.Cut(c, "+")
	if len(base) > 12 {
		base = base[:12]
	}
	if mod != "" {
		return base + "+" + mod
	}
	return base
}

// SyncLabVersion is the commit this program was built from: the build's
// vcs.revision (and vcs.modified), which go build and go run record in a
// git checkout; else git rev-parse HEAD in the module's folder (with
// "+modified" when git status shows changes); else "unknown".
func SyncLabVersion(ctx context.Context) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := fromBuildInfo(info.Settings); v != "" {
			return v
		}
	}
	if dir := moduleDir(); dir != "" {
		if v := fromGit(ctx, dir); v != "" {
			return v
		}
	}
	return "unknown"
}

func fromBuildInfo(settings []debug.BuildSetting) string {
	rev, modified := "", false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return ""
	}
	if modified {
		rev += "+modified"
	}
	return rev
}

// moduleDir is the folder of this package's module, from where it was
// compiled ("" when the sources are not at hand).
func moduleDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file))) // checks/output/version.go → the module
}

func fromGit(ctx context.Context, dir string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		rev += "+modified"
	}
	return rev
}
