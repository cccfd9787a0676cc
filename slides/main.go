// Command slides shows the lecture's slide deck (reveal.js) in German or
// English, writes it as a static site, or prints it to PDF.
//
//	go run ./slides                     serve the deck and print its URL
//	go run ./slides -out DIR            write deck and course as a static site
//	go run ./slides -pdf FILE [-notes]  print the deck (with speaker notes)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"synclab/command"
	"synclab/course/site"
	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/slides/pdf"
)

func main() {
	command.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("slides", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		addr     = fset.String("addr", "localhost:8001", "address to serve the deck on")
		langFlag = fset.String("lang", lang.FromEnv(), "language of the deck: de or en")
		out      = fset.String("out", "", "write the deck (with the course it links to) as a static site into `DIR`")
		pdfFile  = fset.String("pdf", "", "print the deck to the PDF `FILE` with headless Chromium")
		notes    = fset.Bool("notes", false, "with -pdf: a handout with the speaker notes")
	)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./slides [-lang de|en] [-addr ADDR | -out DIR | -pdf FILE [-notes]]\n\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *langFlag != "de" && *langFlag != "en" {
		fmt.Fprintf(stderr, "slides: -lang %s: choose de or en\n", *langFlag)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	src, err := site.RepoSources(ctx, site.RepoOptions{Install: true, Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "slides:", err)
		return 1
	}
	s, err := site.Build(ctx, src, site.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "slides: the deck does not build:\n%v\n", err)
		return 1
	}
	deckPath := "slides/" + *langFlag + "/index.html"
	switch {
	case *out != "":
		if err := s.WriteDir(*out); err != nil {
			fmt.Fprintln(stderr, "slides:", err)
			return 1
		}
		fmt.Fprintf(stdout, "Wrote the site to %s; the deck is %s.\n", *out, filepath.Join(*out, filepath.FromSlash(deckPath)))
		return 0
	case *pdfFile != "":
		if err := printPDF(ctx, s, deckPath, *pdfFile, *notes, stdout); err != nil {
			fmt.Fprintln(stderr, "slides:", err)
			return 1
		}
		return 0
	}
	return serve(ctx, s, *addr, deckPath, *langFlag, stdout, stderr)
}

// serve shows the site until ctx ends.
func serve(ctx context.Context, s *site.Site, addr, deckPath, l string, stdout, stderr io.Writer) int {
	ln, err := command.Listen(addr, lang.Text{DE: "Der Foliensatz", EN: "the deck"}, "-addr")
	if err != nil {
		fmt.Fprintln(stderr, "slides:", command.Explain(err, l))
		return 1
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host, _, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	fmt.Fprintf(stdout, "Slides: http://%s/%s\n  speaker notes: press S; full screen: F; overview: Esc\nPress Ctrl-C to stop.\n", net.JoinHostPort(host, port), deckPath)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "slides:", err)
		return 1
	}
	return 0
}

// printPDF serves the site on a free port and prints the deck.
func printPDF(ctx context.Context, s *site.Site, deckPath, file string, notes bool, stdout io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		return err
	}
	defer b.Close()
	doc, err := pdf.Print(ctx, b, "http://"+ln.Addr().String()+"/"+deckPath, pdf.Options{Notes: notes})
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s: %d pages.\n", file, pdf.Pages(doc))
	return nil
}
