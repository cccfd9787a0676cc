package hint_test

import (
	"testing"

	"synclab/backend/lab"
	"synclab/checks/catalog"
	"synclab/checks/hint"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

func TestChoose(t *testing.T) {
	hints := []catalog.Hint{
		{Kind: "backend-posts", When: []string{"post-missing-file"}, DE: "file", EN: "file"},
		{Kind: "worker-access", When: []string{"sync-dispatched", "no-worker-read-outbox"}, DE: "tag", EN: "tag"},
		{Kind: "worker-access", When: []string{"no-sync-dispatched"}, DE: "no sync", EN: "no sync"},
		{Kind: "sync-tag", When: []string{"dataerror"}, DE: "keypath", EN: "keypath"},
		{Kind: "outbox-count", When: []string{"sync-retried"}, DE: "mark", EN: "mark"},
		{Kind: "outbox-count", When: []string{"no-sync-retried"}, DE: "waitUntil", EN: "waitUntil"},
		{Kind: "*", DE: "any", EN: "any"},
	}
	dispatched := []session.SyncEvent{{Name: "Registered sync"}, {Name: "Dispatched sync event"}}
	for _, tc := range []struct {
		name string
		kind string
		obs  scenario.Observations
		want string
	}{
		{"400 file missing", "backend-posts", scenario.Observations{Requests: []lab.Request{{Method: "POST", Path: "/posts", Status: 400, Error: `field "file" is missing or empty: attach a photo`}}}, "file"},
		{"an injected 400 is not the app's", "backend-posts", scenario.Observations{Requests: []lab.Request{{Method: "POST", Path: "/posts", Status: 400, Fault: "status", Error: `field "file" is missing`}}}, "any"},
		{"queued, synced, not read: the tag", "worker-access", scenario.Observations{SyncEvents: dispatched}, "tag"},
		{"no sync at all", "worker-access", scenario.Observations{}, "no sync"},
		{"read but something else", "worker-access", scenario.Observations{SyncEvents: dispatched, WorkerStorage: []string{"read sync-posts"}}, "any"},
		{"DataError", "sync-tag", scenario.Observations{Errors: []string{"page: DataError: Failed to execute 'put' on 'IDBObjectStore'"}}, "keypath"},
		{"fallback to any", "snackbar", scenario.Observations{}, "any"},
		{"retried and still queued: a mark", "outbox-count", scenario.Observations{SyncEvents: append(dispatched, session.SyncEvent{Name: "Dispatched sync event"})}, "mark"},
		{"dispatched once and still queued", "outbox-count", scenario.Observations{SyncEvents: dispatched}, "waitUntil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := hint.Choose(hints, tc.kind, tc.obs)
			if !ok || h.EN != tc.want {
				t.Fatalf("chose %q (ok=%v), want %q", h.EN, ok, tc.want)
			}
		})
	}
	if _, ok := hint.Choose(hints[:1], "snackbar", scenario.Observations{}); ok {
		t.Fatal("a hint for another kind was chosen")
	}
}
