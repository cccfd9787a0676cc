//go:build race

package api_test

// raceDetector is true in a -race build. Tests that measure nothing but
// correctness do less work there: the detector itself sees the sharing
// bugs they look for, and -race makes the embedded database ~10× slower.
const raceDetector = true
