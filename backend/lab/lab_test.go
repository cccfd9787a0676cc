package lab_test

import (
	"context"
	"testing"
	"time"

	"synclab/backend/lab"
)

func TestFaultsCountDown(t *testing.T) {
	l := lab.New()
	l.FailNext(2, 0)
	for i := range 2 {
		if status, ok := l.TakeFailure(); !ok || status != 503 {
			t.Fatalf("failure %d = %d, %v; want 503 (the default)", i+1, status, ok)
		}
	}
	if _, ok := l.TakeFailure(); ok {
		t.Fatal("a third failure after FailNext(2)")
	}
	l.DropNext(1)
	if !l.TakeDrop() || l.TakeDrop() {
		t.Fatal("DropNext(1) did not drop exactly once")
	}
	l.FailNext(3, 429)
	l.ClearFaults()
	if st := l.State(); st.FailNext != 0 || st.DropNext != 0 || st.Latency != 0 {
		t.Fatalf("after ClearFaults: %+v", st)
	}
}

func TestRequestLogIsBoundedAndSkipsLabRoutes(t *testing.T) {
	l := lab.New()
	l.Record(lab.Request{Method: "GET", Path: "/_lab/requests"})
	for i := range 12000 {
		l.Record(lab.Request{Method: "POST", Path: "/posts", Bytes: int64(i)})
	}
	reqs := l.Requests()
	if len(reqs) > 10000 || len(reqs) < 5000 {
		t.Fatalf("log holds %d requests", len(reqs))
	}
	if reqs[len(reqs)-1].Bytes != 11999 {
		t.Fatalf("the newest request is not last: %+v", reqs[len(reqs)-1])
	}
	for _, r := range reqs {
		if r.Path == "/_lab/requests" {
			t.Fatal("a /_lab request was recorded")
		}
	}
	l.ClearRequests()
	if len(l.Requests()) != 0 {
		t.Fatal("ClearRequests left requests")
	}
}

// waitHeld polls l until it holds n answers.
func waitHeld(t *testing.T, l *lab.Lab, n int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); l.Held() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Held() = %d, want %d", l.Held(), n)
		}
	}
}

func TestHoldNextHoldsUntilTheClientGoesTheLimitOrClearFaults(t *testing.T) {
	l := lab.New()
	l.HoldNext(1)
	if st := l.State(); st.HoldNext != 1 {
		t.Fatalf("after HoldNext(1): %+v", st)
	}
	if !l.TakeHold() || l.TakeHold() {
		t.Fatal("HoldNext(1) did not hold exactly once")
	}

	// The client goes away: the answer may not be sent.
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan bool)
	go func() { gone <- l.Hold(ctx) }()
	waitHeld(t, l, 1)
	if st := l.State(); st.Held != 1 {
		t.Fatalf("State while holding: %+v", st)
	}
	cancel()
	if <-gone {
		t.Fatal("Hold reported the answer sendable after its client went away")
	}
	waitHeld(t, l, 0)

	// The limit passes: the answer goes out.
	l.HoldNextFor(1, 30*time.Millisecond)
	start := time.Now()
	if !l.TakeHold() || !l.Hold(context.Background()) {
		t.Fatal("an answer held until the limit was not sendable")
	}
	if d := time.Since(start); d < 30*time.Millisecond || d > 2*time.Second {
		t.Fatalf("held for %v with a limit of 30ms", d)
	}

	// ClearFaults lets every held answer go at once, and takes back those
	// not yet held.
	l.HoldNext(3)
	released := make(chan bool, 2)
	for range 2 {
		l.TakeHold()
		go func() { released <- l.Hold(context.Background()) }()
	}
	waitHeld(t, l, 2)
	l.ClearFaults()
	for range 2 {
		select {
		case ok := <-released:
			if !ok {
				t.Fatal("a released answer was not sendable")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("ClearFaults did not release a held answer")
		}
	}
	if l.TakeHold() {
		t.Fatal("a hold left after ClearFaults")
	}
	// Holding works again after a release.
	l.HoldNextFor(1, 10*time.Millisecond)
	if !l.TakeHold() || !l.Hold(context.Background()) {
		t.Fatal("no hold after ClearFaults")
	}
}
