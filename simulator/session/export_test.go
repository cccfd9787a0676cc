package session

import (
	"context"
	"time"
)

// PageString evaluates expr in the app's newest tab (for the tests).
func PageString(ctx context.Context, s *Session, expr string) (string, error) {
	return eval[string](ctx, s, expr)
}

// Acted is when the checks last did something the app may react to.
func Acted(s *Session) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acted
}

// HarnessScript names src as one of the checks' own scripts (for the tests).
func HarnessScript(name, src string) string { return harnessScript(name, src) }
