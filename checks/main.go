// Command checks grades an app against the chapter in a real browser, in
// Sync Lab's repository (the command line itself is synclab/checks/cli;
// the installed command for the student's app folder is synclab-checks).
//
//	go run ./checks -app-dir ~/htw-insta           # your app (its root or its public/)
//	go run ./checks -app-dir ~/htw-insta -step 04  # the checks up to step 04
//	go run ./checks -step 03                       # the reference checkpoint 03
//	go run ./checks -app-dir ~/htw-insta -watch    # again on every save
//	go run ./checks grade -out grades/ submissions/ # a class: folders and .zip files
//	go run ./checks gradescope -o autograder.zip   # Gradescope's autograder bundle
//
// Exit code 0: every selected check passed; 1: some did not; 2: the checks
// could not run (no browser, no database, bad flags): never the app's fault;
// 130: stopped with Ctrl-C, SIGTERM or a closed terminal.
package main

import (
	"context"
	"os"

	"synclab/checks/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), "go run ./checks", os.Args[1:], os.Stdout, os.Stderr))
}
