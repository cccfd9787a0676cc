// Package coursedata moves posts in and out of the database as instructors
// hand them out: mongoexport JSON-lines files in Extended JSON, one per
// collection (posts.json, posts_files.json, posts_chunks.json).
package coursedata

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"synclab/backend/posts"
)

// File names of the exported collections.
const (
	PostsFile  = "posts.json"
	FilesFile  = "posts_files.json"
	ChunksFile = "posts_chunks.json"
)

// collections pairs each file with its collection, in import order.
var collections = []struct{ file, coll string }{
	{PostsFile, posts.PostsCollection},
	{FilesFile, posts.FilesCollection},
	{ChunksFile, posts.ChunkCollection},
}

// Report says what an import or export did.
type Report struct {
	// Counts maps a file name to the number of documents read or written.
	Counts map[string]int
	// MissingFiles lists the collection files that were not there.
	MissingFiles []string
	// MissingImages lists the posts whose photo is absent or incomplete.
	MissingImages []string
}

// Import reads the collection files in dir into db. Documents are upserted
// by _id, so importing twice changes nothing. A missing files or chunks file
// is reported, not fatal; a missing posts.json is an error.
func Import(ctx context.Context, db *mongo.Database, dir string) (Report, error) {
	rep := Report{Counts: map[string]int{}}
	for _, c := range collections {
		path := filepath.Join(dir, c.file)
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) && c.file != PostsFile {
			rep.MissingFiles = append(rep.MissingFiles, c.file)
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", path, err)
		}
		n, err := importLines(ctx, db.Collection(c.coll), f)
		_ = f.Close()
		rep.Counts[c.file] = n
		if err != nil {
			return rep, fmt.Errorf("import %s: %w", path, err)
		}
	}
	missing, err := postsWithoutImage(ctx, db)
	if err != nil {
		return rep, err
	}
	rep.MissingImages = missing
	return rep, nil
}

func importLines(ctx context.Context, coll *mongo.Collection, r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if len(trimSpace(text)) == 0 {
			continue
		}
		var doc bson.D
		if err := bson.UnmarshalExtJSON(text, false, &doc); err != nil {
			return n, fmt.Errorf("line %d is not Extended JSON: %w", line, err)
		}
		id, ok := lookup(doc, "_id")
		if !ok {
			return n, fmt.Errorf("line %d has no _id", line)
		}
		if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true)); err != nil {
			return n, fmt.Errorf("line %d: store: %w", line, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("read line %d: %w", line+1, err)
	}
	return n, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func lookup(doc bson.D, key string) (any, bool) {
	for _, e := range doc {
		if e.Key == key {
			return e.Value, true
		}
	}
	return nil, false
}

// postsWithoutImage lists the ids of posts whose photo has no complete file.
func postsWithoutImage(ctx context.Context, db *mongo.Database) ([]string, error) {
	store := posts.NewStore(db, posts.Options{ImageCacheBytes: -1})
	list, err := store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("check imported photos: %w", err)
	}
	var missing []string
	for _, p := range list {
		if p.Image == nil {
			missing = append(missing, fmt.Sprintf("%s (%q, image %q)", p.ID.Hex(), p.Title, p.ImageID))
		}
	}
	return missing, nil
}

// Export writes the three collections of db into dir as JSON-lines files in
// relaxed Extended JSON, as mongoexport does.
func Export(ctx context.Context, db *mongo.Database, dir string) (Report, error) {
	rep := Report{Counts: map[string]int{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, fmt.Errorf("export: %w", err)
	}
	for _, c := range collections {
		path := filepath.Join(dir, c.file)
		n, err := exportCollection(ctx, db.Collection(c.coll), path)
		rep.Counts[c.file] = n
		if err != nil {
			return rep, fmt.Errorf("export %s: %w", path, err)
		}
	}
	return rep, nil
}

func exportCollection(ctx context.Context, coll *mongo.Collection, path string) (int, error) {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp)
	w := bufio.NewWriterSize(f, 1<<20)
	cur, err := coll.Find(ctx, bson.D{}, options.Find().SetBatchSize(8))
	if err != nil {
		_ = f.Close()
		return 0, err
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) {
		b, err := bson.MarshalExtJSON(cur.Current, false, false)
		if err != nil {
			_ = f.Close()
			return n, fmt.Errorf("document %d: %w", n+1, err)
		}
		_, _ = w.Write(b)
		_ = w.WriteByte('\n')
		n++
	}
	if err := cur.Err(); err != nil {
		_ = f.Close()
		return n, err
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return n, err
	}
	if err := f.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(tmp, path)
}
