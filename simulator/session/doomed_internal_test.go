package session

import (
	"testing"
	"time"
)

// TestSameErrorOnRetry: the rule finds the retry's error whichever of the
// two DevTools connections delivered first, and not an error of the first
// attempt, a retry that sent a POST, or one without a retry.
func TestSameErrorOnRetry(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const msg = "service-worker: NotFoundError: One of the specified object stores was not found."
	tests := []struct {
		name   string
		events []SyncEvent
		errors []appError
		posts  []time.Time
		want   time.Time
	}{
		{
			name:   "error after the retry's event",
			events: []SyncEvent{{Time: at(0), Name: "Dispatched sync event"}, {Time: at(10), Name: "Sync event failed"}, {Time: at(2024), Name: "Dispatched sync event"}},
			errors: []appError{{Time: at(8), Text: msg}, {Time: at(2030), Text: msg}},
			want:   at(2030),
		},
		{
			name:   "error received just before the retry's event",
			events: []SyncEvent{{Time: at(0), Name: "Dispatched sync event"}, {Time: at(10), Name: "Sync event failed"}, {Time: at(2024), Name: "Dispatched sync event"}},
			errors: []appError{{Time: at(8), Text: msg}, {Time: at(2021), Text: msg}},
			want:   at(2021),
		},
		{
			name:   "the first attempt threw twice",
			events: []SyncEvent{{Time: at(0), Name: "Dispatched sync event"}, {Time: at(10), Name: "Sync event failed"}, {Time: at(2024), Name: "Dispatched sync event"}},
			errors: []appError{{Time: at(8), Text: msg}, {Time: at(9), Text: msg}},
		},
		{
			name:   "no retry yet",
			events: []SyncEvent{{Time: at(0), Name: "Dispatched sync event"}, {Time: at(10), Name: "Sync event failed"}},
			errors: []appError{{Time: at(8), Text: msg}},
		},
		{
			name:   "the retry sent a POST",
			events: []SyncEvent{{Time: at(0), Name: "Dispatched sync event"}, {Time: at(10), Name: "Sync event failed"}, {Time: at(2024), Name: "Dispatched sync event"}},
			errors: []appError{{Time: at(8), Text: msg}, {Time: at(2030), Text: msg}},
			posts:  []time.Time{at(2026)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Session{syncLog: tt.events, errors: tt.errors, postsSent: tt.posts}
			if got := s.sameErrorOnRetry(msg, at(8)); !got.Equal(tt.want) {
				t.Errorf("sameErrorOnRetry = %v, want %v", got, tt.want)
			}
		})
	}
}
