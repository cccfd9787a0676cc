package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"synclab/backend/lab"
)

func labPost(h *harness, path, body string) answer {
	h.t.Helper()
	return h.request(http.MethodPost, "/_lab"+path, strings.NewReader(body), "application/json")
}

func TestLabFailNext(t *testing.T) {
	h := newHarness(t)
	if a := labPost(h, "/fail", `{"count":2,"status":503}`); a.status != 200 {
		t.Fatalf("arm fault = %d %s", a.status, a.body)
	}
	f := validForm(t, "retry me", 1)
	for i := range 2 {
		if a := h.post(f); a.status != 503 || !strings.Contains(a.errorText(t), "injected") {
			t.Fatalf("attempt %d = %d %s, want an injected 503", i+1, a.status, a.body)
		}
	}
	if c := h.counts(); c[0] != 0 || c[1] != 0 {
		t.Fatalf("an injected failure stored something: %v", c)
	}
	h.mustCreate(f)
	labPost(h, "/fail", `{"count":1,"status":400}`)
	if a := h.post(f); a.status != 400 {
		t.Fatalf("injected 400 = %d", a.status)
	}
	if a := labPost(h, "/fail", `{"count":1,"status":200}`); a.status != 400 {
		t.Fatalf("a non-error status must be refused, got %d", a.status)
	}
}

func TestLabDropAfterCommit(t *testing.T) {
	h := newHarness(t)
	labPost(h, "/drop", `{"count":1}`)
	f := validForm(t, "lost answer", 2)
	body, ct := f.body()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/posts", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Idempotency-Key", "drop-1")
	// A fresh connection: Go's client would silently retry a request with
	// an Idempotency-Key on a reused one.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request got an answer: %d", resp.StatusCode)
	}
	if c := h.counts(); c[0] != 1 {
		t.Fatalf("posts after a dropped answer = %d, want 1 (stored, answer lost)", c[0])
	}
	// The replay with the same key is answered with the stored post.
	a := h.post(f, "Idempotency-Key", "drop-1")
	if a.status != 200 {
		t.Fatalf("replay after a lost answer = %d %s, want 200", a.status, a.body)
	}
	if c := h.counts(); c[0] != 1 {
		t.Fatalf("posts after the replay = %d, want still 1", c[0])
	}
	// The dropped request is recorded when its handler returns, which may
	// be after the client already saw the connection close.
	var reqs []lab.Request
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if reqs = h.lab.Requests(); len(reqs) == 2 {
			break
		}
	}
	if len(reqs) != 2 || reqs[0].Fault != "drop" || reqs[0].Status != 0 || reqs[0].IdempotencyKey != "drop-1" || reqs[1].Status != 200 {
		t.Fatalf("recorded requests = %+v", reqs)
	}
}

func TestLabLatencyRequestsAndReset(t *testing.T) {
	h := newHarness(t)
	h.mustCreate(validForm(t, "one", 1), "Idempotency-Key", "r-1")
	labPost(h, "/latency", `{"ms":150}`)
	start := time.Now()
	h.get("/posts")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("GET with 150 ms latency took %v", d)
	}
	labPost(h, "/latency", `{"ms":0}`)

	a := h.get("/_lab/requests")
	var reqs []lab.Request
	if err := json.Unmarshal(a.body, &reqs); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 || reqs[0].Method != "POST" || reqs[0].Path != "/posts" || reqs[0].Status != 201 ||
		reqs[0].IdempotencyKey != "r-1" || reqs[0].Bytes <= 0 || reqs[1].Method != "GET" {
		t.Fatalf("requests = %+v", reqs)
	}
	labPost(h, "/fail", `{"count":5}`)
	if a := labPost(h, "/reset", ``); a.status != http.StatusNoContent {
		t.Fatalf("reset = %d %s", a.status, a.body)
	}
	if c := h.counts(); c != [3]int64{} {
		t.Fatalf("after reset posts/files/chunks = %v", c)
	}
	if st := h.lab.State(); st.FailNext != 0 || len(h.lab.Requests()) != 0 {
		t.Fatalf("after reset state = %+v, %d requests", st, len(h.lab.Requests()))
	}
}

func TestLabRoutesNeedLabMode(t *testing.T) {
	h := newHarness(t, withoutLab())
	for _, p := range []string{"/_lab/state", "/_lab/requests"} {
		if a := h.get(p); a.status != http.StatusNotFound {
			t.Errorf("GET %s without -lab = %d, want 404", p, a.status)
		}
	}
	if a := labPost(h, "/fail", `{"count":1}`); a.status != http.StatusNotFound {
		t.Errorf("POST /_lab/fail without -lab = %d, want 404", a.status)
	}
}

// TestLabLogsTheErrorText: the request log keeps what an error answer said,
// so the checks can say why a replay was rejected.
func TestLabLogsTheErrorText(t *testing.T) {
	h := newHarness(t)
	a := h.request(http.MethodPost, "/posts", strings.NewReader("title=x&location=y"), "application/x-www-form-urlencoded")
	if a.status != http.StatusBadRequest {
		t.Fatalf("a post without a photo = %d %s", a.status, a.body)
	}
	reqs := h.lab.Requests()
	if len(reqs) != 1 || reqs[0].Status != 400 || reqs[0].Error != a.errorText(t) || reqs[0].Error == "" {
		t.Fatalf("requests = %+v, answer %q", reqs, a.errorText(t))
	}
	h.mustCreate(validForm(t, "fine", 1))
	if reqs := h.lab.Requests(); reqs[1].Error != "" {
		t.Fatalf("a good post logged an error: %+v", reqs[1])
	}
}
