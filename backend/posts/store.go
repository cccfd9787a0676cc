// Package posts stores the feed's posts in MongoDB: each post in the
// collection "posts" and its photo in the GridFS bucket "posts".
package posts

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection and bucket names, as the course's original backend uses them.
const (
	PostsCollection = "posts"
	Bucket          = "posts"
	FilesCollection = Bucket + ".files"
	ChunkCollection = Bucket + ".chunks"
	KeysCollection  = "idempotency_keys"
)

// Errors the API turns into statuses.
var (
	// ErrNotFound means no post has the given id.
	ErrNotFound = errors.New("post not found")
	// ErrInvalidID means the id is not a 24-digit hex ObjectId.
	ErrInvalidID = errors.New("malformed post id")
	// ErrKeyReused means an idempotency key came back with another post.
	ErrKeyReused = errors.New("idempotency key was already used for a different post")
	// ErrKeyInProgress means another request with the same key is still running.
	ErrKeyInProgress = errors.New("a request with this idempotency key is still in progress")
	// ErrUnavailable means the database did not answer.
	ErrUnavailable = errors.New("database unavailable")
)

// Post is a stored post. ImageID is the GridFS filename of its photo.
type Post struct {
	ID       bson.ObjectID `bson:"_id" json:"_id"`
	Title    string        `bson:"title" json:"title"`
	Location string        `bson:"location" json:"location"`
	ImageID  string        `bson:"image_id" json:"image_id"`
	Version  int32         `bson:"__v" json:"-"`
}

// NewPost is what a client submits.
type NewPost struct {
	Title       string
	Location    string
	FileName    string
	ContentType string
	Data        []byte
}

// Image is a stored photo.
type Image struct {
	FileID      bson.ObjectID
	Filename    string
	ContentType string
	Data        []byte
	UploadDate  time.Time
}

// DataURL renders the image the way the original backend did.
func (im Image) DataURL() string { return dataURL(im.ContentType, im.Data) }

// Options tunes a Store.
type Options struct {
	// ImageCacheBytes bounds the in-memory cache of photos (GridFS files never
	// change once written). Zero means 256 MiB; negative disables it.
	ImageCacheBytes int64
	// KeyRetention is how long idempotency keys are kept (at least 24 h).
	KeyRetention time.Duration
	// Logger receives diagnostics.
	Logger *slog.Logger
}

// Store reads and writes posts and their photos.
type Store struct {
	db        *mongo.Database
	posts     *mongo.Collection
	files     *mongo.Collection
	chunks    *mongo.Collection
	keys      *mongo.Collection
	cache     *imageCache
	logger    *slog.Logger
	retention time.Duration
	now       func() time.Time

	indexMu sync.Mutex
	indexed bool // the GridFS indexes exist (ensureFileIndexes)
}

// NewStore returns a Store on db.
func NewStore(db *mongo.Database, o Options) *Store {
	if o.ImageCacheBytes == 0 {
		o.ImageCacheBytes = 256 << 20
	}
	if o.KeyRetention < 24*time.Hour {
		o.KeyRetention = 48 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{
		db:        db,
		posts:     db.Collection(PostsCollection),
		files:     db.Collection(FilesCollection),
		chunks:    db.Collection(ChunkCollection),
		keys:      db.Collection(KeysCollection),
		cache:     newImageCache(o.ImageCacheBytes),
		logger:    o.Logger,
		retention: o.KeyRetention,
		now:       time.Now,
	}
}

// Database returns the database the store works on.
func (s *Store) Database() *mongo.Database { return s.db }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.Client().Ping(ctx, nil); err != nil {
		return classify(fmt.Errorf("ping: %w", err))
	}
	return nil
}

// ParseID turns a hex string into an ObjectId or returns ErrInvalidID.
func ParseID(hexID string) (bson.ObjectID, error) {
	id, err := bson.ObjectIDFromHex(hexID)
	if err != nil {
		return bson.ObjectID{}, fmt.Errorf("%w: %q", ErrInvalidID, hexID)
	}
	return id, nil
}

// Create stores the photo in GridFS and then the post. If storing the post
// fails, the photo is removed again, so a failure leaves nothing behind.
func (s *Store) Create(ctx context.Context, np NewPost) (Post, error) {
	// The files document keeps the time in milliseconds; the cache the same.
	at := s.now().Truncate(time.Millisecond)
	filename := storedFilename(at, np.FileName)
	fileID, err := s.upload(ctx, filename, np.ContentType, np.Data, at)
	if err != nil {
		return Post{}, classify(fmt.Errorf("store photo: %w", err))
	}
	p := Post{ID: bson.NewObjectID(), Title: np.Title, Location: np.Location, ImageID: filename}
	if _, err := s.posts.InsertOne(ctx, p); err != nil {
		s.removeFile(context.WithoutCancel(ctx), fileID)
		return Post{}, classify(fmt.Errorf("store post: %w", err))
	}
	s.cache.put(filename, Image{FileID: fileID, Filename: filename, ContentType: np.ContentType, Data: np.Data, UploadDate: at})
	return p, nil
}

// ChunkSize is the size of a GridFS chunk as the drivers write it by default
// (255 KiB): a photo of 100 KB is one chunk.
const ChunkSize = 255 << 10

// upload writes one GridFS file as the GridFS specification lays it out:
// its chunks first, then its files document, so that a file only looks
// complete when all of it is there. (The driver's upload stream would
// allocate a 16 MiB buffer for every photo, whatever its size.) The type
// is kept at the top level of the files document, as the original backend
// (multer-gridfs-storage) does, and in metadata, as the driver does; course
// data and tools read either.
func (s *Store) upload(ctx context.Context, filename, contentType string, data []byte, at time.Time) (bson.ObjectID, error) {
	fileID := bson.NewObjectID()
	if err := s.ensureFileIndexes(ctx); err != nil {
		return fileID, err
	}
	chunks := make([]any, 0, len(data)/ChunkSize+1)
	for n, off := int32(0), 0; off < len(data); n, off = n+1, off+ChunkSize {
		chunks = append(chunks, chunkDoc{FilesID: fileID, N: n, Data: data[off:min(off+ChunkSize, len(data))]})
	}
	if len(chunks) > 0 {
		if _, err := s.chunks.InsertMany(ctx, chunks); err != nil {
			s.removeFile(context.WithoutCancel(ctx), fileID)
			return fileID, fmt.Errorf("write chunks: %w", err)
		}
	}
	file := bson.D{
		{Key: "_id", Value: fileID},
		{Key: "length", Value: int64(len(data))},
		{Key: "chunkSize", Value: int32(ChunkSize)},
		{Key: "uploadDate", Value: at},
		{Key: "filename", Value: filename},
		{Key: "metadata", Value: bson.D{{Key: "contentType", Value: contentType}}},
		{Key: "contentType", Value: contentType},
	}
	if _, err := s.files.InsertOne(ctx, file); err != nil {
		s.removeFile(context.WithoutCancel(ctx), fileID)
		return fileID, fmt.Errorf("write files document: %w", err)
	}
	return fileID, nil
}

// ensureFileIndexes creates the bucket's indexes the GridFS specification
// asks for (files by filename and upload date, chunks unique by file and
// number) before the store's first upload, as the drivers do. Like them it
// leaves alone an index on the same fields that exists already, whatever
// its name and options (a database another tool wrote to).
func (s *Store) ensureFileIndexes(ctx context.Context) error {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	if s.indexed {
		return nil
	}
	for _, ix := range []struct {
		coll   *mongo.Collection
		fields []string
		unique bool
	}{
		{s.files, []string{"filename", "uploadDate"}, false},
		{s.chunks, []string{"files_id", "n"}, true},
	} {
		has, err := hasIndexOn(ctx, ix.coll, ix.fields)
		if err != nil {
			return classify(fmt.Errorf("list the indexes of %s: %w", ix.coll.Name(), err))
		}
		if has {
			continue
		}
		keys := bson.D{}
		for _, f := range ix.fields {
			keys = append(keys, bson.E{Key: f, Value: 1})
		}
		model := mongo.IndexModel{Keys: keys}
		if ix.unique {
			model.Options = options.Index().SetUnique(true)
		}
		if _, err := ix.coll.Indexes().CreateOne(ctx, model); err != nil {
			return classify(fmt.Errorf("index %s: %w", ix.coll.Name(), err))
		}
	}
	s.indexed = true
	return nil
}

// hasIndexOn reports whether coll has an ascending index on exactly fields,
// in that order.
func hasIndexOn(ctx context.Context, coll *mongo.Collection, fields []string) (bool, error) {
	specs, err := coll.Indexes().ListSpecifications(ctx)
	if err != nil {
		return false, err
	}
	for _, spec := range specs {
		elems, err := spec.KeysDocument.Elements()
		if err != nil || len(elems) != len(fields) {
			continue
		}
		same := true
		for i, e := range elems {
			n, ok := e.Value().AsFloat64OK()
			same = same && e.Key() == fields[i] && ok && n == 1
		}
		if same {
			return true, nil
		}
	}
	return false, nil
}

func (s *Store) removeFile(ctx context.Context, fileID bson.ObjectID) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.deleteFile(ctx, fileID); err != nil {
		s.logger.Warn("could not remove the photo of a failed upload", "file_id", fileID.Hex(), "err", err)
	}
}

// deleteFile removes a GridFS file: its chunks first, then its files
// document, so that a half-done delete never leaves a file without chunks
// looking complete.
func (s *Store) deleteFile(ctx context.Context, fileID any) error {
	if _, err := s.chunks.DeleteMany(ctx, bson.D{{Key: "files_id", Value: fileID}}); err != nil {
		return classify(fmt.Errorf("delete photo chunks: %w", err))
	}
	if _, err := s.files.DeleteOne(ctx, bson.D{{Key: "_id", Value: fileID}}); err != nil {
		return classify(fmt.Errorf("delete photo: %w", err))
	}
	return nil
}

// storedFilename builds a GridFS filename like the original's
// "<epoch-ms>-jf-<name>", with a random part so that two uploads in the same
// millisecond never collide.
func storedFilename(now time.Time, original string) string {
	name := path.Base(strings.ReplaceAll(original, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		default:
			return '_'
		}
	}, name)
	if name == "" || name == "." || name == "_" || name == "/" {
		name = "photo"
	}
	if len(name) > 80 {
		name = name[len(name)-80:]
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%d-jf-%s-%s", now.UnixMilli(), hex.EncodeToString(b), name)
}

// WithImage is a post as the API shows it: ImageID holds a data URL.
type WithImage struct {
	Post
	Image *Image `json:"-"`
}

// List returns every post, oldest first, with its photo. It runs a constant
// number of queries: posts, their files, and (for photos not cached) all
// their chunks at once. A post whose photo is missing is listed with no image.
func (s *Store) List(ctx context.Context) ([]WithImage, error) {
	cur, err := s.posts.Find(ctx, bson.D{}, options.Find().SetBatchSize(500))
	if err != nil {
		return nil, classify(fmt.Errorf("list posts: %w", err))
	}
	var list []Post
	if err := cur.All(ctx, &list); err != nil {
		return nil, classify(fmt.Errorf("read posts: %w", err))
	}
	slices.SortStableFunc(list, func(a, b Post) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	names := make([]string, 0, len(list))
	for _, p := range list {
		if p.ImageID != "" {
			names = append(names, p.ImageID)
		}
	}
	images, err := s.images(ctx, names)
	if err != nil {
		return nil, err
	}
	out := make([]WithImage, len(list))
	for i, p := range list {
		out[i] = WithImage{Post: p}
		if im, ok := images[p.ImageID]; ok {
			out[i].Image = &im
		}
	}
	return out, nil
}

// Get returns one post with its photo.
func (s *Store) Get(ctx context.Context, id bson.ObjectID) (WithImage, error) {
	var p Post
	err := s.posts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return WithImage{}, fmt.Errorf("%w: %s", ErrNotFound, id.Hex())
	}
	if err != nil {
		return WithImage{}, classify(fmt.Errorf("find post %s: %w", id.Hex(), err))
	}
	w := WithImage{Post: p}
	if p.ImageID == "" {
		return w, nil
	}
	images, err := s.images(ctx, []string{p.ImageID})
	if err != nil {
		return WithImage{}, err
	}
	if im, ok := images[p.ImageID]; ok {
		w.Image = &im
	}
	return w, nil
}

// Delete removes a post, its GridFS file and the file's chunks.
func (s *Store) Delete(ctx context.Context, id bson.ObjectID) error {
	var p Post
	err := s.posts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%w: %s", ErrNotFound, id.Hex())
	}
	if err != nil {
		return classify(fmt.Errorf("find post %s: %w", id.Hex(), err))
	}
	if p.ImageID != "" {
		cur, err := s.files.Find(ctx, bson.D{{Key: "filename", Value: p.ImageID}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return classify(fmt.Errorf("find photo of %s: %w", id.Hex(), err))
		}
		var files []struct {
			ID any `bson:"_id"`
		}
		if err := cur.All(ctx, &files); err != nil {
			return classify(fmt.Errorf("read photo of %s: %w", id.Hex(), err))
		}
		for _, f := range files {
			if err := s.deleteFile(ctx, f.ID); err != nil {
				return fmt.Errorf("post %s: %w", id.Hex(), err)
			}
		}
		s.cache.remove(p.ImageID)
	}
	if _, err := s.posts.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return classify(fmt.Errorf("delete post %s: %w", id.Hex(), err))
	}
	return nil
}

// Image returns the photo of post id.
func (s *Store) Image(ctx context.Context, id bson.ObjectID) (Image, error) {
	w, err := s.Get(ctx, id)
	if err != nil {
		return Image{}, err
	}
	if w.Image == nil {
		return Image{}, fmt.Errorf("%w: post %s has no stored photo", ErrNotFound, id.Hex())
	}
	return *w.Image, nil
}

// Reset deletes every post, photo and idempotency key.
func (s *Store) Reset(ctx context.Context) error {
	for _, c := range []*mongo.Collection{s.posts, s.files, s.chunks, s.keys} {
		if _, err := c.DeleteMany(ctx, bson.D{}); err != nil {
			return classify(fmt.Errorf("reset %s: %w", c.Name(), err))
		}
	}
	s.cache.clear()
	return nil
}

// Count returns how many posts are stored.
func (s *Store) Count(ctx context.Context) (int64, error) {
	n, err := s.posts.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, classify(fmt.Errorf("count posts: %w", err))
	}
	return n, nil
}

// classify marks errors that mean "the database is not answering".
func classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	if IsUnavailable(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// IsUnavailable reports whether err says the database cannot be reached.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || mongo.IsNetworkError(err) || mongo.IsTimeout(err) {
		return true
	}
	var sse mongo.ServerError
	if errors.As(err, &sse) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "server selection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "client is disconnected") || errors.Is(err, context.DeadlineExceeded)
}
