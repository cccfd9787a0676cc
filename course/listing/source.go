package listing

import (
	"io/fs"
	"slices"

	"synclab/frontend"
)

// Source gives the app's own files at each checkpoint.
type Source interface {
	// Steps lists the checkpoint ids in order.
	Steps() ([]string, error)
	// Checkpoint returns the app's files at step id.
	Checkpoint(id string) (fs.FS, error)
}

// Frontend is the chapter's checkpoints (package frontend).
func Frontend() Source { return frontendSource{} }

type frontendSource struct{}

func (frontendSource) Steps() ([]string, error) {
	steps, err := frontend.Steps()
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(steps))
	for i, s := range steps {
		ids[i] = s.ID
	}
	return ids, nil
}

func (frontendSource) Checkpoint(id string) (fs.FS, error) { return frontend.Checkpoint(id) }

// MapSource is a Source held in memory, for tests: step id → its files
// (each step complete, not only what it changes). Steps are in id order.
type MapSource map[string]fs.FS

// Steps implements Source.
func (m MapSource) Steps() ([]string, error) {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// Checkpoint implements Source.
func (m MapSource) Checkpoint(id string) (fs.FS, error) {
	f, ok := m[id]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return f, nil
}
