package api_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"synclab/backend/lab"
)

// waitRecorded polls the lab's request log until it holds n requests.
func waitRecorded(t *testing.T, h *harness, n int) []lab.Request {
	t.Helper()
	var reqs []lab.Request
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if reqs = h.lab.Requests(); len(reqs) >= n {
			break
		}
	}
	if len(reqs) != n {
		t.Fatalf("recorded requests = %+v, want %d", reqs, n)
	}
	return reqs
}

// TestLabHoldStoresThenHoldsTheAnswer: a held post is stored before its
// answer waits; a client that gives up gets nothing (recorded as fault
// "hold" with status 0) and its replay with the same key is stored once;
// an answer held until the limit goes out.
func TestLabHoldStoresThenHoldsTheAnswer(t *testing.T) {
	h := newHarness(t)
	h.lab.HoldNext(1)
	f := validForm(t, "held answer", 3)
	body, ct := f.body()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/posts", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Idempotency-Key", "hold-1")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	done := make(chan error, 1)
	go func() {
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			err = errors.New("the held request got an answer: " + resp.Status)
		}
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); h.lab.Held() != 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no answer held within 5 s (state %+v)", h.lab.State())
		}
	}
	if c := h.counts(); c[0] != 1 {
		t.Fatalf("posts while the answer is held = %d, want 1 (stored first)", c[0])
	}
	if n := len(h.lab.Requests()); n != 0 {
		t.Fatalf("a held request was recorded before it ended: %+v", h.lab.Requests())
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the client that gave up saw %v", err)
	}
	reqs := waitRecorded(t, h, 1)
	if r := reqs[0]; r.Fault != "hold" || r.Status != 0 || r.IdempotencyKey != "hold-1" {
		t.Fatalf("recorded %+v, want fault hold, status 0, the key", r)
	}
	for deadline := time.Now().Add(2 * time.Second); h.lab.Held() != 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the answer is still held after its client went away")
		}
	}
	if a := h.post(f, "Idempotency-Key", "hold-1"); a.status != http.StatusOK {
		t.Fatalf("replay after a held answer = %d %s, want 200", a.status, a.body)
	}
	if c := h.counts(); c[0] != 1 {
		t.Fatalf("posts after the replay = %d, want still 1", c[0])
	}

	// Held until the limit: the answer goes out then, recorded as held.
	h.lab.HoldNextFor(1, 100*time.Millisecond)
	start := time.Now()
	h.mustCreate(validForm(t, "late answer", 4))
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("answer held for %v, want at least the limit of 100ms", d)
	}
	reqs = waitRecorded(t, h, 3)
	if r := reqs[2]; r.Fault != "hold" || r.Status != http.StatusCreated {
		t.Fatalf("recorded %+v, want fault hold with status 201", r)
	}
}
