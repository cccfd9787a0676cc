package frontend

import (
	"errors"
	"io/fs"
	"slices"
)

// overlayFS shows several file systems as one: a file comes from the first
// layer that has it; a folder lists what all layers have.
type overlayFS struct {
	layers []fs.FS
}

// Overlay returns layers as one fs.FS, the first layer on top.
func Overlay(layers ...fs.FS) fs.FS {
	return overlayFS{layers: layers}
}

// Open implements fs.FS.
func (o overlayFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for _, l := range o.layers {
		f, err := l.Open(name)
		if err == nil {
			if st, serr := f.Stat(); serr == nil && st.IsDir() {
				entries, rerr := o.ReadDir(name)
				if rerr != nil {
					_ = f.Close()
					return nil, rerr
				}
				return &mergedDir{File: f, dirList: dirList{entries: entries}}, nil
			}
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadDir implements fs.ReadDirFS: the union of every layer's entries, the
// upper layer winning when two have the same name.
func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, l := range o.layers {
		entries, err := fs.ReadDir(l, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int {
		switch {
		case a.Name() < b.Name():
			return -1
		case a.Name() > b.Name():
			return 1
		}
		return 0
	})
	return out, nil
}

// mergedDir is a folder of the overlay: the top layer's folder, listing the
// entries of all layers.
type mergedDir struct {
	fs.File
	dirList
}
