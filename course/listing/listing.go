// Package listing turns a listing block — a checkpoint file and a region of
// it — into highlighted code with the file's real line numbers, marking the
// lines that changed since the previous checkpoint. It also compares whole
// checkpoints for the step browser. Nothing is typed by hand: the code comes
// from the checkpoints and the changes from a line diff.
package listing

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// Line is one shown line of a listing.
type Line struct {
	// Number is the line's real number in the checkpoint file.
	Number int
	Text   string
	// HTML is the line highlighted by chroma.
	HTML template.HTML
	// Changed marks a line that differs from the previous checkpoint.
	Changed bool
}

// Listing is a resolved listing: the lines to show.
type Listing struct {
	Spec Spec
	// Language is the chroma lexer's name.
	Language string
	// Previous is the checkpoint the changes are measured against ("" for
	// the first checkpoint, which changes nothing).
	Previous string
	// NewFile is set when the file did not exist at Previous.
	NewFile bool
	Lines   []Line
}

// Changed returns the numbers of the changed lines shown.
func (l *Listing) Changed() []int {
	var out []int
	for _, ln := range l.Lines {
		if ln.Changed {
			out = append(out, ln.Number)
		}
	}
	return out
}

// Blocks returns the runs of changed lines, each run being consecutive
// shown lines (a hidden marker line does not split a run).
func (l *Listing) Blocks() []Range {
	var out []Range
	for i, ln := range l.Lines {
		if !ln.Changed {
			continue
		}
		if i > 0 && l.Lines[i-1].Changed {
			out[len(out)-1].To = ln.Number
			continue
		}
		out = append(out, Range{ln.Number, ln.Number})
	}
	return out
}

// Library resolves listings against a Source, caching what it reads.
type Library struct {
	src   Source
	steps []string

	mu    sync.Mutex
	files map[fileKey]*file
}

type fileKey struct{ step, path string }

// file is one version of a file: its lines (nil and !exists when absent).
type file struct {
	exists bool
	binary bool
	raw    []byte
	lines  []string
	html   []template.HTML
}

// New returns a library reading src.
func New(src Source) (*Library, error) {
	steps, err := src.Steps()
	if err != nil {
		return nil, fmt.Errorf("list the checkpoints: %w", err)
	}
	if len(steps) == 0 {
		return nil, errors.New("there are no checkpoints")
	}
	return &Library{src: src, steps: steps, files: map[fileKey]*file{}}, nil
}

// Steps returns the checkpoint ids in order.
func (l *Library) Steps() []string { return slices.Clone(l.steps) }

// Previous returns the checkpoint before step ("" for the first).
func (l *Library) Previous(step string) (string, error) {
	i := slices.Index(l.steps, step)
	if i < 0 {
		return "", fmt.Errorf("no checkpoint %q (there are %s)", step, strings.Join(l.steps, ", "))
	}
	if i == 0 {
		return "", nil
	}
	return l.steps[i-1], nil
}

// read returns a version of a file, cached.
func (l *Library) read(step, name string) (*file, error) {
	k := fileKey{step, name}
	l.mu.Lock()
	f, ok := l.files[k]
	l.mu.Unlock()
	if ok {
		return f, nil
	}
	fsys, err := l.src.Checkpoint(step)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", step, err)
	}
	f = &file{}
	b, err := fs.ReadFile(fsys, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read %s at checkpoint %s: %w", name, step, err)
	default:
		f.exists, f.raw = true, b
		f.binary = isBinary(b)
		if !f.binary {
			f.lines = SplitLines(b)
		}
	}
	l.mu.Lock()
	l.files[k] = f
	l.mu.Unlock()
	return f, nil
}

// highlighted returns a file's lines as HTML, cached.
func (l *Library) highlighted(step, name string, f *file) []template.HTML {
	l.mu.Lock()
	h := f.html
	l.mu.Unlock()
	if h != nil {
		return h
	}
	h = highlight(name, f.lines)
	l.mu.Lock()
	f.html = h
	l.mu.Unlock()
	return h
}

func isBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0
}

// Load resolves a listing: the file at the spec's checkpoint, the region or
// line range, highlighted, with the lines changed since the previous
// checkpoint marked. A missing step, file, region or range is an error.
func (l *Library) Load(s Spec) (*Listing, error) {
	prev, err := l.Previous(s.Step)
	if err != nil {
		return nil, err
	}
	name := path.Clean(strings.TrimPrefix(s.File, "/"))
	cur, err := l.read(s.Step, name)
	if err != nil {
		return nil, err
	}
	if !cur.exists {
		return nil, fmt.Errorf("checkpoint %s has no file %s", s.Step, name)
	}
	if cur.binary {
		return nil, fmt.Errorf("%s at checkpoint %s is not a text file", name, s.Step)
	}
	from, to := s.From, s.To
	if s.Region != "" {
		regions, err := Regions(cur.lines)
		if err != nil {
			return nil, fmt.Errorf("%s at checkpoint %s: %w", name, s.Step, err)
		}
		r, ok := regions[s.Region]
		if !ok {
			return nil, fmt.Errorf("%s at checkpoint %s has no region %q (its regions: %s); mark it with a line \"#region %s\" … \"#endregion\" in a comment",
				name, s.Step, s.Region, RegionNames(regions), s.Region)
		}
		from, to = r.From, r.To
	} else if to > len(cur.lines) {
		return nil, fmt.Errorf("%s at checkpoint %s has %d lines, not lines %d-%d", name, s.Step, len(cur.lines), from, to)
	}

	out := &Listing{Spec: s, Language: Language(name), Previous: prev}
	changed := map[int]bool{}
	if prev != "" {
		old, err := l.read(prev, name)
		if err != nil {
			return nil, err
		}
		out.NewFile = !old.exists
		changed = ChangedLines(old.lines, cur.lines, old.exists)
	}
	html := l.highlighted(s.Step, name, cur)
	for n := from; n <= to; n++ {
		text := cur.lines[n-1]
		if IsMarker(text) {
			continue
		}
		out.Lines = append(out.Lines, Line{Number: n, Text: text, HTML: html[n-1], Changed: changed[n]})
	}
	if len(out.Lines) == 0 {
		return nil, fmt.Errorf("%s at checkpoint %s: %s holds no lines", name, s.Step, describe(s))
	}
	return out, nil
}

func describe(s Spec) string {
	if s.Region != "" {
		return "region " + s.Region
	}
	return fmt.Sprintf("lines %d-%d", s.From, s.To)
}
