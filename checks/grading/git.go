package grading

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"synclab/lang"
)

// ErrNoGit says that a submission is a git repository but the git command
// is missing.
var ErrNoGit = errors.New("git repositories need the git command, which is not in PATH: install git (Debian/Ubuntu: apt-get install git; macOS: xcode-select --install; Windows: https://git-scm.com)")

// ParseDeadline reads a deadline as RFC 3339 (2026-11-20T23:59:00+01:00)
// or as local time in the form 2026-11-20 23:59.
func ParseDeadline(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("deadline %q: give it as RFC 3339 (2026-11-20T23:59:00+01:00) or in local time as 2026-11-20 23:59", s)
}

// isRepository reports whether dir is a git repository: a working tree
// (it has .git), a folder named *.git, or a bare repository (HEAD, objects/
// and refs/).
func isRepository(dir string) bool {
	if strings.HasSuffix(filepath.Base(filepath.Clean(dir)), ".git") {
		return true
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return true
	}
	return isFile(filepath.Join(dir, "HEAD")) && isDirectory(filepath.Join(dir, "objects")) && isDirectory(filepath.Join(dir, "refs"))
}

func isDirectory(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir()
}

// repositoryName is the submission's name: the repository's folder
// without .git (for a .git folder itself, the folder around it).
func repositoryName(dir string) string {
	dir = filepath.Clean(dir)
	base := filepath.Base(dir)
	if base == ".git" {
		base = filepath.Base(filepath.Dir(dir))
	}
	if name := strings.TrimSuffix(base, ".git"); name != "" {
		return name
	}
	return base
}

// fromRepository exports the commit to grade (opts.Ref, before
// opts.Deadline) into a new folder in work. The student's repository is
// only read: nothing is checked out in it and nothing written to it. The
// error is for what stops the whole class (no git, ctx).
func fromRepository(ctx context.Context, dir, work string, opts CollectOptions) (Submission, error) {
	s := Submission{Name: repositoryName(dir), Source: dir}
	bin, err := exec.LookPath("git")
	if err != nil {
		return s, fmt.Errorf("submission %s: %w", dir, ErrNoGit)
	}
	gitDir := dir
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		gitDir = filepath.Join(dir, ".git")
	}
	r := repository{git: bin, dir: gitDir}
	problem, err := r.choose(ctx, &s, opts)
	if err == nil && problem.EN == "" {
		problem, err = r.unpack(ctx, &s, work, opts.Limits)
	}
	if ctx.Err() != nil {
		return s, ctx.Err()
	}
	if err != nil {
		problem = lang.Said(err)
	}
	s.Problem = problem
	return s, nil
}

// choose finds the commit to grade and records it in s; problem says why
// there is none.
func (r repository) choose(ctx context.Context, s *Submission, opts CollectOptions) (problem lang.Text, err error) {
	if _, err := r.output(ctx, "rev-parse", "--git-dir"); err != nil {
		if msg := gitMessage(err); !strings.HasPrefix(msg, "not a git repository") {
			return lang.Say("cannot read the git repository: %s", "kann das git-Repository nicht lesen: %s", msg), nil
		}
		return lang.Say("not a git repository", "kein git-Repository"), nil
	}
	anyCommit, err := r.output(ctx, "rev-list", "-n", "1", "--all")
	if err != nil {
		return lang.Text{}, err
	}
	if anyCommit == "" {
		return lang.Say("the repository is empty: it has no commits", "das Repository ist leer: es hat keine Commits"), nil
	}
	ref := opts.Ref
	if ref == "" {
		ref = "HEAD"
	}
	if strings.HasPrefix(ref, "-") {
		return lang.Say("ref %q not found", "Ref %q nicht gefunden", ref), nil
	}
	commit, err := r.output(ctx, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil || commit == "" {
		if exitCode(err) > 1 {
			return lang.Text{}, err
		}
		return lang.Say("ref %q not found; the repository has %s", "Ref %q nicht gefunden; das Repository hat %s", ref, r.refs(ctx)), nil
	}
	if !opts.Deadline.IsZero() {
		before, err := r.output(ctx, "rev-list", "-1", "--before="+opts.Deadline.Format(time.RFC3339), commit)
		if err != nil {
			return lang.Text{}, err
		}
		if before == "" {
			return lang.Say("no commit before %s on %s: %s", "kein Commit vor %s auf %s: %s", when(opts.Deadline, opts.Deadline), ref, r.first(ctx, commit, opts.Deadline)), nil
		}
		commit = before
	}
	info, err := r.output(ctx, "log", "-1", "--format=%H %cI", commit)
	if err != nil {
		return lang.Text{}, err
	}
	hash, date, _ := strings.Cut(info, " ")
	s.Commit = hash
	if t, err := time.Parse(time.RFC3339, date); err == nil {
		s.CommitTime = t
	}
	return lang.Text{}, nil
}

// unpack exports s.Commit into a new folder in work and finds the app.
func (r repository) unpack(ctx context.Context, s *Submission, work string, lim Limits) (problem lang.Text, err error) {
	dest, err := os.MkdirTemp(work, "repo-*")
	if err != nil {
		return lang.Say("cannot export the commit: %s", "kann den Commit nicht exportieren: %s", err.Error()), nil
	}
	if err := r.export(ctx, s.Commit, dest, lim); err != nil {
		return lang.Say("repository refused: %s", "Repository abgelehnt: %s", refusalOf(err)), nil
	}
	if app := findApp(dest); app != "" {
		s.AppDir = app
		return lang.Text{}, nil
	}
	return lang.Say("no app found in commit %s: %s", "keine App im Commit %s gefunden: %s", short(s.Commit), describe(dest)), nil
}

// repository reads a git repository with the git command, never writing
// to it.
type repository struct {
	git string // the git command
	dir string // the git directory (bare repository or .git)
}

// command prepares git with the repository given explicitly (no search
// upwards from a folder that is not one), no optional locks (git writes
// nothing to the repository), no prompts and messages in English.
func (r repository) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.git, append([]string{"--git-dir=" + r.dir, "-c", "core.fsmonitor=false"}, args...)...)
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains([]string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
			"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_COMMON_DIR", "LC_ALL", "LANGUAGE"}, name)
	}), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	return cmd
}

// output runs git and returns its trimmed output; its error carries what
// git said.
func (r repository) output(ctx context.Context, args ...string) (string, error) {
	cmd := r.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &capped{w: &stderr, left: 4096}
	out, err := cmd.Output()
	if err != nil {
		return "", &gitError{args: args, stderr: strings.TrimSpace(stderr.String()), err: err}
	}
	return strings.TrimSpace(string(out)), nil
}

// refs lists the repository's branches and tags (for a ref not found).
func (r repository) refs(ctx context.Context) lang.Text {
	out, err := r.output(ctx, "for-each-ref", "--count=11", "--format=%(refname:short)", "refs/heads", "refs/tags")
	if err != nil || out == "" {
		return lang.Say("no branches or tags", "keine Branches oder Tags")
	}
	names := strings.Fields(out)
	if len(names) > 10 {
		names = append(names[:10], "…")
	}
	return lang.Say("these branches and tags: %s", "diese Branches und Tags: %s", strings.Join(names, ", "))
}

// first describes the oldest commit on commit's history (for a deadline
// before all of them).
func (r repository) first(ctx context.Context, commit string, deadline time.Time) lang.Text {
	out, err := r.output(ctx, "log", "--format=%h %ct", commit)
	if err != nil || out == "" {
		return lang.Say("its commits are all later", "seine Commits sind alle später")
	}
	var oldest string
	var at int64
	for line := range strings.Lines(out) {
		hash, secs, _ := strings.Cut(strings.TrimSpace(line), " ")
		n, err := strconv.ParseInt(secs, 10, 64)
		if err == nil && (oldest == "" || n < at) {
			oldest, at = hash, n
		}
	}
	return lang.Say("the first is from %s (%s)", "der erste ist vom %s (%s)", when(time.Unix(at, 0), deadline), oldest)
}

// export writes commit's files into dest with Untar's limits.
func (r repository) export(ctx context.Context, commit, dest string, lim Limits) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := r.command(ctx, "archive", "--format=tar", commit)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &capped{w: &stderr, left: 4096}
	if err := cmd.Start(); err != nil {
		return err
	}
	uerr := Untar(out, dest, lim)
	if uerr == nil {
		// The end of an archive may be followed by padding.
		if n, _ := io.Copy(io.Discard, io.LimitReader(out, 1<<20)); n == 1<<20 {
			uerr = refuse(lang.Say("git archive wrote on after the end of the archive", "git archive schrieb nach dem Ende des Archivs weiter"))
		}
	}
	if uerr != nil {
		cancel() // git may be blocked writing what is no longer read
	}
	werr := cmd.Wait()
	switch {
	case uerr != nil && !errors.Is(uerr, errUnreadable):
		return uerr // refused: git was stopped
	case exitCode(werr) > 0 || (werr != nil && uerr == nil):
		// git failed by itself (e.g. "invalid path"): its words explain more.
		return &gitError{args: []string{"archive"}, stderr: strings.TrimSpace(stderr.String()), err: werr}
	}
	return uerr
}

// errUnreadable marks a stream that is not a tar archive.
var errUnreadable = errors.New("not a readable tar archive")

// Untar unpacks a tar archive (git archive's) into dest with the same
// rules as Unzip: no entry outside dest, no link that leads outside it
// (links inside are kept), only files, folders and links, and within the
// limits (entries, bytes per file and in all).
func Untar(r io.Reader, dest string, lim Limits) error {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(r)
	var (
		total   int64
		entries int
		links   []string
	)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &refusal{text: lang.Say("%s: %s", "kein lesbares tar-Archiv: %[2]s", errUnreadable, err), err: errUnreadable}
		}
		if h.Typeflag == tar.TypeXGlobalHeader {
			continue // git's note of the commit id
		}
		entries++
		if entries > lim.MaxEntries {
			return refuse(lang.Say("more than the %d entries allowed", "mehr als die erlaubten %d Einträge", lim.MaxEntries))
		}
		clean, err := entryName(h.Name)
		if err != nil {
			return err
		}
		if dir := path.Dir(clean); h.Typeflag != tar.TypeDir && dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return entryFailed(h.Name, err)
			}
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(clean, 0o755); err != nil {
				return entryFailed(h.Name, err)
			}
		case tar.TypeReg:
			if h.Size > lim.MaxFile {
				return refuse(lang.Say("entry %q is %d bytes, more than %d", "Eintrag %q hat %d Bytes, mehr als %d", h.Name, h.Size, lim.MaxFile))
			}
			n, err := writeEntry(root, clean, h.Name, tr, lim, total)
			total += n
			if err != nil {
				return err
			}
		case tar.TypeSymlink:
			if !linkInside(clean, h.Linkname) {
				return refuse(lang.Say("entry %q is a link to %q, outside the submission", "Eintrag %q ist ein Link auf %q, außerhalb der Abgabe", h.Name, h.Linkname))
			}
			if err := root.Symlink(h.Linkname, clean); err != nil {
				return entryFailed(h.Name, err)
			}
			links = append(links, clean)
		default:
			return refuse(lang.Say("entry %q is not a plain file, folder or link", "Eintrag %q ist weder gewöhnliche Datei noch Ordner noch Link", h.Name))
		}
	}
	// Links that each stay inside may still lead outside together
	// (a/up -> .., b -> a/up/..): follow each as the app server would.
	for _, l := range links {
		if _, err := root.Stat(l); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return refuse(lang.Say("entry %q is a link that does not stay inside the submission", "Eintrag %q ist ein Link, der nicht in der Abgabe bleibt", l))
		}
	}
	return nil
}

// linkInside reports whether a link target stays in the folder the link
// is unpacked into (not absolute, not climbing out).
func linkInside(name, target string) bool {
	if target == "" || path.IsAbs(target) || filepath.IsAbs(target) || strings.ContainsAny(target, `\:`) {
		return false
	}
	to := path.Join(path.Dir(name), target)
	return to != ".." && !strings.HasPrefix(to, "../")
}

// gitError is a failed git command with what it said.
type gitError struct {
	args   []string
	stderr string
	err    error
}

func (e *gitError) Error() string {
	msg := e.stderr
	if msg == "" {
		msg = e.err.Error()
	}
	if line, _, cut := strings.Cut(msg, "\n"); cut {
		msg = line + " …"
	}
	return fmt.Sprintf("git %s: %s", e.args[0], msg)
}

func (e *gitError) Unwrap() error { return e.err }

// gitMessage is what git said, without the command.
func gitMessage(err error) string {
	var ge *gitError
	if errors.As(err, &ge) && ge.stderr != "" {
		msg, _, _ := strings.Cut(ge.stderr, "\n")
		return strings.TrimPrefix(msg, "fatal: ")
	}
	return err.Error()
}

// exitCode is the exit status of a command that ran and failed (-1 for a
// signal, 0 for no error or one that is not an exit).
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

// capped writes at most left bytes to w and drops the rest.
type capped struct {
	w    io.Writer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > c.left {
		p = p[:c.left]
	}
	c.left -= len(p)
	if _, err := c.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// when formats t in the deadline's time zone (naming it unless local).
func when(t, deadline time.Time) string {
	t = t.In(deadline.Location())
	if deadline.Location() == time.Local {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02 15:04 -07:00")
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
