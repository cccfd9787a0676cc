package posts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// keyDoc records what a request with an Idempotency-Key did.
type keyDoc struct {
	Key         string        `bson:"_id"`
	Fingerprint string        `bson:"fingerprint"`
	Done        bool          `bson:"done"`
	PostID      bson.ObjectID `bson:"post_id,omitempty"`
	CreatedAt   time.Time     `bson:"created_at"`
}

// stalePending is how long a key may stay "in progress" before a later
// request may assume its first request died and take over.
const stalePending = 2 * time.Minute

// Fingerprint identifies a submission by its title, location and photo bytes.
func Fingerprint(np NewPost) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(np.Title), []byte(np.Location), np.Data} {
		fmt.Fprintf(h, "%d:", len(part))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CreateOnce stores np at most once for key. The first request for a key
// stores the post and returns created=true; a repeat with the same post
// returns the first post and created=false without storing anything; a
// repeat with a different post fails with ErrKeyReused. Concurrent requests
// with one key store one post: the later ones wait for the first.
func (s *Store) CreateOnce(ctx context.Context, key string, np NewPost) (Post, bool, error) {
	fp := Fingerprint(np)
	for attempt := 0; attempt < 2; attempt++ {
		_, err := s.keys.InsertOne(ctx, keyDoc{Key: key, Fingerprint: fp, CreatedAt: s.now()})
		if err == nil {
			p, err := s.Create(ctx, np)
			if err != nil {
				// Free the key so that a retry can store the post.
				_, _ = s.keys.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: key}})
				return Post{}, false, err
			}
			if _, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: true}, {Key: "post_id", Value: p.ID}}}}); err != nil {
				s.logger.Warn("post stored but its idempotency key could not be completed", "key", key, "post", p.ID.Hex(), "err", err)
			}
			return p, true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return Post{}, false, classify(fmt.Errorf("record idempotency key: %w", err))
		}
		p, err := s.waitForKey(ctx, key, fp)
		if errors.Is(err, errStaleKey) {
			continue // the earlier request died; try to take the key over
		}
		return p, false, err
	}
	return Post{}, false, ErrKeyInProgress
}

var errStaleKey = errors.New("stale idempotency key")

// waitForKey waits until the request holding key has finished and returns
// its post.
func (s *Store) waitForKey(ctx context.Context, key, fp string) (Post, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		var k keyDoc
		err := s.keys.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&k)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			// The first request failed and freed the key.
			return Post{}, errStaleKey
		case err != nil:
			if ctx.Err() != nil {
				return Post{}, ErrKeyInProgress
			}
			return Post{}, classify(fmt.Errorf("read idempotency key: %w", err))
		case k.Fingerprint != fp:
			return Post{}, ErrKeyReused
		case k.Done:
			var p Post
			err := s.posts.FindOne(ctx, bson.D{{Key: "_id", Value: k.PostID}}).Decode(&p)
			if errors.Is(err, mongo.ErrNoDocuments) {
				// The post was deleted since; the key still says it was stored.
				return Post{}, fmt.Errorf("%w: the post stored for this idempotency key was deleted", ErrNotFound)
			}
			if err != nil {
				return Post{}, classify(fmt.Errorf("read post of idempotency key: %w", err))
			}
			return p, nil
		case s.now().Sub(k.CreatedAt) > stalePending:
			if _, err := s.keys.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "done", Value: false}}); err != nil {
				return Post{}, classify(fmt.Errorf("free stale idempotency key: %w", err))
			}
			return Post{}, errStaleKey
		}
		select {
		case <-ctx.Done():
			return Post{}, ErrKeyInProgress
		case <-tick.C:
		}
	}
}

// ForgetOldKeys deletes idempotency keys older than the retention period
// and returns how many it deleted.
func (s *Store) ForgetOldKeys(ctx context.Context) (int64, error) {
	res, err := s.keys.DeleteMany(ctx, bson.D{
		{Key: "done", Value: true},
		{Key: "created_at", Value: bson.D{{Key: "$lt", Value: s.now().Add(-s.retention)}}},
	})
	if err != nil {
		return 0, classify(fmt.Errorf("forget old idempotency keys: %w", err))
	}
	return res.DeletedCount, nil
}

// KeepKeysTidy runs ForgetOldKeys every interval until ctx ends.
func (s *Store) KeepKeysTidy(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.ForgetOldKeys(ctx); err != nil {
			if ctx.Err() == nil {
				s.logger.Warn("could not forget old idempotency keys", "err", err)
			}
		} else if n > 0 {
			s.logger.Info("forgot old idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
