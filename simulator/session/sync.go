package session

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"synclab/lang"
	"synclab/simulator/trace"
)

// SyncTags returns the sync tags the app's registration still has pending
// (from the page: registration.sync.getTags()).
func (s *Session) SyncTags(ctx context.Context) ([]string, error) {
	return eval[[]string](ctx, s, `(async () => {
  if (!('serviceWorker' in navigator)) return [];
  const reg = await navigator.serviceWorker.ready;
  return reg.sync ? await reg.sync.getTags() : [];
})()`)
}

// registrationID returns the app's service-worker registration id.
func (s *Session) registrationID(ctx context.Context) (string, error) {
	var id string
	ok, err := pollUntil(ctx, s.cfg.Timeout, 20*time.Millisecond, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		id = s.regID
		return id != ""
	})
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "", fmt.Errorf("the app has no service-worker registration for %s/", AppOrigin)
	}
	return id, nil
}

// DispatchSync fires a sync event for tag by hand, as DevTools does (with
// lastChance if asked). It does not consume a pending registration, and does
// nothing while the worker is offline.
func DispatchSync(tag string, lastChance bool) Step {
	title := lang.Say("dispatch a %q sync event", "ein %q-sync-Ereignis auslösen", tag)
	if lastChance {
		title = lang.Say("dispatch a %q sync event (last chance)", "ein %q-sync-Ereignis auslösen (letzte Chance)", tag)
	}
	return named(title, func(ctx context.Context, s *Session) error {
		id, err := s.registrationID(ctx)
		if err != nil {
			return err
		}
		cctx, cancel := withDeadline(ctx, s.control, 5*time.Second)
		defer cancel()
		_, err = chromedp.Call(cctx, serviceworker.DispatchSyncEvent, serviceworker.DispatchSyncEventParams{
			Origin: AppOrigin, RegistrationID: serviceworker.RegistrationID(id), Tag: tag, LastChance: lastChance,
		})
		if err != nil {
			return fmt.Errorf("ServiceWorker.dispatchSyncEvent: %w", err)
		}
		s.Timeline.Arrow(trace.Sim, trace.Worker, "sync", title.EN)
		return nil
	})
}
