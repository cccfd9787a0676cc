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
	return atAppStart("page floods its server", "for (let i = 0; i < 20000; i++) { fetch('/src/images/main-image.jpg?n=' + i).catch(() => {}); }\n")
}

// MemoryHog: the page allocates without end.
func MemoryHog() Variant {
	return atAppStart("page allocates without end", "const hoard = [];\nsetInterval(() => { for (let i = 0; i < 20; i++) { hoard.push(new Array(1 << 20).fill(hoard.length)); } }, 20);\n")
}

// MemoryHogLoop: the page allocates without end in a loop that never
// yields, so nothing else in the page runs again before it runs out of
// memory.
func MemoryHogLoop() Variant {
	return atAppStart("page allocates in a loop that never yields", "const heap = [];\nwhile (true) { heap.push(new Array(1 << 20).fill(heap.length)); }\n")
}

// atAppStart adds js to app.js where the course's app starts (before it
// registers its service worker).
func atAppStart(name, js string) Variant {
	const start = "// Registers the service worker, which caches the app shell and the feed.\n"
	return one(name, "src/js/app.js", start, start+js)
}
