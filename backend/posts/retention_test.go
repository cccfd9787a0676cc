package posts

import (
	"context"
	"testing"
	"time"

	"synclab/backend/testdb"
)

func TestIdempotencyKeysAreKeptForTheRetentionPeriod(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	s := NewStore(db.Database, Options{KeyRetention: time.Hour}) // below the minimum: raised
	if s.retention < 24*time.Hour {
		t.Fatalf("retention = %v, want at least 24 h", s.retention)
	}
	photo := []byte("\xff\xd8\xff\xe0 not really a photo")
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	np := NewPost{Title: "t", Location: "l", FileName: "p.jpg", ContentType: "image/jpeg", Data: photo}
	if _, _, err := s.CreateOnce(ctx, "old", np); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		after time.Duration
		gone  int64
	}{
		{24 * time.Hour, 0},              // a day later: still kept
		{s.retention - time.Minute, 0},   // just inside the retention
		{s.retention + time.Minute, 1},   // past it: forgotten
		{s.retention + 2*time.Minute, 0}, // nothing left to forget
	} {
		now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC).Add(tc.after)
		n, err := s.ForgetOldKeys(ctx)
		if err != nil || n != tc.gone {
			t.Fatalf("after %v: forgot %d, %v; want %d", tc.after, n, err, tc.gone)
		}
	}
	// Once forgotten, the key may be used again for a new post.
	if _, created, err := s.CreateOnce(ctx, "old", np); err != nil || !created {
		t.Fatalf("reusing a forgotten key: created=%v, %v", created, err)
	}
}
