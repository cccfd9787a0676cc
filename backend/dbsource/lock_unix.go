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
	"time"
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

// removeStaleTempDirs removes the temporary data folders that earlier runs
// left when they were killed before they could clean up (kill -9, a
// crash): nobody holds their lock any more. A folder younger than a minute
// is left alone, as its owner may not have locked it yet.
func removeStaleTempDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "synclab-mongo-*"))
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() || time.Since(info.ModTime()) < time.Minute {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, "synclab.lock"), os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			_ = os.RemoveAll(dir)
		}
		_ = f.Close()
	}
}
