// Command course builds the Sync Lab course: the chapters in German and
// English, the step browser and the slides, as one static site.
//
//	go run ./course                 build and check everything, write nothing
//	go run ./course -out site/      write the site for hosting (GitHub Pages)
//	go run ./course -pictures       make the diagrams and screenshots again
//
// A listing whose checkpoint, file or region is missing, a picture or link
// that does not resolve, and chapters whose languages differ fail the build
// with the Markdown file and line.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"synclab/command"
	"synclab/course/listing"
	"synclab/course/pictures"
	"synclab/course/screens"
	"synclab/course/site"
	"synclab/frontend"
)

func main() {
	command.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("course", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		out      = fset.String("out", "", "write the site (course, step browser, slides) into `DIR`")
		langs    = fset.String("lang", "de,en", "languages to build, comma-separated (German is the first language)")
		pics     = fset.Bool("pictures", false, "make the pictures again (diagrams and screenshots with the simulator) in course/pictures")
		noSlides = fset.Bool("no-slides", false, "build the course without the slides")
	)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./course [-out DIR] [-lang de,en] [-pictures]\n\nBuilds and checks the course; -out writes it as a static site.\n\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{Install: true, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "course:", err)
		return 1
	}
	if *pics {
		if err := makePictures(ctx, vendor, stdout); err != nil {
			fmt.Fprintln(stderr, "course:", err)
			return 1
		}
		fmt.Fprintln(stdout, "Pictures made again; rebuild the site to use them (go run ./course -out DIR).")
		return 0
	}
	start := time.Now()
	src, err := site.RepoSources(ctx, site.RepoOptions{Vendor: vendor, Install: true, NoSlides: *noSlides, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "course:", err)
		return 1
	}
	s, err := site.Build(ctx, src, site.Options{Langs: strings.Split(*langs, ",")})
	if err != nil {
		fmt.Fprintf(stderr, "course: the course does not build:\n%v\n", err)
		return 1
	}
	if stale, err := pictures.Stale(pictures.FS(), listing.Frontend()); err == nil && len(stale) > 0 {
		fmt.Fprintf(stderr, "warning: pictures are out of date (%s); make them again with: %s\n", strings.Join(stale, "; "), pictures.Command)
	}
	fmt.Fprintf(stdout, "Built the course: %d files in %v.\n", len(s.Paths()), time.Since(start).Round(time.Millisecond))
	if *out == "" {
		fmt.Fprintln(stdout, "Nothing written; -out DIR writes the site, go run ./backend serves it on http://localhost:8000.")
		return 0
	}
	if err := s.WriteDir(*out); err != nil {
		fmt.Fprintln(stderr, "course:", err)
		return 1
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintf(stdout, "Wrote the site to %s (open index.html through a web server, e.g. GitHub Pages).\n", abs)
	return 0
}

// makePictures makes every picture again in this repository's
// course/pictures folder.
func makePictures(ctx context.Context, vendor fs.FS, stdout io.Writer) error {
	dir, err := picturesDir()
	if err != nil {
		return err
	}
	start := time.Now()
	err = screens.Generate(ctx, dir, screens.GenerateOptions{
		Source: listing.Frontend(),
		App:    func(step string) (fs.FS, error) { return frontend.App(step, vendor) },
		Progress: func(name string, d time.Duration) {
			fmt.Fprintf(stdout, "  %-34s %6d ms\n", name, d.Milliseconds())
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Made the pictures in %s in %v.\n", dir, time.Since(start).Round(time.Millisecond))
	return nil
}

// picturesDir finds course/pictures from the working directory upwards.
func picturesDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "course", "pictures", pictures.ManifestName)
		if _, err := os.Stat(p); err == nil {
			return filepath.Dir(p), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("cannot find course/pictures from %s: run this in the Sync Lab repository", wd)
		}
	}
}
