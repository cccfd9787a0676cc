package session

import (
	"testing"
	"time"

	"synclab/simulator/browser"
)

// TestSortByCause: a network failure right after an outside address the
// checks cannot offer is not the app's, even when the app's own request
// failed seconds earlier (the CI run that graded a course-style app's
// unknown stylesheet as its own error); one nearer to an own failure, or
// with no outside failure in reach, stays the app's.
func TestSortByCause(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const fetchErr = "service worker error: Uncaught (in promise) TypeError: Failed to fetch (http://localhost:8080/sw.js:84)"
	unavailable := func(ms int) browser.OutsideRequest {
		return browser.OutsideRequest{Time: at(ms), URL: "https://cdn.unknown-cdn.example/theme.css", Outcome: browser.Unavailable}
	}
	ownFailure := func(ms int) failedRequest {
		return failedRequest{Time: at(ms), URL: "http://localhost:3000/posts"}
	}
	tests := []struct {
		name    string
		err     appError
		failed  []failedRequest
		outside []browser.OutsideRequest
		caused  bool
	}{
		{"right after an unavailable address", appError{at(1000), fetchErr}, nil, []browser.OutsideRequest{unavailable(997)}, true},
		{"an own failure two seconds earlier", appError{at(3000), fetchErr}, []failedRequest{ownFailure(1000)}, []browser.OutsideRequest{unavailable(2998)}, true},
		{"the outside request seen a moment after the error", appError{at(1000), fetchErr}, nil, []browser.OutsideRequest{unavailable(1100)}, true},
		{"an own failure nearer than the outside one", appError{at(3000), fetchErr}, []failedRequest{ownFailure(2999)}, []browser.OutsideRequest{unavailable(2500)}, false},
		{"an own failure as near as the outside one", appError{at(3000), fetchErr}, []failedRequest{ownFailure(2990)}, []browser.OutsideRequest{unavailable(2990)}, false},
		{"the outside failure too long before", appError{at(5000), fetchErr}, nil, []browser.OutsideRequest{unavailable(1000)}, false},
		{"the outside failure too long after", appError{at(1000), fetchErr}, nil, []browser.OutsideRequest{unavailable(1500)}, false},
		{"an address the mirror answered", appError{at(1000), fetchErr}, nil, []browser.OutsideRequest{{Time: at(999), Outcome: browser.FromMirror}}, false},
		{"not a network failure", appError{at(1000), "page: TypeError: x is undefined"}, nil, []browser.OutsideRequest{unavailable(999)}, false},
		{"no outside request at all", appError{at(1000), fetchErr}, []failedRequest{ownFailure(999)}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			own, caused := sortByCause([]appError{tc.err}, tc.failed, tc.outside)
			if got := len(caused) == 1; got != tc.caused || len(own)+len(caused) != 1 {
				t.Fatalf("own=%q caused=%q, want caused=%v", own, caused, tc.caused)
			}
		})
	}
}
