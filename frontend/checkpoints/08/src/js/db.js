// IndexedDB access for the page and the service worker (needs idb.js).
//
// #region open-db
// Version 2 adds the dead-letter store. The upgrade creates whatever is
// missing, so it works for a new database and for one that an older version
// of the app left behind (version 1 with or without 'sync-posts').
const DB_VERSION = 2;

const db = idb.openDB('posts-store', DB_VERSION, {
    upgrade(database, oldVersion) {
        console.log('IndexedDB: upgrading posts-store from version', oldVersion, 'to', DB_VERSION);
        if (!database.objectStoreNames.contains('posts')) {
            // Posts loaded from the backend, kept for offline use.
            const postsStore = database.createObjectStore('posts', { keyPath: '_id' });
            postsStore.createIndex('_id', '_id');
        }
        // #region upgrade-missing
        if (!database.objectStoreNames.contains('sync-posts')) {
            // The outbox: posts waiting to be sent by the service worker.
            const syncStore = database.createObjectStore('sync-posts', { keyPath: 'id' });
            syncStore.createIndex('id', 'id');
        }
        // #endregion upgrade-missing
        if (!database.objectStoreNames.contains('dead-letters')) {
            // Posts the backend refused for good (4xx), kept for the user.
            database.createObjectStore('dead-letters', { keyPath: 'id' });
        }
    },
    blocking() {
        // A newer version of the app wants to upgrade: let it.
        db.then(database => database.close());
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
    return db.then(database => database.getAll(storeName));
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
    return db.then(database => {
        const tx = database.transaction(storeName, 'readwrite');
        tx.store.delete(id);
        return tx.done;
    });
}
// #endregion delete-one

// #region move-data
// Moves a record from one store to another in a single transaction, so it is
// never in both and never lost.
function moveData(fromStore, toStore, record) {
    return db.then(database => {
        const tx = database.transaction([fromStore, toStore], 'readwrite');
        tx.objectStore(toStore).put(record);
        tx.objectStore(fromStore).delete(record.id);
        return tx.done;
    });
}
// #endregion move-data
