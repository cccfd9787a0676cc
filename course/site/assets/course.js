// Sync Lab course: keep the site available offline with its service worker.
(function () {
  var root = document.documentElement.getAttribute('data-root') || '';
  var status = document.querySelector('.offline-status');
  if (!('serviceWorker' in navigator)) {
    if (status) status.textContent = '';
    return;
  }
  navigator.serviceWorker.register(root + 'sw.js').then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    if (status) {
      status.textContent = status.getAttribute('data-ready');
      status.classList.add('ready');
    }
  }).catch(function (err) {
    if (status) status.textContent = '';
    console.warn('service worker not registered:', err && err.message);
  });
})();
