package diagram

import (
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"synclab/backend/posts"
	"synclab/frontend"
)

// drawnText returns what a box diagram's picture says.
func drawnText(t *testing.T, name string) string {
	t.Helper()
	svg, err := Overviews()[name].SVG()
	if err != nil {
		t.Fatal(err)
	}
	got, err := readSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	return got.all()
}

// TestStoresAsTheAppCreatesThem holds stores.svg to checkpoint 08's db.js:
// every store it creates is drawn with its key path, and no other.
func TestStoresAsTheAppCreatesThem(t *testing.T) {
	app, err := frontend.Checkpoint("08")
	if err != nil {
		t.Fatal(err)
	}
	db, err := fs.ReadFile(app, "src/js/db.js")
	if err != nil {
		t.Fatal(err)
	}
	created := regexp.MustCompile(`createObjectStore\('([^']+)', \{ keyPath: '([^']+)' \}\)`).FindAllStringSubmatch(string(db), -1)
	if len(created) != 3 {
		t.Fatalf("db.js of checkpoint 08 creates %d stores, the picture draws 3: %v", len(created), created)
	}
	g := Overviews()["stores.svg"]
	for _, c := range created {
		name, keyPath := c[1], c[2]
		box, ok := storeBox(g, name)
		if !ok {
			t.Errorf("stores.svg has no box for the store %s", name)
			continue
		}
		if want := fmt.Sprintf("keyPath: '%s'", keyPath); !strings.Contains(fmt.Sprint(box.Lines), want) {
			t.Errorf("the box of %s does not say %q", name, want)
		}
	}
	// The code named on the arrows exists where the picture says.
	for file, calls := range map[string][]string{
		"src/js/feed.js":   {"readAllData('posts')", "writeData('sync-posts', post)", "readAllData('sync-posts')"},
		"sw.js":            {"clearAllData('posts')", "writeData('posts', post)", "importScripts('/src/js/outbox.js')"},
		"src/js/outbox.js": {"readAllData(OUTBOX_STORE)", "deleteOneData(OUTBOX_STORE, record.id)", "moveData(OUTBOX_STORE, DEAD_LETTER_STORE"},
	} {
		src, err := fs.ReadFile(app, file)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range calls {
			if !strings.Contains(string(src), call) {
				t.Errorf("%s of checkpoint 08 no longer says %s; check stores.svg", file, call)
			}
		}
	}
}

func storeBox(g Graph, store string) (Box, bool) {
	for _, b := range g.Boxes {
		if b.Style == Data && (b.Title.DE == store || strings.HasPrefix(b.Title.DE, store+":")) {
			return b, true
		}
	}
	return Box{}, false
}

// TestGridFSAsTheBackendStoresIt holds gridfs.svg to backend/posts and
// backend/api: names of collections and fields, the chunk size, the routes.
func TestGridFSAsTheBackendStoresIt(t *testing.T) {
	text := drawnText(t, "gridfs.svg")
	var want []string
	if posts.ChunkSize != mongo.DefaultGridFSChunkSize {
		t.Errorf("the store writes chunks of %d bytes, the drivers' default is %d; check gridfs.svg", posts.ChunkSize, mongo.DefaultGridFSChunkSize)
	}
	want = append(want, posts.PostsCollection, posts.FilesCollection, posts.ChunkCollection,
		fmt.Sprintf("chunkSize: %d", posts.ChunkSize))
	post := reflect.TypeFor[posts.Post]()
	for i := range post.NumField() {
		want = append(want, strings.Split(post.Field(i).Tag.Get("bson"), ",")[0])
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("gridfs.svg does not say %q", w)
		}
	}
	if posts.Bucket != "posts" || !strings.Contains(text, "GridFS-Bucket posts") {
		t.Errorf("the bucket is %q; the title must name it", posts.Bucket)
	}
	for file, says := range map[string][]string{
		// The store writes chunks, then the files document with these
		// fields, and keeps the post's.
		"../../backend/posts/store.go":  {`s.chunks.InsertMany(ctx, chunks)`, `{Key: "chunkSize", Value: int32(ChunkSize)}`, `{Key: "contentType", Value: contentType}`, `bson:"image_id"`},
		"../../backend/posts/images.go": {`bson:"filename"`, `bson:"length"`, `bson:"contentType"`, `bson:"files_id"`, `bson:"n"`, `bson:"data"`},
		"../../backend/api/api.go":      {`r.POST("/posts", a.createPost)`, `r.GET("/posts/:id/image", a.getImage)`, "p.ImageID = w.Image.DataURL()"},
	} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range says {
			if !strings.Contains(string(src), s) {
				t.Errorf("%s no longer says %s; check gridfs.svg", file, s)
			}
		}
		if c, f := strings.Index(string(src), "s.chunks.InsertMany("), strings.Index(string(src), "s.files.InsertOne("); file == "../../backend/posts/store.go" && (c < 0 || f < 0 || c > f) {
			t.Errorf("%s does not write the chunks before the files document; gridfs.svg says so", file)
		}
		if strings.Contains(string(src), "SetChunkSizeBytes") {
			t.Errorf("%s sets a chunk size; gridfs.svg says the driver's default", file)
		}
	}
}
