//go:build !unix

package dbsource

// lockDataDir does nothing where flock is not available.
func lockDataDir(string) (func() error, error) { return func() error { return nil }, nil }

// removeStaleTempDirs does nothing where flock is not available.
func removeStaleTempDirs() {}
