package main

import (
	"context"
	"fmt"
	"io"

	"synclab/frontend"
	"synclab/lang"
)

func exportStep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export-step", stderr)
	force := fs.Bool("force", false, "overwrite files in a folder that is not empty")
	fs.Usage = func() {
		fmt.Fprint(stderr, lang.Say("Usage: go run ./backend export-step [-force] STEP DIR\n\nWrites checkpoint STEP (00 … 08, or latest) as a complete app folder to start from.\n\n",
			"Aufruf: go run ./backend export-step [-force] STEP DIR\n\nSchreibt Checkpoint STEP (00 … 08 oder latest) als vollständigen App-Ordner, mit dem du beginnen kannst.\n\n").In(argLang(args)))
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return usageError{lang.Err(lang.Say("export-step needs a step and a folder", "export-step braucht einen Schritt und einen Ordner"))}
	}
	step, err := frontend.FindStep(fs.Arg(0))
	if err != nil {
		return usageError{err}
	}
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{Install: true})
	if err != nil {
		return err
	}
	app, err := frontend.App(step.ID, vendor)
	if err != nil {
		return err
	}
	n, err := frontend.Export(app, fs.Arg(1), *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote checkpoint %s (%s) to %s: %d files.\nServe it with: go run ./backend -app-dir %s\n",
		step.ID, step.Title.In("de"), fs.Arg(1), n, fs.Arg(1))
	return nil
}
