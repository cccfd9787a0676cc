importScripts('/src/js/idb.js');
importScripts('/src/js/db.js');
importScripts('/src/js/outbox.js');

// #region cache-names
const CURRENT_STATIC_CACHE = 'static-v2';
const CURRENT_DYNAMIC_CACHE = 'dynamic-v2';
// #endregion cache-names
const BACKEND_POSTS = 'http://localhost:3000/posts';

const APP_SHELL = [
    '/',
    '/index.html',
    '/src/js/app.js',
    '/src/js/feed.js',
    '/src/js/db.js',
    '/src/js/outbox.js',
    '/src/js/idb.js',
    '/src/js/material.min.js',
    '/src/css/fonts.css',
    '/src/css/app.css',
    '/src/css/feed.css',
    '/src/lib/mdl/material.min.css',
    '/src/lib/roboto/roboto-latin-400-normal.woff2',
    '/src/lib/roboto/roboto-latin-500-normal.woff2',
    '/src/lib/roboto/roboto-latin-700-normal.woff2',
    '/src/images/icons/app-icon-48x48.png',
    '/manifest.webmanifest',
    '/src/lib/material-icons/material-icons.woff2',
    '/src/images/main-image.jpg',
    '/src/images/main-image-sm.jpg',
];

self.addEventListener('install', event => {
    console.log('service worker: installing', CURRENT_STATIC_CACHE);
    event.waitUntil(
        caches.open(CURRENT_STATIC_CACHE)
            .then(cache => cache.addAll(APP_SHELL))
    );
});

self.addEventListener('activate', event => {
    console.log('service worker: activating');
    event.waitUntil(
        caches.keys()
            .then(keys => Promise.all(keys
                .filter(key => key !== CURRENT_STATIC_CACHE && key !== CURRENT_DYNAMIC_CACHE)
                .map(key => caches.delete(key))))
            .then(() => self.clients.claim())
    );
});

self.addEventListener('fetch', event => {
    if (!event.request.url.startsWith('http')) {
        return; // chrome-extension:// and the like
    }
    if (event.request.url.startsWith(BACKEND_POSTS)) {
        // The feed and new posts always go to the network; a fresh feed
        // replaces the posts kept in IndexedDB.
        event.respondWith(
            fetch(event.request)
                .then(response => {
                    if (event.request.method === 'GET' && event.request.url === BACKEND_POSTS && response.ok) {
                        const copy = response.clone();
                        clearAllData('posts')
                            .then(() => copy.json())
                            .then(posts => Promise.all(posts.map(post => writeData('posts', post))));
                    }
                    return response;
                })
                // Offline: the page sees a network error and falls back to
                // IndexedDB; the worker has nothing left unhandled.
                .catch(() => Response.error())
        );
        return;
    }
    // Everything else: cache first, then the network (and remember it).
    event.respondWith(
        caches.match(event.request)
            .then(cached => {
                if (cached) {
                    return cached;
                }
                return fetch(event.request)
                    .then(response => {
                        if (event.request.method === 'GET' && response.ok) {
                            const copy = response.clone();
                            caches.open(CURRENT_DYNAMIC_CACHE)
                                .then(cache => cache.put(event.request, copy));
                        }
                        return response;
                    })
                    .catch(() => Response.error());
            })
    );
});

// #region tell-clients
// Tells every open page of the app what happened.
function tellClients(message) {
    return self.clients.matchAll({ type: 'window', includeUncontrolled: true })
        .then(clients => clients.forEach(client => client.postMessage(message)));
}
// #endregion tell-clients

// #region sync-handler
self.addEventListener('sync', event => {
    console.log('service worker: sync event', event.tag, 'lastChance:', event.lastChance);
    if (event.tag === 'sync-new-post') {
        // #region wait-until
        // Returning the promise matters: if it rejects, the browser retries.
        event.waitUntil(
            replayOutbox(tellClients)
                .catch(err => {
                    if (!event.lastChance) {
                        throw err;
                    }
        // #endregion wait-until
                    // #region last-chance
                    console.log('service worker: last attempt failed:', err.message);
                    return tellClients({ type: 'sync-gave-up', reason: err.message })
                        .then(() => self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
                        .then(clients => {
                            if (clients.length === 0 && self.Notification && Notification.permission === 'granted') {
                                return self.registration.showNotification('HTW-Insta', {
                                    body: 'Beiträge konnten nicht gesendet werden. Sie bleiben gespeichert.',
                                    tag: 'sync-gave-up',
                                });
                            }
                        })
                        .then(() => { throw err; });
                    // #endregion last-chance
                })
        );
    }
});
// #endregion sync-handler
