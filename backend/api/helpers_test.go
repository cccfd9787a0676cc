package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"synclab/backend/api"
	"synclab/backend/lab"
	"synclab/backend/posts"
	"synclab/backend/samples"
	"synclab/backend/testdb"
)

// harness is the real router on a real HTTP server over a throw-away database.
type harness struct {
	t     testing.TB
	db    *testdb.DB
	store *posts.Store
	lab   *lab.Lab
	srv   *httptest.Server
}

type harnessOpt func(*api.Config)

func withMaxUpload(n int64) harnessOpt { return func(c *api.Config) { c.MaxUpload = n } }
func withoutLab() harnessOpt           { return func(c *api.Config) { c.Lab = nil } }

func newHarness(t testing.TB, opts ...harnessOpt) *harness {
	t.Helper()
	db := testdb.New(t)
	store := posts.NewStore(db.Database, posts.Options{})
	cfg := api.Config{Store: store, Lab: lab.New(), Timeout: 5 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	srv := httptest.NewServer(api.New(cfg))
	t.Cleanup(srv.Close)
	return &harness{t: t, db: db, store: store, lab: cfg.Lab, srv: srv}
}

// form is a multipart submission; a nil file leaves the field out.
type form struct {
	title, location *string
	file            []byte
	fileName        string
	fileType        string
}

func str(s string) *string { return &s }

func photo(t testing.TB, n int) []byte {
	t.Helper()
	b, err := samples.Photo(64+n%7, 48, n)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func validForm(t testing.TB, title string, n int) form {
	return form{title: str(title), location: str("Berlin"), file: photo(t, n), fileName: "myFile.jpg", fileType: "image/jpeg"}
}

func (f form) body() (*bytes.Buffer, string) {
	return f.write("")
}

// withBoundary encodes the form with a given boundary.
func (f form) withBoundary(boundary string) ([]byte, string) {
	b, ct := f.write(boundary)
	return b.Bytes(), ct
}

func (f form) write(boundary string) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if boundary != "" {
		_ = w.SetBoundary(boundary)
	}
	if f.title != nil {
		_ = w.WriteField("title", *f.title)
	}
	if f.location != nil {
		_ = w.WriteField("location", *f.location)
	}
	if f.file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+f.fileName+`"`)
		if f.fileType != "" {
			h.Set("Content-Type", f.fileType)
		}
		pw, _ := w.CreatePart(h)
		_, _ = pw.Write(f.file)
	}
	_ = w.Close()
	return &buf, w.FormDataContentType()
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not the expected JSON: %v\n%s", a.status, err, a.body)
	}
}

func (a answer) errorText(t testing.TB) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	a.json(t, &e)
	if e.Error == "" {
		t.Fatalf("error answer %d has no \"error\" field: %s", a.status, a.body)
	}
	return e.Error
}

func (h *harness) do(req *http.Request) answer {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read answer: %v", err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

func (h *harness) request(method, path string, body io.Reader, contentType string, header ...string) answer {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return h.do(req)
}

func (h *harness) post(f form, header ...string) answer {
	h.t.Helper()
	body, ct := f.body()
	return h.request(http.MethodPost, "/posts", body, ct, header...)
}

func (h *harness) get(path string) answer {
	h.t.Helper()
	return h.request(http.MethodGet, path, nil, "")
}

type postJSON struct {
	ID       string `json:"_id"`
	Title    string `json:"title"`
	Location string `json:"location"`
	ImageID  string `json:"image_id"`
}

func (h *harness) mustCreate(f form, header ...string) postJSON {
	h.t.Helper()
	a := h.post(f, header...)
	if a.status != http.StatusCreated {
		h.t.Fatalf("POST /posts = %d %s, want 201", a.status, a.body)
	}
	var p postJSON
	a.json(h.t, &p)
	return p
}

// counts returns how many documents the posts, files and chunks collections hold.
func (h *harness) counts() [3]int64 {
	h.t.Helper()
	var out [3]int64
	for i, name := range []string{posts.PostsCollection, posts.FilesCollection, posts.ChunkCollection} {
		n, err := h.db.Collection(name).CountDocuments(context.Background(), bson.D{})
		if err != nil {
			h.t.Fatalf("count %s: %v", name, err)
		}
		out[i] = n
	}
	return out
}

// newHarnessOn serves the same database through a new store, so that
// nothing is answered from the first store's memory.
func newHarnessOn(t testing.TB, h *harness) *harness {
	t.Helper()
	store := posts.NewStore(h.db.Database, posts.Options{ImageCacheBytes: -1})
	l := lab.New()
	srv := httptest.NewServer(api.New(api.Config{Store: store, Lab: l, Timeout: 5 * time.Second}))
	t.Cleanup(srv.Close)
	return &harness{t: t, db: h.db, store: store, lab: l, srv: srv}
}

// newHarnessOnCached is newHarnessOn with the usual photo cache.
func newHarnessOnCached(t testing.TB, h *harness) *harness {
	t.Helper()
	store := posts.NewStore(h.db.Database, posts.Options{})
	srv := httptest.NewServer(api.New(api.Config{Store: store, Timeout: 30 * time.Second}))
	t.Cleanup(srv.Close)
	return &harness{t: t, db: h.db, store: store, srv: srv}
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
