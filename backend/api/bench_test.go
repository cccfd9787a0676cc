package api_test

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// jpeg100KB is a real JPEG padded after its end marker to about 100 KB, as a
// phone photo would weigh.
func jpeg100KB(b *testing.B, n int) []byte {
	b.Helper()
	img := photo(b, n)
	pad := make([]byte, 100<<10-len(img))
	_, _ = rand.Read(pad)
	return append(img, pad...)
}

// timeRequests runs do b.N times and reports the median latency besides
// Go's mean.
func timeRequests(b *testing.B, do func() int) {
	b.Helper()
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if status := do(); status >= 300 {
			b.Fatalf("status %d", status)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	if len(durations) > 0 {
		b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "ms-median")
	}
}

func getStatus(b *testing.B, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	b.SetBytes(n)
	return resp.StatusCode
}

func BenchmarkCreatePost100KB(b *testing.B) {
	h := newHarness(b)
	data := jpeg100KB(b, 1)
	f := form{title: str("bench"), location: str("here"), file: data, fileName: "bench.jpg"}
	timeRequests(b, func() int {
		body, ct := f.body()
		resp, err := http.Post(h.srv.URL+"/posts", ct, body)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	})
}

func BenchmarkListPosts(b *testing.B) {
	for _, n := range []int{10, 50, 200} {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			h := newHarness(b)
			for i := range n {
				h.mustCreate(form{title: str(fmt.Sprintf("p%d", i)), location: str("x"), file: jpeg100KB(b, i), fileName: "p.jpg"})
			}
			// A fresh store, so the first listing reads GridFS (cold) and the
			// timed ones are warm.
			h2cached := newHarnessOnCached(b, h)
			start := time.Now()
			getStatus(b, h2cached.srv.URL+"/posts")
			cold := time.Since(start)
			timeRequests(b, func() int { return getStatus(b, h2cached.srv.URL+"/posts") })
			b.ReportMetric(float64(cold.Microseconds())/1000, "ms-cold")
		})
	}
}

func BenchmarkGetPost(b *testing.B) {
	h := newHarness(b)
	var id string
	for i := range 50 {
		id = h.mustCreate(form{title: str("p"), location: str("x"), file: jpeg100KB(b, i), fileName: "p.jpg"}).ID
	}
	timeRequests(b, func() int { return getStatus(b, h.srv.URL+"/posts/"+id) })
}
