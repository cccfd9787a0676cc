// Package trace records what a simulator session observed (page and service
// worker console, network, IndexedDB snapshots, sync events, backend
// requests, steps) on one timeline, and writes it as JSON and as a
// self-contained HTML page.
package trace

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Lane names who an event belongs to; the HTML sequence diagram has one
// column per lane.
type Lane string

// The lanes of the sequence diagram.
const (
	Page    Lane = "page"
	IDB     Lane = "indexeddb"
	Worker  Lane = "service-worker"
	Backend Lane = "backend"
	Sim     Lane = "simulator"
)

// Lanes lists the lanes in diagram order.
var Lanes = []Lane{Sim, Page, IDB, Worker, Backend}

// Event is one observation.
type Event struct {
	Time time.Time `json:"time"`
	// Lane is where it happened; To, if set, is where it went (an arrow).
	Lane Lane   `json:"lane"`
	To   Lane   `json:"to,omitempty"`
	Kind string `json:"kind"` // step, console, exception, request, response, sync, idb, fault, screenshot
	Text string `json:"text"`
	// Data holds details (a snapshot, a screenshot as a data URL, …).
	Data any `json:"data,omitempty"`
}

// Timeline is a session's events, safe for concurrent use.
type Timeline struct {
	mu     sync.Mutex
	start  time.Time
	events []Event
	now    func() time.Time
}

// New returns an empty timeline starting now.
func New() *Timeline { return &Timeline{start: time.Now(), now: time.Now} }

// Add records an event now.
func (t *Timeline) Add(lane Lane, kind, text string) {
	t.AddEvent(Event{Lane: lane, Kind: kind, Text: text})
}

// Arrow records a message from one lane to another.
func (t *Timeline) Arrow(from, to Lane, kind, text string) {
	t.AddEvent(Event{Lane: from, To: to, Kind: kind, Text: text})
}

// AddEvent records e, stamping it now if it has no time.
func (t *Timeline) AddEvent(e Event) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = t.now()
	}
	t.events = append(t.events, e)
}

// Events returns the events in time order.
func (t *Timeline) Events() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]Event(nil), t.events...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// Start is when the timeline began.
func (t *Timeline) Start() time.Time { return t.start }

// Tail returns the last n events of a lane and kind ("" matches any), as
// lines for an error message.
func (t *Timeline) Tail(lane Lane, kind string, n int) []string {
	var out []string
	events := t.Events()
	for i := len(events) - 1; i >= 0 && len(out) < n; i-- {
		e := events[i]
		if (lane == "" || e.Lane == lane) && (kind == "" || e.Kind == kind) {
			out = append([]string{e.Text}, out...)
		}
	}
	return out
}

// Write stores the timeline in dir as trace.json and trace.html.
func (t *Timeline) Write(dir, title string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("trace folder: %w", err)
	}
	events := t.Events()
	doc := struct {
		Title  string    `json:"title"`
		Start  time.Time `json:"start"`
		Events []Event   `json:"events"`
	}{title, t.start, events}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "trace.json"), b, 0o644); err != nil {
		return err
	}
	var html strings.Builder
	if err := renderHTML(&html, title, t.start, events); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "trace.html"), []byte(html.String()), 0o644)
}
