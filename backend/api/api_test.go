package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"synclab/backend/api"
	"synclab/backend/posts"
)

func TestCreateListGetImageDelete(t *testing.T) {
	h := newHarness(t)
	f := validForm(t, "Spreeufer", 1)
	created := h.mustCreate(f)
	if created.Title != "Spreeufer" || created.Location != "Berlin" || created.ID == "" {
		t.Fatalf("created = %+v", created)
	}
	if !strings.HasSuffix(created.ImageID, "-myFile.jpg") || !strings.Contains(created.ImageID, "-jf-") {
		t.Errorf("image_id = %q, want a GridFS filename like <ms>-jf-…-myFile.jpg", created.ImageID)
	}

	// The photo is in GridFS under that filename with its type.
	var file bson.M
	if err := h.db.Collection(posts.FilesCollection).FindOne(context.Background(), bson.M{"filename": created.ImageID}).Decode(&file); err != nil {
		t.Fatalf("GridFS file %q: %v", created.ImageID, err)
	}
	if file["contentType"] != "image/jpeg" || file["length"] != int64(len(f.file)) {
		t.Errorf("files document = contentType %v length %v, want image/jpeg %d", file["contentType"], file["length"], len(f.file))
	}

	wantURL := "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(f.file)
	a := h.get("/posts")
	if a.status != http.StatusOK {
		t.Fatalf("GET /posts = %d %s", a.status, a.body)
	}
	var list []postJSON
	a.json(t, &list)
	if len(list) != 1 || list[0].ID != created.ID || list[0].ImageID != wantURL {
		t.Fatalf("GET /posts = %d posts, first id %q (want the stored id %q), image matches: %v", len(list), list[0].ID, created.ID, len(list) == 1 && list[0].ImageID == wantURL)
	}

	a = h.get("/posts/" + created.ID)
	var one postJSON
	a.json(t, &one)
	if a.status != http.StatusOK || one.ID != created.ID || one.ImageID != wantURL || one.Title != "Spreeufer" {
		t.Fatalf("GET /posts/:id = %d %+v", a.status, one.ID)
	}

	a = h.get("/posts/" + created.ID + "/image")
	if a.status != http.StatusOK || !bytes.Equal(a.body, f.file) || a.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET image = %d, %d bytes (want %d), type %q", a.status, len(a.body), len(f.file), a.header.Get("Content-Type"))
	}
	if cc := a.header.Get("Cache-Control"); !strings.Contains(cc, "max-age") || a.header.Get("ETag") == "" {
		t.Errorf("image cache headers: Cache-Control %q ETag %q", cc, a.header.Get("ETag"))
	}
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/posts/"+created.ID+"/image", nil)
	req.Header.Set("If-None-Match", a.header.Get("ETag"))
	if a2 := h.do(req); a2.status != http.StatusNotModified {
		t.Errorf("conditional image GET = %d, want 304", a2.status)
	}

	a = h.request(http.MethodDelete, "/posts/"+created.ID, nil, "")
	if a.status != http.StatusNoContent {
		t.Fatalf("DELETE = %d %s", a.status, a.body)
	}
	if c := h.counts(); c != [3]int64{0, 0, 0} {
		t.Fatalf("after DELETE posts/files/chunks = %v, want all 0", c)
	}
	if a = h.get("/posts/" + created.ID); a.status != http.StatusNotFound {
		t.Fatalf("GET deleted post = %d, want 404", a.status)
	}
	if a = h.request(http.MethodDelete, "/posts/"+created.ID, nil, ""); a.status != http.StatusNotFound {
		t.Fatalf("DELETE deleted post = %d, want 404", a.status)
	}
}

func TestUploadErrors(t *testing.T) {
	h := newHarness(t, withMaxUpload(4096))
	jpeg := photo(t, 2)
	big := bytes.Repeat([]byte{0xff}, 5000)
	copy(big, photo(t, 3))
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	tests := []struct {
		name     string
		form     form
		raw      string // a raw body instead of the form
		rawType  string
		status   int
		mentions string
	}{
		{name: "no title", form: form{location: str("B"), file: jpeg, fileName: "a.jpg"}, status: 400, mentions: "title"},
		{name: "empty title", form: form{title: str("  "), location: str("B"), file: jpeg, fileName: "a.jpg"}, status: 400, mentions: "title"},
		{name: "no location", form: form{title: str("T"), file: jpeg, fileName: "a.jpg"}, status: 400, mentions: "location"},
		{name: "empty location", form: form{title: str("T"), location: str(""), file: jpeg, fileName: "a.jpg"}, status: 400, mentions: "location"},
		{name: "no file", form: form{title: str("T"), location: str("B")}, status: 400, mentions: "file"},
		{name: "empty file", form: form{title: str("T"), location: str("B"), file: []byte{}, fileName: "a.jpg"}, status: 400, mentions: "file"},
		{name: "text declared as png", form: form{title: str("T"), location: str("B"), file: []byte("just text"), fileName: "a.png", fileType: "image/png"}, status: 415, mentions: "not an image"},
		{name: "html declared as jpeg", form: form{title: str("T"), location: str("B"), file: []byte("<html><body>x</body></html>"), fileName: "a.jpg", fileType: "image/jpeg"}, status: 415, mentions: "not an image"},
		{name: "too large", form: form{title: str("T"), location: str("B"), file: big, fileName: "a.jpg", fileType: "image/jpeg"}, status: 413, mentions: "4 KiB"},
		{name: "not multipart", raw: `{"title":"T"}`, rawType: "application/json", status: 400, mentions: "multipart"},
		{name: "no boundary", raw: "x", rawType: "multipart/form-data", status: 400, mentions: "boundary"},
		{name: "truncated multipart", raw: "--XX\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT", rawType: "multipart/form-data; boundary=XX", status: 400, mentions: "malformed"},
		{name: "png with wrong declared type is fine", form: form{title: str("T"), location: str("B"), file: png, fileName: "a.jpg", fileType: "image/jpeg"}, status: 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			before := h.counts()
			var a answer
			if tc.raw != "" {
				a = h.request(http.MethodPost, "/posts", strings.NewReader(tc.raw), tc.rawType)
			} else {
				a = h.post(tc.form)
			}
			if a.status != tc.status {
				t.Fatalf("status = %d %s, want %d", a.status, a.body, tc.status)
			}
			if tc.status >= 400 {
				if msg := a.errorText(t); !strings.Contains(msg, tc.mentions) {
					t.Errorf("error %q does not mention %q", msg, tc.mentions)
				}
				if after := h.counts(); after != before {
					t.Errorf("a failed upload left something behind: posts/files/chunks %v → %v", before, after)
				}
			}
		})
	}
}

func TestMalformedAndUnknownIDs(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/posts/123", 400},
		{http.MethodGet, "/posts/zzzzzzzzzzzzzzzzzzzzzzzz", 400},
		{http.MethodDelete, "/posts/nope", 400},
		{http.MethodGet, "/posts/nope/image", 400},
		{http.MethodGet, "/posts/0123456789abcdef01234567", 404},
		{http.MethodDelete, "/posts/0123456789abcdef01234567", 404},
		{http.MethodGet, "/posts/0123456789abcdef01234567/image", 404},
		{http.MethodGet, "/nowhere", 404},
		{http.MethodPut, "/posts", 405},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			h.t = t
			a := h.request(tc.method, tc.path, nil, "")
			if a.status != tc.status {
				t.Fatalf("status = %d %s, want %d", a.status, a.body, tc.status)
			}
			a.errorText(t)
		})
	}
}

func TestListKeepsPostWhoseImageIsMissing(t *testing.T) {
	h := newHarness(t)
	a := h.mustCreate(validForm(t, "keeps its photo", 1))
	b := h.mustCreate(validForm(t, "loses its photo", 2))
	ctx := context.Background()
	if _, err := h.db.Collection(posts.FilesCollection).DeleteOne(ctx, bson.M{"filename": b.ImageID}); err != nil {
		t.Fatal(err)
	}
	// A fresh store: nothing cached.
	h2 := newHarnessOn(t, h)
	ans := h2.get("/posts")
	var list []postJSON
	ans.json(t, &list)
	if ans.status != 200 || len(list) != 2 {
		t.Fatalf("GET /posts = %d with %d posts, want 200 with 2", ans.status, len(list))
	}
	if list[0].ID != a.ID || !strings.HasPrefix(list[0].ImageID, "data:image/jpeg;base64,") {
		t.Errorf("first post = %s image %.30q", list[0].ID, list[0].ImageID)
	}
	if list[1].ID != b.ID || list[1].ImageID != "" {
		t.Errorf("post without photo = %s image %.30q, want empty image_id", list[1].ID, list[1].ImageID)
	}
	if ans := h2.get("/posts/" + b.ID + "/image"); ans.status != 404 {
		t.Errorf("image of a post without photo = %d, want 404", ans.status)
	}
}

func TestCORS(t *testing.T) {
	h := newHarness(t)
	req, _ := http.NewRequest(http.MethodOptions, h.srv.URL+"/posts", nil)
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "idempotency-key")
	a := h.do(req)
	if a.status != http.StatusNoContent {
		t.Fatalf("preflight = %d", a.status)
	}
	if a.header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(strings.ToLower(a.header.Get("Access-Control-Allow-Headers")), "idempotency-key") ||
		!strings.Contains(a.header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight headers = %v", a.header)
	}
	if got := h.get("/posts").header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("GET Access-Control-Allow-Origin = %q", got)
	}
}

func TestHealth(t *testing.T) {
	h := newHarness(t)
	if a := h.get("/healthz"); a.status != 200 {
		t.Fatalf("healthz = %d %s", a.status, a.body)
	}
}

func TestDatabaseDown(t *testing.T) {
	h := newHarness(t)
	p := h.mustCreate(validForm(t, "before", 1))
	// A 503 the lab injects is no failure of the database.
	h.lab.FailNext(1, http.StatusServiceUnavailable)
	if a := h.post(validForm(t, "injected", 3)); a.status != http.StatusServiceUnavailable {
		t.Fatalf("injected fault: status %d", a.status)
	}
	if err := h.lab.DatabaseFailure(); err != nil {
		t.Fatalf("an injected 503 was recorded as the database's failure: %v", err)
	}
	if err := h.db.Handle.Close(context.Background()); err != nil {
		t.Fatalf("stop the database: %v", err)
	}
	checks := []struct {
		name string
		do   func() answer
	}{
		{"healthz", func() answer { return h.get("/healthz") }},
		{"list", func() answer { return h.get("/posts") }},
		{"get", func() answer { return h.get("/posts/" + p.ID) }},
		{"create", func() answer { return h.post(validForm(t, "during", 2)) }},
		{"delete", func() answer { return h.request(http.MethodDelete, "/posts/"+p.ID, nil, "") }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			a := c.do()
			if a.status != http.StatusServiceUnavailable {
				t.Fatalf("status = %d %s, want 503", a.status, a.body)
			}
		})
	}
	// The lab keeps the failure: a session's verdicts after it are not the
	// app's (see session.DatabaseError).
	if err := h.lab.DatabaseFailure(); !posts.IsUnavailable(err) {
		t.Errorf("the lab recorded %v, want the database's failure", err)
	}
}

func TestIdempotentReplay(t *testing.T) {
	h := newHarness(t)
	f := validForm(t, "einmal", 4)
	first := h.post(f, "Idempotency-Key", "k-1")
	second := h.post(f, "Idempotency-Key", "k-1")
	if first.status != 201 || second.status != 200 {
		t.Fatalf("statuses = %d, %d; want 201 then 200", first.status, second.status)
	}
	var p1, p2 postJSON
	first.json(t, &p1)
	second.json(t, &p2)
	if p1 != p2 {
		t.Fatalf("replay answered %+v, first answer was %+v", p2, p1)
	}
	if c := h.counts(); c[0] != 1 || c[1] != 1 {
		t.Fatalf("posts/files/chunks = %v after a replay, want one post and one file", c)
	}

	other := validForm(t, "anders", 4)
	if a := h.post(other, "Idempotency-Key", "k-1"); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other title = %d %s, want 422", a.status, a.body)
	}
	otherPhoto := validForm(t, "einmal", 5)
	if a := h.post(otherPhoto, "Idempotency-Key", "k-1"); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other photo = %d %s, want 422", a.status, a.body)
	}
	if a := h.post(f, "Idempotency-Key", "k-2"); a.status != 201 {
		t.Fatalf("new key = %d, want 201", a.status)
	}
	if a := h.post(f, "Idempotency-Key", strings.Repeat("x", 300)); a.status != 400 {
		t.Fatalf("overlong key = %d, want 400", a.status)
	}
	if c := h.counts(); c[0] != 2 {
		t.Fatalf("posts = %d, want 2", c[0])
	}
}

func TestIdempotentConcurrentReplays(t *testing.T) {
	h := newHarness(t)
	f := validForm(t, "gleichzeitig", 6)
	const n = 8
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { answers[i] = h.post(f, "Idempotency-Key", "same-key") })
	}
	wg.Wait()
	ids := map[string]bool{}
	created := 0
	for _, a := range answers {
		if a.status != 200 && a.status != 201 {
			t.Fatalf("answer %d %s", a.status, a.body)
		}
		if a.status == 201 {
			created++
		}
		var p postJSON
		a.json(t, &p)
		ids[p.ID] = true
	}
	if created != 1 || len(ids) != 1 {
		t.Fatalf("%d answers said created, %d distinct ids; want 1 and 1", created, len(ids))
	}
	if c := h.counts(); c[0] != 1 || c[1] != 1 {
		t.Fatalf("posts/files/chunks = %v, want exactly one post", c)
	}
}

func TestConcurrentUploadsKeepTheirBytes(t *testing.T) {
	// The proof is about bytes, not speed: 50 uploads at once on the
	// embedded database may take longer than the usual 5 s under -race.
	h := newHarness(t, func(c *api.Config) { c.Timeout = 2 * time.Minute })
	n := 50
	if raceDetector {
		n = 16 // the detector reports a shared buffer at once
	}
	forms := make([]form, n)
	for i := range forms {
		// Distinct photos of different sizes, some over one GridFS chunk.
		data := photo(t, i)
		if i%5 == 0 {
			data = append(data, bytes.Repeat([]byte{byte(i)}, 300<<10)...)
		}
		forms[i] = form{title: str(fmt.Sprintf("post %d", i)), location: str("L"), file: data, fileName: fmt.Sprintf("p%d.jpg", i)}
	}
	ids := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			body, ct := forms[i].body()
			resp, err := http.Post(h.srv.URL+"/posts", ct, body)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			var p postJSON
			if resp.StatusCode != 201 {
				errs <- fmt.Sprintf("upload %d: status %d", i, resp.StatusCode)
				return
			}
			if err := jsonDecode(resp, &p); err != nil {
				errs <- err.Error()
				return
			}
			ids[i] = p.ID
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	// Download through a store with no cache, so the bytes come from GridFS.
	h2 := newHarnessOn(t, h)
	mixed := 0
	for i, id := range ids {
		a := h2.get("/posts/" + id + "/image")
		if a.status != 200 || !bytes.Equal(a.body, forms[i].file) {
			mixed++
		}
	}
	if mixed > 0 {
		t.Fatalf("%d of %d concurrent uploads did not come back byte-identical", mixed, n)
	}
}

// A database failure is a warning when a client waits for the answer, not
// when the client already left (a closed app tab, a session being closed):
// grading printed such warnings after its last verdict.
func TestUnavailableWarnsOnlyWhileSomeoneWaits(t *testing.T) {
	h := newHarness(t)
	if err := h.db.Handle.Close(context.Background()); err != nil {
		t.Fatalf("stop the database: %v", err)
	}
	for _, tc := range []struct {
		name     string
		canceled bool
		warn     bool
	}{
		{"client waits", false, true},
		{"client left", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			handler := api.New(api.Config{Store: h.store, Timeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			ctx, cancel := context.WithCancel(context.Background())
			if tc.canceled {
				cancel()
			}
			defer cancel()
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/posts", nil))
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("status = %d, want 503", rec.Code)
			}
			if warned := strings.Contains(logs.String(), "level=WARN") || strings.Contains(logs.String(), "level=ERROR"); warned != tc.warn {
				t.Errorf("warned = %v, want %v; logs:\n%s", warned, tc.warn, logs.String())
			}
		})
	}
}
