//go:build !unix

package browser

// removeStaleProfiles does nothing where process ids cannot be checked.
func removeStaleProfiles() {}
