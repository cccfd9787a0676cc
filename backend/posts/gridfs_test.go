package posts_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"synclab/backend/posts"
	"synclab/backend/testdb"
)

// TestPhotosAreGridFSFiles stores photos of sizes around the chunk size and
// reads each back with the driver's own GridFS download, byte for byte:
// what the store writes is a GridFS file any driver (and the course's
// original backend) can read. The bucket has the indexes the specification
// asks for, and the files document the fields the original keeps.
func TestPhotosAreGridFSFiles(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	store := posts.NewStore(db.Database, posts.Options{ImageCacheBytes: -1})
	bucket := db.Database.GridFSBucket(options.GridFSBucket().SetName(posts.Bucket))
	tests := []struct {
		name   string
		size   int
		chunks int64
	}{
		{"one byte", 1, 1},
		{"a phone photo", 100 << 10, 1},
		{"exactly one chunk", posts.ChunkSize, 1},
		{"one byte more than a chunk", posts.ChunkSize + 1, 2},
		{"three chunks", 2*posts.ChunkSize + 17, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := make([]byte, tt.size)
			_, _ = rand.Read(data)
			p, err := store.Create(ctx, posts.NewPost{Title: tt.name, Location: "here", FileName: "p.jpg", ContentType: "image/jpeg", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if _, err := bucket.DownloadToStreamByName(ctx, p.ImageID, &got); err != nil {
				t.Fatalf("the driver cannot read the photo back: %v", err)
			}
			if !bytes.Equal(got.Bytes(), data) {
				t.Fatalf("the driver read %d bytes back, want the %d stored", got.Len(), len(data))
			}
			var file bson.M
			if err := db.Database.Collection(posts.FilesCollection).FindOne(ctx, bson.D{{Key: "filename", Value: p.ImageID}}).Decode(&file); err != nil {
				t.Fatal(err)
			}
			if file["length"] != int64(tt.size) || file["chunkSize"] != int32(posts.ChunkSize) || file["contentType"] != "image/jpeg" {
				t.Errorf("files document = %v; want length %d, chunkSize %d, contentType image/jpeg", file, tt.size, posts.ChunkSize)
			}
			if _, ok := file["uploadDate"].(bson.DateTime); !ok {
				t.Errorf("files document has uploadDate %T, want a date", file["uploadDate"])
			}
			if meta, _ := file["metadata"].(bson.D); len(meta) != 1 || meta[0].Key != "contentType" || meta[0].Value != "image/jpeg" {
				t.Errorf("files document has metadata %v, want contentType image/jpeg", file["metadata"])
			}
			n, err := db.Database.Collection(posts.ChunkCollection).CountDocuments(ctx, bson.D{{Key: "files_id", Value: file["_id"]}})
			if err != nil || n != tt.chunks {
				t.Errorf("%d chunks (%v), want %d", n, err, tt.chunks)
			}
			w, err := store.Get(ctx, p.ID)
			if err != nil || w.Image == nil || !bytes.Equal(w.Image.Data, data) {
				t.Fatalf("the store does not read its own photo back: %v", err)
			}
		})
	}
	for coll, want := range map[string]string{posts.FilesCollection: "filename_1_uploadDate_1", posts.ChunkCollection: "files_id_1_n_1"} {
		specs, err := db.Database.Collection(coll).Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range specs {
			if s.Name == want {
				found = true
				if coll == posts.ChunkCollection && (s.Unique == nil || !*s.Unique) {
					t.Errorf("index %s on %s is not unique", want, coll)
				}
			}
		}
		if !found {
			t.Errorf("%s has no index %s", coll, want)
		}
	}
}

// TestPhotosGoIntoABucketAnotherToolIndexed stores a photo in a bucket whose
// chunks another tool indexed under a name of its own and without
// uniqueness: the store uses that index instead of failing on a second one.
func TestPhotosGoIntoABucketAnotherToolIndexed(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	chunks := db.Database.Collection(posts.ChunkCollection)
	if _, err := chunks.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "files_id", Value: 1}, {Key: "n", Value: 1}}, Options: options.Index().SetName("by_file")}); err != nil {
		t.Fatal(err)
	}
	store := posts.NewStore(db.Database, posts.Options{})
	if _, err := store.Create(ctx, newPost(t, 1)); err != nil {
		t.Fatalf("storing a photo in a bucket with its own chunks index: %v", err)
	}
	specs, err := chunks.Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range specs {
		names = append(names, s.Name)
	}
	if want := []string{"_id_", "by_file"}; !slices.Equal(names, want) {
		t.Errorf("chunks indexes = %v, want %v", names, want)
	}
}
