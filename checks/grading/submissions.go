// Package grading grades a class: it finds the submissions (folders and
// .zip files, unpacked with limits so that a hostile archive cannot escape
// or explode), runs the chapter's checks on each in its own browser
// contexts, retries what the environment broke, and writes grades and
// reports.
package grading

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
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
	Problem string
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

// Collect turns the arguments into submissions, unpacking archives into
// work (a temporary folder the caller removes). An argument may be one
// submission (a folder with an app, or a .zip) or a folder of them.
func Collect(args []string, work string, lim Limits) ([]Submission, error) {
	var subs []Submission
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("submission %s: %w", a, err)
		}
		switch {
		case !st.IsDir():
			subs = append(subs, fromFile(a, work, lim))
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
				if e.IsDir() {
					subs = append(subs, fromDir(p))
				} else {
					subs = append(subs, fromFile(p, work, lim))
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
		s.Problem = "no app found: " + describe(dir)
	}
	return s
}

func fromFile(file, work string, lim Limits) Submission {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	s := Submission{Name: name, Source: file}
	if !strings.EqualFold(filepath.Ext(file), ".zip") {
		s.Problem = "not a folder or a .zip file"
		return s
	}
	dest, err := os.MkdirTemp(work, "sub-*")
	if err != nil {
		s.Problem = "cannot unpack: " + err.Error()
		return s
	}
	if err := Unzip(file, dest, lim); err != nil {
		s.Problem = "archive refused: " + err.Error()
		return s
	}
	if app := findApp(dest); app != "" {
		s.AppDir = app
	} else {
		s.Problem = "no app found in the archive: " + describe(dest)
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
func describe(dir string) string {
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
		return "the folder is empty"
	}
	if len(names) > 8 {
		names = append(names[:8], fmt.Sprintf("… (%d more)", len(names)-8))
	}
	return "found " + strings.Join(names, ", ") + " but no index.html"
}

// Unzip unpacks file into dest, refusing entries that would land outside
// dest (../, absolute paths), links, and archives beyond the limits (too
// many entries, too big, or compressed suspiciously well).
func Unzip(file, dest string, lim Limits) error {
	r, err := zip.OpenReader(file)
	if err != nil {
		return fmt.Errorf("not a readable .zip: %w", err)
	}
	defer r.Close()
	if len(r.File) > lim.MaxEntries {
		return fmt.Errorf("%d entries, more than the %d allowed", len(r.File), lim.MaxEntries)
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	var total int64
	for _, f := range r.File {
		name := f.Name
		clean := path.Clean(strings.ReplaceAll(name, `\`, "/"))
		if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || filepath.IsAbs(name) || strings.Contains(name, ":") {
			return fmt.Errorf("entry %q would land outside the submission", name)
		}
		mode := f.Mode()
		if mode&fs.ModeSymlink != 0 {
			return fmt.Errorf("entry %q is a symbolic link", name)
		}
		if f.FileInfo().IsDir() {
			if err := root.MkdirAll(clean, 0o755); err != nil {
				return err
			}
			continue
		}
		if !mode.IsRegular() {
			return fmt.Errorf("entry %q is not a plain file", name)
		}
		if int64(f.UncompressedSize64) > lim.MaxFile {
			return fmt.Errorf("entry %q is %d bytes, more than %d", name, f.UncompressedSize64, lim.MaxFile)
		}
		if f.CompressedSize64 > 0 && int64(f.UncompressedSize64/f.CompressedSize64) > lim.MaxRatio {
			return fmt.Errorf("entry %q expands %d times (a zip bomb?)", name, f.UncompressedSize64/f.CompressedSize64)
		}
		if dir := path.Dir(clean); dir != "." {
			if err := root.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		n, err := copyEntry(root, clean, f, lim.MaxFile, lim.MaxTotal-total)
		total += n
		if err != nil {
			return err
		}
	}
	return nil
}

// copyEntry writes one entry, stopping at the limits whatever the header
// claimed.
func copyEntry(root *os.Root, name string, f *zip.File, maxFile, budget int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	defer rc.Close()
	out, err := root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	defer out.Close()
	limit := min(maxFile, budget)
	n, err := io.Copy(out, io.LimitReader(rc, limit+1))
	if err != nil {
		return n, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	if n > limit {
		if budget < maxFile {
			return n, fmt.Errorf("the archive unpacks to more than the %d bytes allowed", budget)
		}
		return n, fmt.Errorf("entry %q is bigger than the %d bytes allowed", f.Name, maxFile)
	}
	return n, nil
}
