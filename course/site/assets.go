package site

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"synclab/course/listing"
)

// static holds the site's own style sheets and script.
//
//go:embed assets
var static embed.FS

// assets writes the style sheets, scripts, reveal.js and the pictures.
func (b *builder) assets() error {
	err := fs.WalkDir(static, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		b.put(p, content)
		return nil
	})
	if err != nil {
		return fmt.Errorf("site assets: %w", err)
	}
	b.put("assets/chroma.css", []byte(listing.CSS()))
	if len(b.site.Decks) > 0 {
		if len(b.src.Reveal) == 0 {
			return fmt.Errorf("the slides need reveal.js (npm ci in slides/)")
		}
		for name, content := range b.src.Reveal {
			b.put("assets/reveal/"+name, content)
		}
	}
	return fs.WalkDir(b.src.Pictures, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") || p == "manifest.json" {
			return err
		}
		content, err := fs.ReadFile(b.src.Pictures, p)
		if err != nil {
			return err
		}
		b.put("pictures/"+p, content)
		return nil
	})
}

// serviceWorker writes sw.js: it stores every page and asset when the
// site is first visited (the ZIPs when they are downloaded) and answers
// from its cache first, so the course works offline. The cache is named
// after the content, so a new build replaces it.
func (b *builder) serviceWorker() {
	var precache []string
	var parts [][]byte
	for _, p := range b.site.Paths() {
		parts = append(parts, []byte(p), b.site.files[p])
		if strings.HasPrefix(p, "steps/") {
			continue
		}
		precache = append(precache, p)
	}
	list, _ := json.MarshalIndent(precache, "", "  ")
	b.put("sw.js", []byte(fmt.Sprintf(serviceWorkerJS, hash(parts...), list)))
}

const serviceWorkerJS = `// The Sync Lab course's service worker: the course uses what it teaches.
// Cache first for the site's own files; everything is stored on install.
const CACHE = 'synclab-course-%s';
const PRECACHE = %s;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith('synclab-course-') && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    let hit = await cache.match(request, { ignoreSearch: true });
    if (!hit && new URL(request.url).pathname.endsWith('/')) {
      hit = await cache.match(new URL('index.html', request.url).href);
    }
    if (hit) {
      return hit;
    }
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      cache.put(request, response.clone());
    }
    return response;
  })());
});
`
