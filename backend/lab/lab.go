// Package lab injects faults into the reference backend and records the
// requests it received, so that the simulator and the checks can make
// "server failing" happen and see what arrived.
package lab

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Request is one request the backend received.
type Request struct {
	Time           time.Time `json:"time"`
	Method         string    `json:"method"`
	Path           string    `json:"path"`
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	Status         int       `json:"status"`
	Bytes          int64     `json:"bytes"`
	// Fault names the injected fault, if any: "status", "drop" or "hold"
	// (a held answer whose client went away has Status 0).
	Fault string `json:"fault,omitempty"`
	// Error is the error the answer gave, if any (e.g. "field \"file\" is
	// missing or empty: attach a photo").
	Error string `json:"error,omitempty"`
}

// State is a snapshot of the faults waiting to happen.
type State struct {
	FailNext   int `json:"fail_next"`
	FailStatus int `json:"fail_status"`
	DropNext   int `json:"drop_next"`
	HoldNext   int `json:"hold_next"`
	// Held is how many answers are being held right now.
	Held    int           `json:"held"`
	Latency time.Duration `json:"latency_ns"`
}

// maxRecorded bounds the request log.
const maxRecorded = 10000

// MaxHold is how long HoldNext holds an answer at most.
const MaxHold = 15 * time.Second

// Lab holds the faults to inject and the requests seen. The zero value is
// not usable; call New.
type Lab struct {
	mu         sync.Mutex
	failNext   int
	failStatus int
	dropNext   int
	holdNext   int
	holdLimit  time.Duration
	held       int
	// release is closed by ClearFaults to let the held answers go.
	release  chan struct{}
	latency  time.Duration
	requests []Request
	inFlight int
	// dbFailure is the first time the API's database did not answer.
	dbFailure error
}

// New returns a Lab with no faults.
func New() *Lab { return &Lab{} }

// DatabaseFailed records that the API's database did not answer a request
// somebody waited for: a failure of the machine, not one the lab injected.
// The first is kept.
func (l *Lab) DatabaseFailed(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dbFailure == nil {
		l.dbFailure = err
	}
}

// DatabaseFailure returns the first failure DatabaseFailed recorded, or nil.
func (l *Lab) DatabaseFailure() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dbFailure
}

// FailNext makes the next n POST /posts answer status without storing anything.
func (l *Lab) FailNext(n, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	l.failNext, l.failStatus = n, status
}

// DropNext makes the next n POST /posts store the post and then close the
// connection without answering, as if the response were lost.
func (l *Lab) DropNext(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dropNext = n
}

// HoldNext makes the next n POST /posts store the post and then hold the
// answer back until the client goes away or MaxHold has passed (then it is
// sent), as if the network stalled after the post was stored.
func (l *Lab) HoldNext(n int) { l.HoldNextFor(n, MaxHold) }

// HoldNextFor is HoldNext with another limit than MaxHold.
func (l *Lab) HoldNextFor(n int, limit time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if limit <= 0 {
		limit = MaxHold
	}
	l.holdNext, l.holdLimit = n, limit
}

// SetLatency delays every API request by d.
func (l *Lab) SetLatency(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latency = d
}

// State returns the faults still to happen.
func (l *Lab) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return State{FailNext: l.failNext, FailStatus: l.failStatus, DropNext: l.dropNext, HoldNext: l.holdNext, Held: l.held, Latency: l.latency}
}

// ClearFaults removes every pending fault and the latency, and lets the
// answers being held go out.
func (l *Lab) ClearFaults() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failNext, l.failStatus, l.dropNext, l.holdNext, l.latency = 0, 0, 0, 0, 0
	if l.release != nil {
		close(l.release)
		l.release = nil
	}
}

// Requests returns a copy of the requests recorded so far, in the order
// they arrived. A request is recorded when its answer is done, so one that
// is still running is not listed yet.
func (l *Lab) Requests() []Request {
	l.mu.Lock()
	out := append([]Request(nil), l.requests...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// ClearRequests forgets the recorded requests.
func (l *Lab) ClearRequests() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests = nil
}

// Latency returns the delay to add to an API request.
func (l *Lab) Latency() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.latency
}

// TakeFailure reports whether this request to create a post must fail, and
// with which status, counting it down.
func (l *Lab) TakeFailure() (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failNext <= 0 {
		return 0, false
	}
	l.failNext--
	return l.failStatus, true
}

// TakeDrop reports whether the answer to this stored post must be dropped,
// counting it down.
func (l *Lab) TakeDrop() bool { return l.take(&l.dropNext) }

// TakeHold reports whether the answer to this stored post must be held
// (see Hold), counting it down.
func (l *Lab) TakeHold() bool { return l.take(&l.holdNext) }

// take counts the fault *next down, if one is waiting, and reports
// whether one was.
func (l *Lab) take(next *int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if *next <= 0 {
		return false
	}
	*next--
	return true
}

// Hold holds an answer back until ctx ends (the client went away),
// ClearFaults lets it go or the limit of HoldNext passes. It reports
// whether the answer may still be sent: false when ctx ended.
func (l *Lab) Hold(ctx context.Context) bool {
	l.mu.Lock()
	if l.release == nil {
		l.release = make(chan struct{})
	}
	release, limit := l.release, l.holdLimit
	l.held++
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.held--
		l.mu.Unlock()
	}()
	if limit <= 0 {
		limit = MaxHold
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-release:
		return ctx.Err() == nil
	case <-timer.C:
		return ctx.Err() == nil
	}
}

// Held returns how many answers are being held right now.
func (l *Lab) Held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held
}

// Begin counts a request as running; End counts it as done.
func (l *Lab) Begin() {
	l.mu.Lock()
	l.inFlight++
	l.mu.Unlock()
}

// End counts a request as done (see Begin).
func (l *Lab) End() {
	l.mu.Lock()
	l.inFlight--
	l.mu.Unlock()
}

// InFlight returns how many requests are running now.
func (l *Lab) InFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inFlight
}

// Record adds a request to the log.
func (l *Lab) Record(r Request) {
	if strings.HasPrefix(r.Path, "/_lab") {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.requests) >= maxRecorded {
		l.requests = append(l.requests[:0], l.requests[len(l.requests)-maxRecorded/2:]...)
	}
	l.requests = append(l.requests, r)
}
