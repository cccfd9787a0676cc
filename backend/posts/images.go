package posts

import (
	"container/list"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// fileDoc is a GridFS files document. The original backend keeps the type at
// the top level; the driver's own uploads keep it in metadata.
type fileDoc struct {
	ID          any       `bson:"_id"`
	Length      int64     `bson:"length"`
	Filename    string    `bson:"filename"`
	ContentType string    `bson:"contentType"`
	UploadDate  time.Time `bson:"uploadDate"`
	Metadata    struct {
		ContentType string `bson:"contentType"`
	} `bson:"metadata"`
}

type chunkDoc struct {
	FilesID any    `bson:"files_id"`
	N       int32  `bson:"n"`
	Data    []byte `bson:"data"`
}

// images loads the photos stored under the given filenames: one query for
// the files documents, and one for the chunks of every photo not yet cached.
// Filenames without a complete file are left out of the result.
func (s *Store) images(ctx context.Context, names []string) (map[string]Image, error) {
	out := make(map[string]Image, len(names))
	if len(names) == 0 {
		return out, nil
	}
	cur, err := s.files.Find(ctx, bson.D{{Key: "filename", Value: bson.D{{Key: "$in", Value: names}}}},
		options.Find().SetBatchSize(1000))
	if err != nil {
		return nil, classify(fmt.Errorf("find photos: %w", err))
	}
	var files []fileDoc
	if err := cur.All(ctx, &files); err != nil {
		return nil, classify(fmt.Errorf("read photos: %w", err))
	}
	var missing []fileDoc
	for _, f := range files {
		if im, ok := s.cache.get(f.Filename); ok && sameID(im.FileID, f.ID) {
			out[f.Filename] = im
			continue
		}
		missing = append(missing, f)
	}
	if len(missing) == 0 {
		return out, nil
	}
	ids := make([]any, len(missing))
	for i, f := range missing {
		ids[i] = f.ID
	}
	// A bounded batch size: FerretDB refuses replies over its message
	// limit, and each chunk can be 255 KiB (32 chunks ≤ 8 MiB).
	cur, err = s.chunks.Find(ctx, bson.D{{Key: "files_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		options.Find().SetBatchSize(32))
	if err != nil {
		return nil, classify(fmt.Errorf("find photo chunks: %w", err))
	}
	byFile := make(map[string][]chunkDoc, len(missing))
	for cur.Next(ctx) {
		var c chunkDoc
		if err := cur.Decode(&c); err != nil {
			_ = cur.Close(ctx)
			return nil, fmt.Errorf("decode photo chunk: %w", err)
		}
		k := idKey(c.FilesID)
		byFile[k] = append(byFile[k], c)
	}
	if err := cur.Err(); err != nil {
		_ = cur.Close(ctx)
		return nil, classify(fmt.Errorf("read photo chunks: %w", err))
	}
	_ = cur.Close(ctx)
	for _, f := range missing {
		chunks := byFile[idKey(f.ID)]
		data, ok := assemble(chunks, f.Length)
		if !ok {
			s.logger.Warn("photo is incomplete; listing its post without it", "filename", f.Filename, "chunks", len(chunks), "length", f.Length)
			continue
		}
		im := Image{FileID: objectID(f.ID), Filename: f.Filename, ContentType: contentTypeOf(f, data), Data: data, UploadDate: f.UploadDate}
		s.cache.put(f.Filename, im)
		out[f.Filename] = im
	}
	return out, nil
}

// assemble joins chunks in order of n and checks that none is missing.
func assemble(chunks []chunkDoc, length int64) ([]byte, bool) {
	slices.SortFunc(chunks, func(a, b chunkDoc) int { return int(a.N) - int(b.N) })
	data := make([]byte, 0, length)
	for i, c := range chunks {
		if int(c.N) != i {
			return nil, false
		}
		data = append(data, c.Data...)
	}
	return data, int64(len(data)) == length
}

func contentTypeOf(f fileDoc, data []byte) string {
	switch {
	case f.ContentType != "":
		return f.ContentType
	case f.Metadata.ContentType != "":
		return f.Metadata.ContentType
	default:
		return http.DetectContentType(data)
	}
}

func idKey(v any) string {
	switch id := v.(type) {
	case bson.ObjectID:
		return "oid:" + id.Hex()
	default:
		return fmt.Sprintf("%T:%v", v, v)
	}
}

func objectID(v any) bson.ObjectID {
	id, _ := v.(bson.ObjectID)
	return id
}

func sameID(a bson.ObjectID, b any) bool {
	return idKey(a) == idKey(b)
}

func dataURL(contentType string, data []byte) string {
	var b strings.Builder
	b.Grow(len("data:;base64,") + len(contentType) + base64.StdEncoding.EncodedLen(len(data)))
	b.WriteString("data:")
	b.WriteString(contentType)
	b.WriteString(";base64,")
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	_, _ = enc.Write(data)
	_ = enc.Close()
	return b.String()
}

// imageCache keeps recently used photos in memory, bounded by total bytes.
// GridFS files never change once written, so entries never go stale; they
// are dropped on delete and reset.
type imageCache struct {
	mu    sync.Mutex
	limit int64
	size  int64
	order *list.List // front = most recently used
	items map[string]*list.Element
}

type cacheEntry struct {
	name string
	im   Image
}

func newImageCache(limit int64) *imageCache {
	return &imageCache{limit: limit, order: list.New(), items: map[string]*list.Element{}}
}

func (c *imageCache) get(name string) (Image, bool) {
	if c.limit < 0 {
		return Image{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[name]
	if !ok {
		return Image{}, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).im, true
}

func (c *imageCache) put(name string, im Image) {
	if c.limit < 0 || int64(len(im.Data)) > c.limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[name]; ok {
		c.size -= int64(len(el.Value.(*cacheEntry).im.Data))
		c.order.Remove(el)
	}
	c.items[name] = c.order.PushFront(&cacheEntry{name: name, im: im})
	c.size += int64(len(im.Data))
	for c.size > c.limit {
		last := c.order.Back()
		e := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.items, e.name)
		c.size -= int64(len(e.im.Data))
	}
}

func (c *imageCache) remove(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[name]; ok {
		c.size -= int64(len(el.Value.(*cacheEntry).im.Data))
		c.order.Remove(el)
		delete(c.items, name)
	}
}

func (c *imageCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	c.items = map[string]*list.Element{}
	c.size = 0
}
