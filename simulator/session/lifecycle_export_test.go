package session

import (
	"context"
	"time"

	"github.com/chromedp/chromedp"
)

// WorkerFetches reports whether the service worker the session is attached
// to (attaching to the active version if needed) gets an answer from the
// backend: false while it is offline.
func WorkerFetches(ctx context.Context, s *Session) (bool, error) {
	sw, err := s.worker(ctx)
	if err != nil {
		return false, err
	}
	cctx, cancel := withDeadline(ctx, sw.ctx, 5*time.Second)
	defer cancel()
	return chromedp.Run(cctx, chromedp.Evaluate[bool](`fetch('`+APIOrigin+`/posts', { cache: 'no-store' }).then(() => true, () => false)`, chromedp.EvalAwaitPromise))
}

// AttachedToActiveVersion reports whether the session is attached to the
// active version's worker.
func AttachedToActiveVersion(s *Session) bool {
	active := s.activeTarget()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sw != nil && active != "" && s.sw.id == active
}
