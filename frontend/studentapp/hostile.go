package studentapp

// Hostile or runaway apps: code that never ends, floods its servers or
// eats memory. Grading must give each a clear reason and go on with the
// next submission, and the checks must not hang on them.

// LoopingWorker: the worker's sync handler never returns.
func LoopingWorker() Variant {
	return one("worker loops forever", "sw.js", "if (event.tag === 'sync-new-post') {", "if (event.tag === 'sync-new-post') {\n        for (;;) { /* never done */ }")
}

// RequestFlood: every page load fires thousands of requests at the app's
// own server.
func RequestFlood() Variant {
	return Variant{Name: "page floods its server", Patches: []Patch{{File: "src/js/app.js",
		Old: "// Registers the service worker, which caches the app shell and the feed.\n",
		New: "// Registers the service worker, which caches the app shell and the feed.\nfor (let i = 0; i < 20000; i++) { fetch('/src/images/main-image.jpg?n=' + i).catch(() => {}); }\n"}}}
}

// MemoryHog: the page allocates without end.
func MemoryHog() Variant {
	return Variant{Name: "page allocates without end", Patches: []Patch{{File: "src/js/app.js",
		Old: "// Registers the service worker, which caches the app shell and the feed.\n",
		New: "// Registers the service worker, which caches the app shell and the feed.\nconst hoard = [];\nsetInterval(() => { for (let i = 0; i < 20; i++) { hoard.push(new Array(1 << 20).fill(hoard.length)); } }, 20);\n"}}}
}

// MemoryHogLoop: the page allocates without end in a loop that never
// yields, so nothing else in the page runs again before it runs out of
// memory.
func MemoryHogLoop() Variant {
	return Variant{Name: "page allocates in a loop that never yields", Patches: []Patch{{File: "src/js/app.js",
		Old: "// Registers the service worker, which caches the app shell and the feed.\n",
		New: "// Registers the service worker, which caches the app shell and the feed.\nconst heap = [];\nwhile (true) { heap.push(new Array(1 << 20).fill(heap.length)); }\n"}}}
}
