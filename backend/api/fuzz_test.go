package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// FuzzUpload posts arbitrary bodies to POST /posts. Whatever arrives, the
// answer is one of the documented statuses with a JSON error, never a 500,
// and a rejected upload leaves nothing behind.
func FuzzUpload(f *testing.F) {
	h := newHarness(f, withMaxUpload(64<<10))
	valid, ct := validForm(f, "fuzz", 1).body()
	boundary := strings.TrimPrefix(ct, "multipart/form-data; boundary=")
	f.Add(valid.Bytes())
	noFile, _ := form{title: str("t"), location: str("l")}.withBoundary(boundary)
	f.Add(noFile)
	textFile, _ := form{title: str("t"), location: str("l"), file: []byte("plain text"), fileName: "x.png", fileType: "image/png"}.withBoundary(boundary)
	f.Add(textFile)
	f.Add(valid.Bytes()[:valid.Len()/2])
	f.Add([]byte("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n\xff\xd8\xff\r\n--" + boundary + "--\r\n"))
	f.Add([]byte{})
	f.Add([]byte("--" + boundary + "--"))

	allowed := map[int]bool{201: true, 400: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		h.t = t
		before := h.counts()
		a := h.request(http.MethodPost, "/posts", bytes.NewReader(body), ct)
		if !allowed[a.status] {
			t.Fatalf("status %d for a fuzzed body: %s", a.status, a.body)
		}
		if a.status == 201 {
			return
		}
		a.errorText(t)
		if after := h.counts(); after != before {
			t.Fatalf("a rejected upload (%d) left something behind: %v → %v", a.status, before, after)
		}
	})
}
