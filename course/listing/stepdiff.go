package listing

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
)

// FileStatus says how a step changed a file.
type FileStatus string

// The ways a step changes a file (checkpoints only add or change files).
const (
	FileAdded    FileStatus = "added"
	FileModified FileStatus = "modified"
)

// DiffLine is a diff line with the code highlighted.
type DiffLine struct {
	Op
	HTML template.HTML
}

// FileDiff is what a step changed in one file.
type FileDiff struct {
	Path   string
	Status FileStatus
	Binary bool
	// Hunks are the changes with three lines of context.
	Hunks [][]DiffLine
	// Added and Removed count lines.
	Added, Removed int
}

// Files lists every file of a checkpoint (slash-separated, sorted).
func (l *Library) Files(step string) ([]string, error) {
	fsys, err := l.src.Checkpoint(step)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", step, err)
	}
	var out []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list checkpoint %s: %w", step, err)
	}
	return out, nil
}

// StepDiff compares a checkpoint with the one before it: every file that
// is new or whose content changed (marker lines do not count). The first
// checkpoint has no diff.
func (l *Library) StepDiff(step string) ([]FileDiff, error) {
	prev, err := l.Previous(step)
	if err != nil || prev == "" {
		return nil, err
	}
	names, err := l.Files(step)
	if err != nil {
		return nil, err
	}
	var out []FileDiff
	for _, name := range names {
		d, changed, err := l.fileDiff(prev, step, name)
		if err != nil {
			return nil, err
		}
		if changed {
			out = append(out, d)
		}
	}
	return out, nil
}

func (l *Library) fileDiff(prev, step, name string) (FileDiff, bool, error) {
	cur, err := l.read(step, name)
	if err != nil {
		return FileDiff{}, false, err
	}
	old, err := l.read(prev, name)
	if err != nil {
		return FileDiff{}, false, err
	}
	d := FileDiff{Path: name, Status: FileModified, Binary: cur.binary}
	if !old.exists {
		d.Status = FileAdded
	}
	if cur.binary || old.binary {
		d.Binary = true
		return d, !old.exists || !bytes.Equal(old.raw, cur.raw), nil
	}
	var ops []Op
	if old.exists {
		ops = Diff(old.lines, cur.lines)
	} else {
		ops = Diff(nil, cur.lines)
	}
	newHTML := l.highlighted(step, name, cur)
	var oldHTML []template.HTML
	if old.exists {
		oldHTML = l.highlighted(prev, name, old)
	}
	for _, h := range Hunks(ops, 3) {
		lines := make([]DiffLine, len(h))
		for i, op := range h {
			lines[i].Op = op
			switch op.Kind {
			case Removed:
				lines[i].HTML = oldHTML[op.Old-1]
				d.Removed++
			case Added:
				lines[i].HTML = newHTML[op.New-1]
				d.Added++
			default:
				lines[i].HTML = newHTML[op.New-1]
			}
		}
		d.Hunks = append(d.Hunks, lines)
	}
	return d, len(d.Hunks) > 0 || !old.exists, nil
}

// AddedLines returns the line numbers of a file that a step's diff adds
// (the "+" lines), for comparing with the lines a listing marks.
func (d FileDiff) AddedLines() map[int]bool {
	out := map[int]bool{}
	for _, h := range d.Hunks {
		for _, l := range h {
			if l.Kind == Added {
				out[l.New] = true
			}
		}
	}
	return out
}
