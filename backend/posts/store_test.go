package posts_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/event"

	"synclab/backend/posts"
	"synclab/backend/samples"
	"synclab/backend/testdb"
)

// commandCounter counts the commands a client sends, by name.
type commandCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *commandCounter) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.counts[e.CommandName]++
	}}
}

func (c *commandCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
}

// queries counts the commands that start a query (getMore only continues one).
func (c *commandCounter) queries() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts["find"] + c.counts["aggregate"] + c.counts["count"]
}

func (c *commandCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for name, v := range c.counts {
		if name != "endSessions" {
			n += v
		}
	}
	return n
}

func newPost(t testing.TB, i int) posts.NewPost {
	t.Helper()
	data, err := samples.Photo(40+i%9, 30, i)
	if err != nil {
		t.Fatal(err)
	}
	return posts.NewPost{Title: fmt.Sprintf("post %d", i), Location: "here", FileName: "p.jpg", ContentType: "image/jpeg", Data: data}
}

func TestListUsesAConstantNumberOfQueries(t *testing.T) {
	counter := &commandCounter{counts: map[string]int{}}
	db := testdb.New(t, testdb.WithMonitor(counter.monitor()))
	ctx := context.Background()
	writer := posts.NewStore(db.Database, posts.Options{})
	queriesFor := func(n int) int {
		t.Helper()
		// A store with no cache: every photo is read from GridFS.
		reader := posts.NewStore(db.Database, posts.Options{ImageCacheBytes: -1})
		counter.reset()
		list, err := reader.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != n {
			t.Fatalf("listed %d posts, want %d", len(list), n)
		}
		for _, p := range list {
			if p.Image == nil {
				t.Fatalf("post %s listed without its photo", p.Title)
			}
		}
		return counter.queries()
	}
	created := 0
	results := map[int]int{}
	for _, n := range []int{1, 5, 25} {
		for ; created < n; created++ {
			if _, err := writer.Create(ctx, newPost(t, created)); err != nil {
				t.Fatal(err)
			}
		}
		results[n] = queriesFor(n)
	}
	if results[1] != results[5] || results[5] != results[25] {
		t.Fatalf("commands sent by List for 1, 5, 25 posts = %v; want the same number whatever the count (commands: %v)", results, counter.counts)
	}
	if results[25] != 3 {
		t.Errorf("List started %d queries; want 3 (posts, files, chunks)", results[25])
	}
}

func TestCachedListSkipsChunks(t *testing.T) {
	counter := &commandCounter{counts: map[string]int{}}
	db := testdb.New(t, testdb.WithMonitor(counter.monitor()))
	ctx := context.Background()
	store := posts.NewStore(db.Database, posts.Options{})
	np := newPost(t, 1)
	if _, err := store.Create(ctx, np); err != nil {
		t.Fatal(err)
	}
	counter.reset()
	list, err := store.List(ctx)
	if err != nil || len(list) != 1 || !bytes.Equal(list[0].Image.Data, np.Data) {
		t.Fatalf("List = %v, %v", list, err)
	}
	if got := counter.total(); got != 2 {
		t.Errorf("a warm List sent %d commands (%v), want 2 (posts and files)", got, counter.counts)
	}
}

func TestCreateOnceSequentialAndMismatch(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	store := posts.NewStore(db.Database, posts.Options{})
	np := newPost(t, 3)
	p1, created1, err := store.CreateOnce(ctx, "k", np)
	if err != nil || !created1 {
		t.Fatalf("first = %v created=%v", err, created1)
	}
	p2, created2, err := store.CreateOnce(ctx, "k", np)
	if err != nil || created2 || p2.ID != p1.ID {
		t.Fatalf("repeat = %v created=%v id %s vs %s", err, created2, p2.ID.Hex(), p1.ID.Hex())
	}
	other := np
	other.Location = "elsewhere"
	if _, _, err := store.CreateOnce(ctx, "k", other); err == nil || err.Error() == "" || !isKeyReused(err) {
		t.Fatalf("mismatch = %v, want ErrKeyReused", err)
	}
	n, err := store.Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
	// Keys are kept: a sweep now forgets nothing.
	if gone, err := store.ForgetOldKeys(ctx); err != nil || gone != 0 {
		t.Fatalf("ForgetOldKeys right away = %d, %v; want 0", gone, err)
	}
}

func isKeyReused(err error) bool { return err != nil && errorsIs(err, posts.ErrKeyReused) }
