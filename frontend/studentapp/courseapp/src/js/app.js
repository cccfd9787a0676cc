let enableNotificationsButtons = document.querySelectorAll('.enable-notifications');

if ('serviceWorker' in navigator) {
    navigator.serviceWorker
        .register('/sw.js')
        .then(() => {
            console.log('service worker registriert');
        })
        .catch(
            err => { console.log(err); }
        );
}

// Benachrichtigungen kommen in einem späteren Kapitel.
for (let button of enableNotificationsButtons) {
    button.style.display = 'none';
}
