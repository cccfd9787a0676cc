// Package command holds what every Sync Lab command does alike at its
// ends: Ctrl-C, SIGTERM and a closed terminal (SIGHUP) cancel its context,
// and a command a signal ended exits with Interrupted, whatever it was
// doing (a server that stopped cleanly, checks cut short, a site half
// built).
package command

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Interrupted is the exit code of a command a signal ended: 128 + SIGINT,
// as shells report Ctrl-C.
const Interrupted = 130

// Run calls run with a context that Ctrl-C, SIGTERM or SIGHUP cancels and
// returns run's exit code, or Interrupted when such a signal arrived
// while it ran. A cancellation of ctx itself is not a signal: run's code
// stands.
func Run(ctx context.Context, run func(ctx context.Context) int) int {
	sctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	code := run(sctx)
	if sctx.Err() != nil && ctx.Err() == nil {
		return Interrupted
	}
	return code
}

// Main is Run for a program's main function: it exits the process with
// the code.
func Main(run func(ctx context.Context) int) {
	os.Exit(Run(context.Background(), run))
}
