package lab_test

import (
	"testing"

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
