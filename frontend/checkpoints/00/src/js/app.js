// Registers the service worker, which caches the app shell and the feed.
if ('serviceWorker' in navigator) {
    navigator.serviceWorker
        .register('/sw.js')
        .then(registration => {
            console.log('service worker registered, scope:', registration.scope);
        })
        .catch(err => {
            console.log('service worker registration failed:', err);
        });
}
