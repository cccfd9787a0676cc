//go:build unix

package dbsource

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDataDir takes an exclusive lock on dir, so that two processes never
// run FerretDB on the same files (its metadata cache is per process).
func lockDataDir(dir string) (func() error, error) {
	path := filepath.Join(dir, "synclab.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		owner, _ := os.ReadFile(path)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := strings.TrimSpace(string(owner))
			if _, perr := strconv.Atoi(who); perr == nil {
				who = "process " + who
			} else {
				who = "another process"
			}
			return nil, &DataDirBusyError{Dir: dir, Owner: who}
		}
		return nil, fmt.Errorf("lock data folder %s: %w", dir, err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() error {
		_ = f.Truncate(0)
		return f.Close()
	}, nil
}
