package session

import (
	"context"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"synclab/failure"
	"synclab/lang"
	"synclab/simulator/trace"
)

const idbPrefix = "[synclab-idb] "

// watchStorageJS wraps the IndexedDB object-store methods in the service
// worker so that each read and write is reported on the console (which the
// session records). It works for any code built on IndexedDB, idb included.
const watchStorageJS = `(() => {
  if (self.__synclabWatching) return true;
  self.__synclabWatching = true;
  const P = IDBObjectStore.prototype;
  const wrap = (names, verb) => {
    for (const m of names) {
      const orig = P[m];
      if (typeof orig !== 'function') continue;
      P[m] = function (...args) {
        console.debug('` + idbPrefix + `' + verb + ' ' + this.name);
        return orig.apply(this, args);
      };
    }
  };
  wrap(['get', 'getAll', 'getAllKeys', 'getKey', 'openCursor', 'openKeyCursor', 'count'], 'read');
  wrap(['put', 'add', 'delete', 'clear'], 'write');
  return true;
})()`

// WatchWorkerStorage makes the session see every IndexedDB read and write of
// the running service worker.
func WatchWorkerStorage() Step {
	return named(lang.Say("watch the service worker's IndexedDB access", "die IndexedDB-Zugriffe des Service Workers beobachten"), func(ctx context.Context, s *Session) error {
		sw, err := s.worker(ctx)
		if err != nil {
			return err
		}
		cctx, cancel := withDeadline(ctx, sw.ctx, 5*time.Second)
		defer cancel()
		_, err = chromedp.Run(cctx, chromedp.Evaluate[bool](harnessScript("storage-watch.js", watchStorageJS)))
		return err
	})
}

// ExpectWorkerAccess waits until the service worker read (or wrote) store.
func ExpectWorkerAccess(verb, store string) Step {
	verbDE := map[string]string{"read": "liest", "write": "schreibt"}[verb]
	if verbDE == "" {
		verbDE = verb
	}
	title := lang.Say("expect the service worker to %[1]s %[3]s", "erwarten, dass der Service Worker %[3]s %[2]s", verb, verbDE, store)
	return named(title, func(ctx context.Context, s *Session) error {
		want := verb + " " + store
		return s.waitFor(ctx, failure.WorkerAccess, lang.Say("the service worker to %[1]s the IndexedDB store %[3]q", "der Service Worker %[2]s den IndexedDB-Store %[3]q", verb, verbDE, store), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				seen := s.Timeline.Tail(trace.Worker, "idb", 20)
				for _, l := range seen {
					if l == want {
						return true, lang.Text{}, nil
					}
				}
				if len(seen) == 0 {
					return false, lang.Say("it touched no IndexedDB store", "er griff auf keinen IndexedDB-Store zu"), nil
				}
				return false, lang.Say("it did: %s", "stattdessen: %s", strings.Join(seen, ", ")), nil
			})
	})
}
