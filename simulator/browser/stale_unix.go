//go:build unix

package browser

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// removeStaleProfiles removes the profiles (and Chromium's socket folders)
// that earlier runs left in the temp folder when they were killed before
// they could clean up (kill -9, a crash): their SingletonLock names a
// process of this machine that no longer runs. A profile without a lock is
// left alone for an hour, as it may be one that is just being created.
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "synclab-chrome-*"))
	host, _ := os.Hostname()
	for _, dir := range dirs {
		lock, err := os.Readlink(filepath.Join(dir, "SingletonLock"))
		if errors.Is(err, fs.ErrNotExist) {
			if info, serr := os.Stat(dir); serr == nil && time.Since(info.ModTime()) > time.Hour {
				_ = os.RemoveAll(dir)
			}
			continue
		}
		if err != nil {
			continue // another user's profile, or not ours to read
		}
		i := strings.LastIndex(lock, "-")
		if i < 0 || lock[:i] != host {
			continue
		}
		pid, err := strconv.Atoi(lock[i+1:])
		if err != nil || pid <= 0 || running(pid) {
			continue
		}
		removeSingletonDir(dir)
		_ = os.RemoveAll(dir)
	}
}

// running reports whether a process with this id exists.
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
