package session

import "context"

// PageString evaluates expr in the app's newest tab (for the tests).
func PageString(ctx context.Context, s *Session, expr string) (string, error) {
	return eval[string](ctx, s, expr)
}
