// IndexedDB access for the page and the service worker (needs idb.js).
// #region open-db
const db = idb.openDB('posts-store', 1, {
    upgrade(database) {
        // Posts loaded from the backend, kept for offline use.
        const postsStore = database.createObjectStore('posts', { keyPath: '_id' });
        postsStore.createIndex('_id', '_id');
    },
});
// #endregion open-db

// #region write-data
function writeData(storeName, data) {
    return db.then(database => {
        const tx = database.transaction(storeName, 'readwrite');
        tx.store.put(data);
        return tx.done;
    });
}
// #endregion write-data

function readAllData(storeName) {
    return db.then(database => {
        return database.getAll(storeName);
    });
}

function clearAllData(storeName) {
    return db.then(database => {
        const tx = database.transaction(storeName, 'readwrite');
        tx.store.clear();
        return tx.done;
    });
}

// #region delete-one
function deleteOneData(storeName, id) {
    db.then(database => {
        const tx = database.transaction(storeName, 'readwrite');
        tx.store.delete(id);
        return tx.done;
    })
    .then(() => {
        console.log('deleted', id, 'from', storeName);
    });
}
// #endregion delete-one
