// Command synclab-checks grades the app in the current folder against the
// chapter "Hintergrundsynchronisation" in a real browser: the checks of
// synclab/checks/cli, installed to run where the student works. Built with
// the tag synclab_embed it carries the front-end libraries the checks
// serve, so it needs no clone, no Node.js and no environment variable:
//
//	go install -tags synclab_embed ./checks/synclab-checks   # once, in a clone after npm ci
//
//	synclab-checks                 # in your app folder (index.html or public/index.html)
//	synclab-checks -step 03        # the checks up to step 03
//	synclab-checks -watch          # again on every save
//	synclab-checks -robust         # with the robust step (08)
//	synclab-checks -only replay    # one check and what it needs
//
// Exit code 0: every selected check passed; 1: some did not; 2: the checks
// could not run (no browser, no database, bad flags): never the app's fault.
package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"synclab/checks/cli"
)

func main() {
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	if name == "" || name == "." {
		name = "synclab-checks"
	}
	os.Exit(cli.Main(context.Background(), name, os.Args[1:], os.Stdout, os.Stderr))
}
