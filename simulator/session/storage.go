package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/indexeddb"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"synclab/lang"
	"synclab/simulator/trace"
)

// Database describes one IndexedDB database of the app's origin.
type Database struct {
	Name    string  `json:"name"`
	Version int     `json:"version"`
	Stores  []Store `json:"stores"`
}

// Store describes an object store.
type Store struct {
	Name    string `json:"name"`
	KeyPath string `json:"key_path"`
}

// HasStore reports whether the database has the named store.
func (d Database) HasStore(name string) bool {
	return slices.ContainsFunc(d.Stores, func(s Store) bool { return s.Name == name })
}

// Record is one stored value; Blob and File values appear as Blob.
type Record map[string]any

// Blob describes a Blob or File held in a record.
type Blob struct {
	Type string `json:"type"`
	Size int64  `json:"size"`
	Name string `json:"name,omitempty"`
	// Base64 holds the bytes when they were asked for.
	Base64 string `json:"base64,omitempty"`
}

// Blob returns the Blob held in field, if any.
func (r Record) Blob(field string) (Blob, bool) {
	m, ok := r[field].(map[string]any)
	if !ok || m["__blob"] != true {
		return Blob{}, false
	}
	b := Blob{}
	b.Type, _ = m["type"].(string)
	size, _ := m["size"].(float64)
	b.Size = int64(size)
	b.Name, _ = m["name"].(string)
	b.Base64, _ = m["base64"].(string)
	return b, true
}

// String returns a field as text.
func (r Record) String(field string) string {
	s, _ := r[field].(string)
	return s
}

// Databases lists the app origin's IndexedDB databases with their versions
// and stores. It works whether or not the app is open.
func (s *Session) Databases(ctx context.Context) ([]Database, error) {
	tab, ok := s.storageTab()
	if !ok {
		return workerStorage[[]Database](ctx, s, `databases()`)
	}
	cctx, cancel := withDeadline(ctx, tab, 5*time.Second)
	defer cancel()
	names, err := chromedp.Call(cctx, indexeddb.RequestDatabaseNames, indexeddb.RequestDatabaseNamesParams{StorageKey: AppOrigin + "/"})
	if err != nil {
		return nil, fmt.Errorf("list IndexedDB databases: %w", err)
	}
	var out []Database
	for _, n := range names.DatabaseNames {
		res, err := chromedp.Call(cctx, indexeddb.RequestDatabase, indexeddb.RequestDatabaseParams{StorageKey: AppOrigin + "/", DatabaseName: n})
		if err != nil {
			return nil, fmt.Errorf("read IndexedDB database %s: %w", n, err)
		}
		d := Database{Name: n}
		if w := res.DatabaseWithObjectStores; w != nil {
			d.Version = int(w.Version)
			for _, st := range w.ObjectStores {
				kp := ""
				if st.KeyPath != nil {
					kp = st.KeyPath.String
					if len(st.KeyPath.Array) > 0 {
						kp = strings.Join(st.KeyPath.Array, ",")
					}
				}
				d.Stores = append(d.Stores, Store{Name: st.Name, KeyPath: kp})
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// Database returns the named database, or false.
func (s *Session) Database(ctx context.Context, name string) (Database, bool, error) {
	dbs, err := s.Databases(ctx)
	if err != nil {
		return Database{}, false, err
	}
	for _, d := range dbs {
		if d.Name == name {
			return d, true, nil
		}
	}
	return Database{}, false, nil
}

// storageTab returns an open app tab: the IndexedDB domain reads through a
// document of the app's origin. Without one (the app is closed), storage is
// read by the service worker instead (see workerStorage).
func (s *Session) storageTab() (context.Context, bool) {
	tab, err := s.appTab()
	return tab, err == nil
}

// ErrNoStore means the database or the store does not exist.
var ErrNoStore = errors.New("no such IndexedDB store")

// workerStorageJS reads IndexedDB from inside the service worker, for when
// no app tab is open. Connections are closed at once so that no upgrade is
// ever blocked.
const workerStorageJS = `(() => {
  const openDB = (name) => new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const databases = async () => {
    const out = [];
    for (const info of await indexedDB.databases()) {
      const db = await openDB(info.name);
      const stores = [...db.objectStoreNames].map(n => {
        const kp = db.transaction(n).objectStore(n).keyPath;
        return { name: n, key_path: Array.isArray(kp) ? kp.join(',') : (kp || '') };
      });
      out.push({ name: info.name, version: db.version, stores });
      db.close();
    }
    return out;
  };
  const records = async (name, store, withBytes) => {
    const db = await openDB(name);
    try {
      const values = await new Promise((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const describe = %s;
      const out = [];
      for (const v of values) out.push(await describe.call(v, withBytes));
      return out;
    } finally { db.close(); }
  };
  return { databases, records };
})()`

// workerStorage evaluates call (databases() or records(…)) in the service
// worker.
func workerStorage[T any](ctx context.Context, s *Session, call string) (T, error) {
	var zero T
	sw, err := s.worker(ctx)
	if err != nil {
		return zero, fmt.Errorf("read IndexedDB while the app is closed: %w", err)
	}
	cctx, cancel := withDeadline(ctx, sw.ctx, 10*time.Second)
	defer cancel()
	js := "(" + fmt.Sprintf(workerStorageJS, describeRecordJS) + ")." + call
	v, err := chromedp.Run(cctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return zero, fmt.Errorf("read IndexedDB in the service worker: %w", err)
	}
	return v, nil
}

// describeRecordJS turns a stored value into JSON-able data, Blobs as
// {__blob, type, size, name[, base64]}.
const describeRecordJS = `async function(withBytes) {
  const blob = async (b) => {
    const o = { __blob: true, type: b.type, size: b.size, name: b.name || '' };
    if (withBytes) {
      const bytes = new Uint8Array(await b.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      o.base64 = btoa(s);
    }
    return o;
  };
  const v = this;
  if (v instanceof Blob) return { value: await blob(v) };
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (x instanceof Blob) out[k] = await blob(x);
    else if (x instanceof Date) out[k] = x.toISOString();
    else out[k] = x;
  }
  return out;
}`

// Records reads every record of a store (Blobs as type and size, plus their
// bytes when withBytes). It works whether or not the app is open.
func (s *Session) Records(ctx context.Context, dbName, store string, withBytes bool) ([]Record, error) {
	d, ok, err := s.Database(ctx, dbName)
	if err != nil {
		return nil, err
	}
	if !ok || !d.HasStore(store) {
		return nil, fmt.Errorf("%w: %s/%s", ErrNoStore, dbName, store)
	}
	tab, open := s.storageTab()
	if !open {
		return workerStorage[[]Record](ctx, s, fmt.Sprintf("records(%q, %q, %v)", dbName, store, withBytes))
	}
	cctx, cancel := withDeadline(ctx, tab, 10*time.Second)
	defer cancel()
	var out []Record
	err = chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var skip int64
		for {
			res, err := cdp.Call(ctx, t, indexeddb.RequestData, indexeddb.RequestDataParams{
				StorageKey: AppOrigin + "/", DatabaseName: dbName, ObjectStoreName: store, SkipCount: skip, PageSize: 100,
			})
			if err != nil {
				return fmt.Errorf("read %s/%s: %w", dbName, store, err)
			}
			for _, e := range res.ObjectStoreDataEntries {
				rec, err := describeValue(ctx, t, e.Value, withBytes)
				if err != nil {
					return err
				}
				out = append(out, rec)
			}
			if !res.HasMore || len(res.ObjectStoreDataEntries) == 0 {
				return nil
			}
			skip += int64(len(res.ObjectStoreDataEntries))
		}
	}))
	return out, err
}

func describeValue(ctx context.Context, t *chromedp.Target, v *runtime.RemoteObject, withBytes bool) (Record, error) {
	if v == nil {
		return Record{}, nil
	}
	if v.ObjectID == "" {
		// A primitive stored as is.
		var x any
		_ = json.Unmarshal(v.Value, &x)
		return Record{"value": x}, nil
	}
	yes := true
	arg, _ := json.Marshal(withBytes)
	res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: describeRecordJS,
		ObjectID:            v.ObjectID,
		Arguments:           []*runtime.CallArgument{{Value: arg}},
		ReturnByValue:       &yes,
		AwaitPromise:        &yes,
	})
	if err != nil {
		return nil, fmt.Errorf("read a stored record: %w", err)
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("read a stored record: %s", exceptionText(res.ExceptionDetails))
	}
	var rec Record
	if err := json.Unmarshal(res.Result.Value, &rec); err != nil {
		return nil, fmt.Errorf("decode a stored record: %w", err)
	}
	_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: v.ObjectID})
	return rec, nil
}

// Outbox returns the records waiting in sync-posts (nil, nil when the store
// does not exist yet).
func (s *Session) Outbox(ctx context.Context) ([]Record, error) {
	recs, err := s.Records(ctx, DBName, OutboxName, false)
	if errors.Is(err, ErrNoStore) {
		return nil, nil
	}
	return recs, err
}

// snapshotOutbox adds the outbox's content to the timeline.
func (s *Session) snapshotOutbox(ctx context.Context, why string) {
	recs, err := s.Outbox(ctx)
	if err != nil {
		return
	}
	var titles []string
	for _, r := range recs {
		titles = append(titles, r.String("title"))
	}
	s.Timeline.AddEvent(trace.Event{Lane: trace.IDB, Kind: "idb",
		Text: fmt.Sprintf("%s: sync-posts holds %d record(s) %v", why, len(recs), titles), Data: recs})
}

// seedJS creates posts-store as an older app version left it.
const seedJS = `(async (version, stores, posts) => {
  await new Promise((resolve, reject) => {
    const req = indexedDB.open('posts-store', version);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const [name, keyPath] of stores) {
        const st = db.createObjectStore(name, { keyPath });
        st.createIndex(keyPath, keyPath);
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('posts', 'readwrite');
      for (const p of posts) tx.objectStore('posts').put(p);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  });
  return 'ok';
})`

// SeedCheckpoint00Database creates posts-store version 1 with only the
// 'posts' store and one cached post, as a browser that ran the app before
// the chapter has it. Run it before OpenApp.
func SeedCheckpoint00Database() Step {
	return named(lang.Say("leave a posts-store v1 from checkpoint 00 in the browser", "eine Datenbank posts-store v1 aus Checkpoint 00 im Browser hinterlassen"), func(ctx context.Context, s *Session) error {
		// A page on the app's origin that the app does not control (no
		// service worker is registered yet), closed again afterwards.
		tab, cancel := chromedp.NewContext(s.control)
		defer cancel()
		cctx, ccancel := withDeadline(ctx, tab, 10*time.Second)
		defer ccancel()
		js := seedJS + `(1, [['posts', '_id']], [{_id: 'old-1', title: 'Aus dem Cache', location: 'Berlin', image_id: ''}])`
		if err := chromedp.Do(cctx, chromedp.Navigate(AppOrigin+"/__synclab-seed")); err != nil {
			return fmt.Errorf("open the app's origin: %w", err)
		}
		out, err := chromedp.Run(cctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil || out != "ok" {
			return fmt.Errorf("create posts-store v1: %v %s", err, out)
		}
		return closeTab(cctx, tab)
	})
}
