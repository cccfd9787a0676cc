package screens

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"synclab/course/diagram"
	"synclab/course/listing"
	"synclab/course/pictures"
	"synclab/simulator/browser"
)

// GenerateOptions say what Generate makes and from what.
type GenerateOptions struct {
	// Source gives the checkpoints' files (for the manifest's hashes).
	Source listing.Source
	// App returns a complete checkpoint (app and libraries) to run.
	App func(step string) (fs.FS, error)
	// Browser runs the screenshots; nil launches one.
	Browser *browser.Browser
	// Progress, if set, hears of each picture made.
	Progress func(name string, d time.Duration)
}

// Generate makes every picture in dir (the course/pictures folder): the
// diagrams from their descriptions, the screenshots with the simulator,
// then the manifest.
func Generate(ctx context.Context, dir string, o GenerateOptions) error {
	if o.Progress == nil {
		o.Progress = func(string, time.Duration) {}
	}
	if err := os.MkdirAll(filepath.Join(dir, "screens"), 0o755); err != nil {
		return err
	}
	m := pictures.Manifest{Command: pictures.Command, Checkpoints: map[string]string{}, Screens: map[string]string{}}
	flows := diagram.Flows()
	for _, name := range slices.Sorted(maps.Keys(flows)) {
		start := time.Now()
		svg, err := flows[name].SVG()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), svg, 0o644); err != nil {
			return err
		}
		m.Diagrams = append(m.Diagrams, name)
		o.Progress(name, time.Since(start))
	}
	scenes, err := Scenes()
	if err != nil {
		return err
	}
	b := o.Browser
	if b == nil {
		if b, err = browser.Launch(ctx, browser.Options{}); err != nil {
			return err
		}
		defer b.Close()
	}
	for _, sc := range scenes {
		start := time.Now()
		app, err := o.App(sc.Step)
		if err != nil {
			return err
		}
		png, err := Take(ctx, b, app, sc)
		if err != nil {
			return err
		}
		name := "screens/" + sc.Name
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), png, 0o644); err != nil {
			return err
		}
		m.Screens[name] = sc.Step
		if _, ok := m.Checkpoints[sc.Step]; !ok {
			if m.Checkpoints[sc.Step], err = pictures.CheckpointHash(o.Source, sc.Step); err != nil {
				return err
			}
		}
		o.Progress(name, time.Since(start))
	}
	mb, err := m.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, pictures.ManifestName), mb, 0o644)
}
