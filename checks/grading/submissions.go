// Package grading grades a class: it finds the submissions (folders, .zip
// files and git repositories, unpacked with limits so that a hostile
// archive cannot escape or explode), runs the chapter's checks on each in
// its own browser contexts, retries what the environment broke, reruns
// what failed to find flaky checks, and writes grades and reports.
package grading

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"synclab/lang"
)

// Submission is one student's app.
type Submission struct {
	// Name comes from the folder or file name.
	Name string
	// Source is where it came from (a folder or a .zip).
	Source string
	// AppDir is the folder holding index.html ("" when none was found).
	AppDir string
	// Problem says why the submission cannot be graded (no app found, a
	// hostile archive, …); it is the submission's result.
	Problem lang.Text `json:",omitzero"`
	// Commit is the graded commit of a git repository ("" otherwise).
	Commit string `json:",omitempty"`
	// CommitTime is when Commit was committed (its committer date).
	CommitTime time.Time `json:",omitzero"`
}

// Limits bound what an archive may unpack to.
type Limits struct {
	MaxEntries int
	MaxTotal   int64 // bytes, all files together
	MaxFile    int64 // bytes, one file
	// MaxRatio is the largest uncompressed/compressed ratio of one file.
	MaxRatio int64
}

// DefaultLimits are generous for an app with photos, tight for a bomb.
func DefaultLimits() Limits {
	return Limits{MaxEntries: 5000, MaxTotal: 200 << 20, MaxFile: 50 << 20, MaxRatio: 200}
}

// CollectOptions says how to turn arguments into submissions.
type CollectOptions struct {
	// Limits bound what an archive or a repository may unpack to
	// (DefaultLimits when zero).
	Limits Limits
	// Ref is the commit, branch or tag of a git repository to grade
	// ("HEAD" when empty).
	Ref string
	// Deadline, unless zero, grades a repository's newest commit on Ref
	// committed (committer date) before it.
	Deadline time.Time
}

// Collect turns the arguments into submissions, unpacking archives and
// exporting repositories into work (a temporary folder the caller
// removes). An argument may be one submission (a folder with an app, a
// .zip, a git repository, bare or not) or a folder of them. A student's
// trouble becomes the submission's Problem; the error is for what stops
// the whole class (an argument that does not exist, no git command, ctx).
func Collect(ctx context.Context, args []string, work string, opts CollectOptions) ([]Submission, error) {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	var subs []Submission
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("submission %s: %w", a, err)
		}
		switch {
		case !st.IsDir():
			subs = append(subs, fromFile(a, work, opts.Limits))
		case isRepository(a):
			s, err := fromRepository(ctx, a, work, opts)
			if err != nil {
				return nil, err
			}
			subs = append(subs, s)
		case isSubmission(a):
			subs = append(subs, fromDir(a))
		default:
			entries, err := os.ReadDir(a)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", a, err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					continue
				}
				p := filepath.Join(a, e.Name())
				switch {
				case !e.IsDir():
					subs = append(subs, fromFile(p, work, opts.Limits))
				case isRepository(p):
					s, err := fromRepository(ctx, p, work, opts)
					if err != nil {
						return nil, err
					}
					subs = append(subs, s)
				default:
					subs = append(subs, fromDir(p))
				}
			}
		}
	}
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Name < subs[j].Name })
	seen := map[string]int{}
	for i := range subs {
		seen[subs[i].Name]++
		if n := seen[subs[i].Name]; n > 1 {
			subs[i].Name = fmt.Sprintf("%s-%d", subs[i].Name, n)
		}
	}
	return subs, nil
}

func fromDir(dir string) Submission {
	s := Submission{Name: filepath.Base(dir), Source: dir}
	if app := findApp(dir); app != "" {
		s.AppDir = app
	} else {
		s.Problem = lang.Say("no app found: %s", "keine App gefunden: %s", describe(dir))
	}
	return s
}

func fromFile(file, work string, lim Limits) Submission {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	s := Submission{Name: name, Source: file}
	if !strings.EqualFold(filepath.Ext(file), ".zip") {
		s.Problem = lang.Say("not a folder or a .zip file", "weder ein Ordner noch eine .zip-Datei")
		return s
	}
	dest, err := os.MkdirTemp(work, "sub-*")
	if err != nil {
		s.Problem = lang.Say("cannot unpack: %s", "kann nicht entpacken: %s", err.Error())
		return s
	}
	if err := Unzip(file, dest, lim); err != nil {
		s.Problem = lang.Say("archive refused: %s", "Archiv abgelehnt: %s", refusalOf(err))
		return s
	}
	if app := findApp(dest); app != "" {
		s.AppDir = app
	} else {
		s.Problem = lang.Say("no app found in the archive: %s", "keine App im Archiv gefunden: %s", describe(dest))
	}
	return s
}

// isSubmission reports whether dir is one submission rather than a folder
// of them: it holds index.html (or public/index.html), or its only folder
// does.
func isSubmission(dir string) bool {
	for _, c := range []string{dir, filepath.Join(dir, "public")} {
		if isFile(filepath.Join(c, "index.html")) {
			return true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	var only string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.Name() == "__MACOSX" {
			continue
		}
		if !e.IsDir() || only != "" {
			return false
		}
		only = e.Name()
	}
	return only != "" && findApp(filepath.Join(dir, only)) != ""
}

func isFile(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular()
}

// findApp returns the folder with index.html: dir, its public/, or one
// folder deep (and its public/).
func findApp(dir string) string {
	candidates := []string{dir, filepath.Join(dir, "public")}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "node_modules" && e.Name() != "__MACOSX" {
				candidates = append(candidates, filepath.Join(dir, e.Name()), filepath.Join(dir, e.Name(), "public"))
			}
		}
	}
	for _, c := range candidates {
		if isFile(filepath.Join(c, "index.html")) {
			return c
		}
	}
	return ""
}

// describe lists what a folder holds instead of an app.
func describe(dir string) lang.Text {
	var names []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.Count(rel, string(filepath.Separator)) > 1 {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			rel += "/"
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if len(names) == 0 {
		return lang.Say("the folder is empty", "der Ordner ist leer")
	}
	more := lang.Text{}
	if len(names) > 8 {
		more = lang.Say(", … (%d more)", ", … (%d weitere)", len(names)-8)
		names = names[:8]
	}
	return lang.Say("found %s%s but no index.html", "vorhanden: %s%s, aber keine index.html", strings.Join(names, ", "), more)
}

// refusal is an archive's entry (or the archive) that breaks a rule or a
// limit: the student's doing, said in both languages.
type refusal struct {
	text lang.Text
	err  error // what it is, for errors.Is (may be nil)
}

func (r *refusal) Error() string   { return r.text.EN }
func (r *refusal) Unwrap() error   { return r.err }
func (r *refusal) Text() lang.Text { return r.text }

func refuse(t lang.Text) error { return &refusal{text: t} }

// entryFailed is an entry that could not be written (its name, then the
// system's words).
func entryFailed(name string, err error) error {
	return &refusal{text: lang.Say("entry %q: %s", "Eintrag %q: %s", name, err), err: err}
}

// refusalOf says err in both languages: a refusal's own words (or another
// error's that says itself), else the error as it is (the system's words).
func refusalOf(err error) lang.Text { return lang.Said(err) }

// Unzip unpacks file into dest, refusing entries that would land outside
// dest (../, absolute paths), links, and archives beyond the limits (too
// many entries, too big, or compressed suspiciously well).
func Unzip(file, dest string, lim Limits) error {
	r, err := zip.OpenReader(file)
	if err != nil {
		return refuse(lang.Say("not a readable .zip: %s", "keine lesbare .zip-Datei: %s", err))
	}
	defer r.Close()
	if len(r.File) > lim.MaxEntries {
		return refuse(lang.Say("%d entries, more than the %d allowed", "%d Einträge, mehr als die erlaubten %d", len(r.File), lim.MaxEntries))
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	var total int64
	for _, f := range r.File {
		name := f.Name
		clean, err := entryName(name)
		if err != nil {
			return err
		}
		mode := f.Mode()
		if mode&fs.ModeSymlink != 0 {
			return refuse(lang.Say("entry %q is a symbolic link", "Eintrag %q ist ein symbolischer Link", name))
		}
		if f.FileInfo().IsDir() {
			if err := root.MkdirAll(clean, 0o755); err != nil {
				return err
			}
			continue
		}
		if !mode.IsRegular() {
			return refuse(lang.Say("entry %q is not a plain file", "Eintrag %q ist keine gewöhnliche Datei", name))
		}
		if int64(f.UncompressedSize64) > lim.MaxFile {
			return refuse(lang.Say("entry %q is %d bytes, more than %d", "Eintrag %q hat %d Bytes, mehr als %d", name, f.UncompressedSize64, lim.MaxFile))
		}
		if f.CompressedSize64 > 0 && int64(f.UncompressedSize64/f.CompressedSize64) > lim.MaxRatio {
			return refuse(lang.Say("entry %q expands %d times (a zip bomb?)", "Eintrag %q wächst beim Entpacken auf das %d-Fache (eine Zip-Bombe?)", name, f.UncompressedSize64/f.CompressedSize64))
		}
		if dir := path.Dir(clean); dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		n, err := copyEntry(root, clean, f, lim, total)
		total += n
		if err != nil {
			return err
		}
	}
	return nil
}

// entryName cleans an archive entry's name, refusing one that would land
// outside the folder it is unpacked into (../, absolute paths, drives).
func entryName(name string) (string, error) {
	clean := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || filepath.IsAbs(name) || strings.Contains(name, ":") {
		return "", refuse(lang.Say("entry %q would land outside the submission", "Eintrag %q würde außerhalb der Abgabe landen", name))
	}
	return clean, nil
}

// copyEntry writes one entry, stopping at the limits whatever the header
// claimed.
func copyEntry(root *os.Root, name string, f *zip.File, lim Limits, used int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, entryFailed(f.Name, err)
	}
	defer rc.Close()
	return writeEntry(root, name, f.Name, rc, lim, used)
}

// writeEntry writes the file name (entry is its name in the archive) from
// r: at most lim.MaxFile bytes, and at most what is left of lim.MaxTotal
// after used bytes; more is an error.
func writeEntry(root *os.Root, name, entry string, r io.Reader, lim Limits, used int64) (int64, error) {
	out, err := root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, entryFailed(entry, err)
	}
	budget := max(lim.MaxTotal-used, 0)
	limit := min(lim.MaxFile, budget)
	n, err := io.Copy(out, io.LimitReader(r, limit+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, entryFailed(entry, err)
	}
	if n > limit {
		if budget < lim.MaxFile {
			return n, refuse(lang.Say("the archive unpacks to more than the %d bytes allowed", "entpackt ergibt das Archiv mehr als die erlaubten %d Bytes", lim.MaxTotal))
		}
		return n, refuse(lang.Say("entry %q is bigger than the %d bytes allowed", "Eintrag %q ist größer als die erlaubten %d Bytes", entry, lim.MaxFile))
	}
	return n, nil
}
