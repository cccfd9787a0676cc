package site

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"synclab/checks/catalog"
	"synclab/course/content"
	"synclab/course/listing"
	"synclab/course/pictures"
	"synclab/course/reveal"
	"synclab/frontend"
)

// RepoOptions say how RepoSources finds what is not in the binary.
type RepoOptions struct {
	// Vendor holds the app's npm libraries (frontend.Vendor); nil loads
	// them. They go into the ZIPs.
	Vendor fs.FS
	// Install runs "npm ci" where libraries are missing.
	Install bool
	// NoSlides builds the course without the decks (no reveal.js needed).
	NoSlides bool
	Logger   *slog.Logger
}

// RepoSources are this repository's chapters, decks, pictures and
// checkpoints, with reveal.js and the app's libraries from npm.
func RepoSources(ctx context.Context, o RepoOptions) (Sources, error) {
	steps, err := frontend.Steps()
	if err != nil {
		return Sources{}, err
	}
	checks, err := StepChecks()
	if err != nil {
		return Sources{}, err
	}
	lib, err := listing.New(listing.Frontend())
	if err != nil {
		return Sources{}, err
	}
	vendor := o.Vendor
	if vendor == nil {
		if vendor, err = frontend.Vendor(ctx, frontend.VendorOptions{Install: o.Install, Logger: o.Logger}); err != nil {
			return Sources{}, fmt.Errorf("the app's libraries for the downloads: %w", err)
		}
	}
	src := Sources{
		Chapters: content.FS(),
		Pictures: pictures.FS(),
		Listings: lib,
		Steps:    steps,
		Checks:   checks,
		App:      func(step string) (fs.FS, error) { return frontend.App(step, vendor) },
	}
	if !o.NoSlides {
		if src.Reveal, err = reveal.Load(ctx, reveal.Options{Install: o.Install, Logger: o.Logger}); err != nil {
			return Sources{}, err
		}
		src.Decks = content.Decks()
	}
	return src, nil
}

// StepChecks lists, for each checkpoint, the graded checks of its step
// (frontend/checks.json, read by checks/catalog), in the chapter's order.
func StepChecks() (map[string][]Check, error) {
	c, err := catalog.Load()
	if err != nil {
		return nil, fmt.Errorf("the checks of the steps: %w", err)
	}
	out := map[string][]Check{}
	for _, ch := range c.Checks {
		out[ch.Step] = append(out[ch.Step], Check{ID: ch.ID, Title: ch.Title})
	}
	return out, nil
}
