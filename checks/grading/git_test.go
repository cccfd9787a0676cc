package grading_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"synclab/checks/grading"
)

// The student's commits: v1 and v2 on main (v1 tagged), v3 on the branch
// late.
const (
	dateV1 = "2026-11-20T10:00:00+01:00"
	dateV2 = "2026-11-22T10:00:00+01:00"
	dateV3 = "2026-11-25T10:00:00+01:00"
)

// git runs the git command for a test: no user or system configuration,
// fixed author and committer dates.
func git(t testing.TB, dir, date string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Student", "-c", "user.email=student@example.org",
		"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.symlinks=true"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			// In CI a missing dependency is a failure, never a skip:
			// scripts/test.sh installs git.
			t.Fatalf("the git command is not installed (CI=%s): %v", os.Getenv("CI"), err)
		}
		t.Skip("the git command is not installed")
	}
}

// studentRepository makes a working tree in dir with the three commits
// and returns their hashes.
func studentRepository(t testing.TB, dir string) (v1, v2, v3 string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, dateV1, "init", "-q")
	commit := func(date, version string) string {
		mkfile(t, filepath.Join(dir, "public", "index.html"), "<h1>"+version+"</h1>")
		mkfile(t, filepath.Join(dir, "public", version+".js"), "// "+version)
		git(t, dir, date, "add", "-A")
		git(t, dir, date, "commit", "-q", "-m", version)
		return git(t, dir, date, "rev-parse", "HEAD")
	}
	v1 = commit(dateV1, "v1")
	git(t, dir, dateV1, "tag", "v1")
	v2 = commit(dateV2, "v2")
	git(t, dir, dateV3, "checkout", "-q", "-b", "late")
	v3 = commit(dateV3, "v3")
	git(t, dir, dateV3, "checkout", "-q", "main")
	return v1, v2, v3
}

// version reads which commit's app a submission holds.
func version(t testing.TB, s grading.Submission) string {
	t.Helper()
	if s.Problem.EN != "" {
		return "problem: " + s.Problem.EN
	}
	b, err := os.ReadFile(filepath.Join(s.AppDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(string(b), "<h1>"), "</h1>")
}

// snapshot records every file of dir (mode, size, time, content) to show
// that grading wrote nothing there.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := fmt.Sprintf("%v %d %v", info.Mode(), info.Size(), info.ModTime().UnixNano())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(b)
		}
		files[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func collectOne(t *testing.T, arg string, opts grading.CollectOptions) grading.Submission {
	t.Helper()
	subs, err := grading.Collect(context.Background(), []string{arg}, t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 {
		t.Fatalf("%d submissions from %s, want 1: %+v", len(subs), arg, subs)
	}
	return subs[0]
}

// TestGitRefAndDeadline: -ref and -deadline pick the right commit of a
// working tree and of a bare repository, the submission records it, and
// the student's repository is left as it was.
func TestGitRefAndDeadline(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	work := filepath.Join(dir, "anna")
	v1, v2, v3 := studentRepository(t, work)
	// An uncommitted change is not graded.
	mkfile(t, filepath.Join(work, "public", "index.html"), "<h1>uncommitted</h1>")
	bare := filepath.Join(dir, "ben.git")
	git(t, dir, dateV3, "clone", "-q", "--bare", work, bare)
	before := map[string]map[string]string{work: snapshot(t, work), bare: snapshot(t, bare)}

	deadline := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name     string
		ref      string
		deadline string
		version  string
		commit   string
		date     string
	}{
		{name: "head", version: "v2", commit: v2, date: dateV2},
		{name: "tag", ref: "v1", version: "v1", commit: v1, date: dateV1},
		{name: "branch", ref: "late", version: "v3", commit: v3, date: dateV3},
		{name: "commit hash", ref: v1[:10], version: "v1", commit: v1, date: dateV1},
		{name: "deadline between the commits", deadline: "2026-11-21T23:59:00+01:00", version: "v1", commit: v1, date: dateV1},
		{name: "deadline at a commit", deadline: "2026-11-22T09:00:00Z", version: "v2", commit: v2, date: dateV2},
		{name: "deadline after all", deadline: "2026-12-01T00:00:00+01:00", version: "v2", commit: v2, date: dateV2},
		{name: "deadline on a branch", ref: "late", deadline: "2026-11-23T00:00:00+01:00", version: "v2", commit: v2, date: dateV2},
	} {
		for _, repo := range []struct{ kind, dir, name string }{{"working tree", work, "anna"}, {"bare", bare, "ben"}} {
			t.Run(tc.name+"/"+repo.kind, func(t *testing.T) {
				opts := grading.CollectOptions{Ref: tc.ref}
				if tc.deadline != "" {
					opts.Deadline = deadline(tc.deadline)
				}
				s := collectOne(t, repo.dir, opts)
				if got := version(t, s); got != tc.version {
					t.Errorf("graded %q, want %q", got, tc.version)
				}
				if s.Name != repo.name || s.Source != repo.dir {
					t.Errorf("name %q source %q, want %q from %s", s.Name, s.Source, repo.name, repo.dir)
				}
				if s.Commit != tc.commit || !s.CommitTime.Equal(deadline(tc.date)) {
					t.Errorf("commit %s of %v, want %s of %s", s.Commit, s.CommitTime, tc.commit, tc.date)
				}
			})
		}
	}
	for repo, files := range before {
		after := snapshot(t, repo)
		for p, v := range files {
			if after[p] != v {
				t.Errorf("grading changed %s", p)
			}
		}
		for p := range after {
			if _, ok := files[p]; !ok {
				t.Errorf("grading added %s", p)
			}
		}
	}
}

// TestGitProblems: what cannot be graded gets a clear reason in its row.
func TestGitProblems(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	repo := filepath.Join(dir, "anna")
	studentRepository(t, repo)
	mkfile(t, filepath.Join(dir, "fake.git", "notes.txt"), "not a repository")
	mkfile(t, filepath.Join(dir, "broken", ".git"), "gitdir: /nonexistent/synclab")
	mkfile(t, filepath.Join(dir, "broken", "index.html"), "<h1>x</h1>")
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, empty, dateV1, "init", "-q")
	git(t, dir, dateV1, "init", "-q", "--bare", "empty-bare.git")
	noApp := filepath.Join(dir, "notes")
	if err := os.MkdirAll(noApp, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, noApp, dateV1, "init", "-q")
	mkfile(t, filepath.Join(noApp, "README.md"), "todo")
	git(t, noApp, dateV1, "add", "-A")
	git(t, noApp, dateV1, "commit", "-q", "-m", "readme")

	for _, tc := range []struct {
		name     string
		arg      string
		ref      string
		deadline string
		want     []string
	}{
		{name: "not a repository", arg: filepath.Join(dir, "fake.git"), want: []string{"not a git repository"}},
		{name: "broken .git", arg: filepath.Join(dir, "broken"), want: []string{"not a git repository"}},
		{name: "empty", arg: empty, want: []string{"the repository is empty"}},
		{name: "empty bare", arg: filepath.Join(dir, "empty-bare.git"), want: []string{"the repository is empty"}},
		{name: "ref not found", arg: repo, ref: "final", want: []string{`ref "final" not found`, "late", "main", "v1"}},
		{name: "ref like a flag", arg: repo, ref: "--output=/tmp/x", want: []string{"not found"}},
		{name: "no commit before the deadline", arg: repo, ref: "main", deadline: "2026-11-19T23:59:00+01:00",
			want: []string{"no commit before 2026-11-19 23:59", "on main: the first is from 2026-11-20 10:00"}},
		{name: "no app", arg: noApp, want: []string{"no app found in commit", "README.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := grading.CollectOptions{Ref: tc.ref}
			if tc.deadline != "" {
				d, err := grading.ParseDeadline(tc.deadline)
				if err != nil {
					t.Fatal(err)
				}
				opts.Deadline = d
			}
			s := collectOne(t, tc.arg, opts)
			t.Logf("problem: %s", s.Problem)
			for _, w := range tc.want {
				if !strings.Contains(s.Problem.EN, w) {
					t.Errorf("problem %q, want it to say %q", s.Problem, w)
				}
			}
			if s.Problem.DE == "" || s.Problem.DE == s.Problem.EN {
				t.Errorf("problem %q has no German (reports in German show it)", s.Problem.EN)
			}
			if s.AppDir != "" {
				t.Errorf("app %s, want none", s.AppDir)
			}
		})
	}
}

// TestGitFolderOfRepositories: a folder may hold working trees, bare
// repositories, app folders and archives side by side.
func TestGitFolderOfRepositories(t *testing.T) {
	needGit(t)
	class := t.TempDir()
	_, v2, _ := studentRepository(t, filepath.Join(class, "anna"))
	git(t, class, dateV3, "clone", "-q", "--bare", filepath.Join(class, "anna"), filepath.Join(class, "ben.git"))
	mkfile(t, filepath.Join(class, "chris", "index.html"), "<h1>chris</h1>")
	writeZip(t, filepath.Join(class, "dana.zip"), entry{name: "public/index.html", body: []byte("<h1>dana</h1>")})
	// A bare repository whose folder name does not end in .git.
	git(t, class, dateV3, "clone", "-q", "--bare", filepath.Join(class, "anna"), filepath.Join(class, "eve"))

	subs, err := grading.Collect(context.Background(), []string{class}, t.TempDir(), grading.CollectOptions{Deadline: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range subs {
		got[s.Name] = version(t, s) + " " + s.Commit
	}
	want := map[string]string{"anna": "v2 " + v2, "ben": "v2 " + v2, "chris": "chris ", "dana": "dana ", "eve": "v2 " + v2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("collected %v, want %v", got, want)
	}
}

// TestGitHostileRepository: a repository with links or paths that lead
// outside cannot write outside the work folder; links inside are kept.
func TestGitHostileRepository(t *testing.T) {
	needGit(t)
	outside := t.TempDir()
	mkfile(t, filepath.Join(outside, "secret.txt"), "secret")
	dir := t.TempDir()

	// hostile builds a repository from a tree given as git mktree lines;
	// {blob:TEXT} stands for a blob with TEXT, {tree:LINES} for a subtree.
	newRepo := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		git(t, p, dateV1, "init", "-q")
		return p
	}
	blob := func(repo, text string) string {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir, cmd.Stdin = repo, strings.NewReader(text)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	tree := func(repo string, lines ...string) string {
		cmd := exec.Command("git", "mktree")
		cmd.Dir, cmd.Stdin = repo, strings.NewReader(strings.Join(lines, "\n")+"\n")
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	commitTree := func(repo, tree string) {
		c := git(t, repo, dateV1, "commit-tree", "-m", "hostile", tree)
		git(t, repo, dateV1, "update-ref", "refs/heads/main", c)
	}
	file := func(repo, name, text string) string { return "100644 blob " + blob(repo, text) + "\t" + name }
	link := func(repo, name, target string) string { return "120000 blob " + blob(repo, target) + "\t" + name }
	sub := func(repo, name string, lines ...string) string {
		return "040000 tree " + tree(repo, lines...) + "\t" + name
	}

	type tc struct {
		name string
		repo string
		want string // in the problem; "" for a submission that is fine
	}
	var cases []tc
	{ // A link to an absolute path outside, committed the usual way.
		r := newRepo("absolute-link")
		mkfile(t, filepath.Join(r, "index.html"), "<h1>x</h1>")
		if err := os.Symlink(outside, filepath.Join(r, "data")); err != nil {
			t.Fatal(err)
		}
		git(t, r, dateV1, "add", "-A")
		git(t, r, dateV1, "commit", "-q", "-m", "link")
		cases = append(cases, tc{"absolute link", r, "outside the submission"})
	}
	{ // A link that climbs out, and a file written through it.
		r := newRepo("climbing-link")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), link(r, "up", "../../../.."), sub(r, "up", file(r, "pwned", "pwned"))))
		cases = append(cases, tc{"climbing link", r, "outside the submission"})
	}
	{ // A link to an absolute folder with a file under the same name.
		r := newRepo("link-then-file")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), link(r, "data", outside), sub(r, "data", file(r, "pwned", "pwned"))))
		cases = append(cases, tc{"link then a file through it", r, "outside the submission"})
	}
	{ // Links that each stay inside but lead outside together.
		r := newRepo("chained-links")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), sub(r, "a", link(r, "up", "..")), link(r, "t", "a/up/.."), sub(r, "t", file(r, "pwned", "pwned"))))
		cases = append(cases, tc{"chained links", r, "entry"})
	}
	{ // Links that each stay inside but lead outside together, nothing written through them.
		r := newRepo("chained-links-only")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), sub(r, "a", link(r, "up", "..")), link(r, "t", "a/up/..")))
		cases = append(cases, tc{"chained links only", r, "does not stay inside the submission"})
	}
	{ // A ../ path in a tree (git itself refuses to export it).
		r := newRepo("dotdot")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), sub(r, "..", file(r, "pwned", "pwned"))))
		cases = append(cases, tc{"../ path", r, "repository refused"})
	}
	{ // A link inside the submission is fine.
		r := newRepo("inside-link")
		commitTree(r, tree(r, file(r, "index.html", "<h1>x</h1>"), link(r, "home.html", "index.html"), sub(r, "js", link(r, "app.js", "../index.html"))))
		cases = append(cases, tc{"link inside", r, ""})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			work := t.TempDir()
			subs, err := grading.Collect(context.Background(), []string{c.repo}, work, grading.CollectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := subs[0]
			t.Logf("problem: %s", s.Problem)
			switch {
			case c.want == "" && s.Problem.EN != "":
				t.Errorf("problem %q, want none", s.Problem)
			case c.want != "" && !strings.Contains(s.Problem.EN, c.want):
				t.Errorf("problem %q, want it to say %q", s.Problem, c.want)
			case c.want != "" && (s.Problem.DE == "" || s.Problem.DE == s.Problem.EN):
				t.Errorf("problem %q has no German (reports in German show it)", s.Problem.EN)
			}
			for _, p := range []string{filepath.Join(outside, "pwned"), filepath.Join(work, "pwned"), filepath.Join(filepath.Dir(work), "pwned")} {
				if _, err := os.Lstat(p); err == nil {
					t.Fatalf("the repository wrote %s outside its folder", p)
				}
			}
			if b, err := os.ReadFile(filepath.Join(outside, "secret.txt")); err != nil || string(b) != "secret" {
				t.Fatalf("the file outside changed: %q %v", b, err)
			}
			if c.want == "" {
				b, err := os.ReadFile(filepath.Join(s.AppDir, "js", "app.js"))
				if err != nil || string(b) != "<h1>x</h1>" {
					t.Errorf("the link inside does not lead to index.html: %q %v", b, err)
				}
			}
		})
	}
}

// TestGitArchiveUntar: Untar keeps to Unzip's rules whatever the archive
// holds.
func TestGitArchiveUntar(t *testing.T) {
	type item struct {
		name, body, link string
		kind             byte
	}
	lim := grading.Limits{MaxEntries: 4, MaxTotal: 100, MaxFile: 60, MaxRatio: 200}
	for _, tc := range []struct {
		name  string
		items []item
		want  string // in the error; "" for none
	}{
		{"plain", []item{{name: "public/", kind: tar.TypeDir}, {name: "public/index.html", body: "<h1>x</h1>"}, {name: "public/home.html", link: "index.html", kind: tar.TypeSymlink}}, ""},
		{"dot dot", []item{{name: "../pwned", body: "x"}}, "would land outside"},
		{"deep dot dot", []item{{name: "a/../../pwned", body: "x"}}, "would land outside"},
		{"absolute", []item{{name: "/tmp/pwned", body: "x"}}, "would land outside"},
		{"absolute link", []item{{name: "l", link: "/etc", kind: tar.TypeSymlink}}, "outside the submission"},
		{"climbing link", []item{{name: "a/l", link: "../../etc", kind: tar.TypeSymlink}}, "outside the submission"},
		{"write through links", []item{{name: "a/up", link: "..", kind: tar.TypeSymlink}, {name: "t", link: "a/up/..", kind: tar.TypeSymlink}, {name: "t/pwned", body: "x"}}, `entry "t/pwned"`},
		{"links leading outside together", []item{{name: "a/up", link: "..", kind: tar.TypeSymlink}, {name: "t", link: "a/up/..", kind: tar.TypeSymlink}}, "does not stay inside"},
		{"hard link", []item{{name: "h", link: "/etc/passwd", kind: tar.TypeLink}}, "not a plain file"},
		{"device", []item{{name: "d", kind: tar.TypeChar}}, "not a plain file"},
		{"too many entries", []item{{name: "1", body: "x"}, {name: "2", body: "x"}, {name: "3", body: "x"}, {name: "4", body: "x"}, {name: "5", body: "x"}}, "more than the 4 entries"},
		{"file too big", []item{{name: "big", body: strings.Repeat("x", 61)}}, "more than 60"},
		{"too much in all", []item{{name: "1", body: strings.Repeat("x", 50)}, {name: "2", body: strings.Repeat("x", 51)}}, "more than the 100 bytes"},
		{"not a tar", nil, "not a readable tar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if tc.items != nil {
				tw := tar.NewWriter(&buf)
				for _, it := range tc.items {
					h := &tar.Header{Name: it.name, Typeflag: it.kind, Linkname: it.link, Mode: 0o644, Size: int64(len(it.body))}
					if it.kind == 0 {
						h.Typeflag = tar.TypeReg
					}
					if h.Typeflag != tar.TypeReg {
						h.Size = 0
					}
					if err := tw.WriteHeader(h); err != nil {
						t.Fatal(err)
					}
					if _, err := tw.Write([]byte(it.body)); err != nil && h.Typeflag == tar.TypeReg {
						t.Fatal(err)
					}
				}
				if err := tw.Close(); err != nil {
					t.Fatal(err)
				}
			} else {
				buf.WriteString(strings.Repeat("garbage ", 100))
			}
			parent := t.TempDir()
			dest := filepath.Join(parent, "sub")
			if err := os.Mkdir(dest, 0o755); err != nil {
				t.Fatal(err)
			}
			err := grading.Untar(&buf, dest, lim)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Untar: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Untar: %v, want an error saying %q", err, tc.want)
			}
			if _, err := os.Lstat(filepath.Join(parent, "pwned")); err == nil {
				t.Error("Untar wrote outside its folder")
			}
		})
	}
}

// TestGitMissing: without the git command a repository stops the class
// with what to install; folders still work.
func TestGitMissing(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	studentRepository(t, filepath.Join(dir, "anna"))
	mkfile(t, filepath.Join(dir, "chris", "index.html"), "<h1>chris</h1>")
	t.Setenv("PATH", t.TempDir())
	_, err := grading.Collect(context.Background(), []string{filepath.Join(dir, "anna")}, t.TempDir(), grading.CollectOptions{})
	if !errors.Is(err, grading.ErrNoGit) || !strings.Contains(err.Error(), "install git") {
		t.Errorf("Collect without git: %v, want ErrNoGit", err)
	}
	subs, err := grading.Collect(context.Background(), []string{filepath.Join(dir, "chris")}, t.TempDir(), grading.CollectOptions{})
	if err != nil || len(subs) != 1 || subs[0].Problem.EN != "" {
		t.Errorf("an app folder without git: %+v, %v", subs, err)
	}
}

func TestGitParseDeadline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-20T23:59:00+01:00", time.Date(2026, 11, 20, 22, 59, 0, 0, time.UTC), true},
		{"2026-11-20T23:59:00Z", time.Date(2026, 11, 20, 23, 59, 0, 0, time.UTC), true},
		{"2026-11-20 23:59", time.Date(2026, 11, 20, 23, 59, 0, 0, time.Local), true},
		{" 2026-11-20 23:59 ", time.Date(2026, 11, 20, 23, 59, 0, 0, time.Local), true},
		{"2026-11-20", time.Time{}, false},
		{"friday", time.Time{}, false},
	} {
		got, err := grading.ParseDeadline(tc.in)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDeadline(%q) = %v, %v; want %v (ok: %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
