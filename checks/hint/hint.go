// Package hint chooses the one hint a failed check shows, from the kind of
// its failure and what the simulator observed (sync events, the backend's
// requests, the worker's IndexedDB access, errors).
package hint

import (
	"slices"
	"strings"

	"synclab/backend/lab"
	"synclab/checks/catalog"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// Condition is a named fact about a run that a hint's "when" can ask for.
type Condition func(o scenario.Observations) bool

// Conditions returns every condition the checks' data may name.
func Conditions() map[string]Condition {
	registered := func(o scenario.Observations) bool {
		return slices.ContainsFunc(o.SyncEvents, func(e session.SyncEvent) bool { return e.Is("registered") })
	}
	dispatched := func(o scenario.Observations) bool {
		return slices.ContainsFunc(o.SyncEvents, func(e session.SyncEvent) bool { return e.Is("dispatched") })
	}
	// retried: the browser dispatched the sync event again (after a
	// failed attempt, or a worker stopped in the middle of one).
	retried := func(o scenario.Observations) bool {
		n := 0
		for _, e := range o.SyncEvents {
			if e.Is("dispatched") {
				n++
			}
		}
		return n >= 2
	}
	readOutbox := func(o scenario.Observations) bool { return slices.Contains(o.WorkerStorage, "read sync-posts") }
	postSent := func(o scenario.Observations) bool {
		return slices.ContainsFunc(o.Requests, func(r lab.Request) bool { return isPost(r) })
	}
	rejected := func(o scenario.Observations, field string) bool {
		return slices.ContainsFunc(o.Requests, func(r lab.Request) bool {
			return isPost(r) && r.Fault == "" && r.Status >= 400 && r.Status < 500 &&
				(field == "" || strings.Contains(r.Error, `"`+field+`"`))
		})
	}
	not := func(c Condition) Condition { return func(o scenario.Observations) bool { return !c(o) } }
	return map[string]Condition{
		"sync-registered":       registered,
		"no-sync-registered":    not(registered),
		"sync-dispatched":       dispatched,
		"no-sync-dispatched":    not(dispatched),
		"sync-retried":          retried,
		"no-sync-retried":       not(retried),
		"worker-read-outbox":    readOutbox,
		"no-worker-read-outbox": not(readOutbox),
		"post-sent":             postSent,
		"no-post-sent":          not(postSent),
		"post-rejected":         func(o scenario.Observations) bool { return rejected(o, "") },
		"post-missing-file":     func(o scenario.Observations) bool { return rejected(o, "file") },
		"post-missing-title":    func(o scenario.Observations) bool { return rejected(o, "title") },
		"post-missing-location": func(o scenario.Observations) bool { return rejected(o, "location") },
		"dataerror": func(o scenario.Observations) bool {
			return anyContains(o.Errors, "DataError") || anyContains(o.PageConsole, "DataError") || anyContains(o.WorkerConsole, "DataError")
		},
		// The worker asked for a store the database does not have (a
		// wrong store name in its transaction).
		"worker-store-not-found": func(o scenario.Observations) bool {
			return slices.ContainsFunc(o.Errors, func(e string) bool {
				return strings.HasPrefix(e, "service") && strings.Contains(e, "NotFoundError") && strings.Contains(e, "object stores was not found")
			})
		},
		"worker-error": func(o scenario.Observations) bool {
			return slices.ContainsFunc(o.Errors, func(e string) bool { return strings.HasPrefix(e, "service") })
		},
		"page-error": func(o scenario.Observations) bool {
			return slices.ContainsFunc(o.Errors, func(e string) bool { return strings.HasPrefix(e, "page") })
		},
		"sync-listener-in-page": func(o scenario.Observations) bool { return o.PageSyncListener != "" },
		"outbox-empty":          func(o scenario.Observations) bool { return len(o.Outbox) == 0 },
		"outbox-not-empty":      func(o scenario.Observations) bool { return len(o.Outbox) > 0 },
	}
}

// Choose returns the first hint that applies to a failure of kind, given
// what was observed.
func Choose(hints []catalog.Hint, kind string, o scenario.Observations) (catalog.Hint, bool) {
	conds := Conditions()
	for _, h := range hints {
		if h.Kind != "*" && h.Kind != kind {
			continue
		}
		ok := true
		for _, w := range h.When {
			c, known := conds[w]
			if !known || !c(o) {
				ok = false
				break
			}
		}
		if ok {
			return h, true
		}
	}
	return catalog.Hint{}, false
}

func anyContains(lines []string, s string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, s) })
}

func isPost(r lab.Request) bool { return r.Method == "POST" && r.Path == "/posts" }
