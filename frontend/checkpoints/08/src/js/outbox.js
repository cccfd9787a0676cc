// The outbox: posts wait in the IndexedDB store 'sync-posts' until the
// backend has them. Used by the service worker's sync handler and, where the
// browser has no SyncManager, by the page itself (needs db.js).
const OUTBOX_URL = 'http://localhost:3000/posts';
const OUTBOX_STORE = 'sync-posts';
const DEAD_LETTER_STORE = 'dead-letters';

// #region new-post-id
// An id that two posts never share, even when written in the same millisecond.
// It is also the Idempotency-Key: a replay of the same post is stored once.
function newPostId() {
    if (self.crypto && typeof self.crypto.randomUUID === 'function') {
        return self.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    self.crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
// #endregion new-post-id

// #region send-record
function sendOutboxRecord(record) {
    const formData = new FormData();
    formData.append('title', record.title);
    formData.append('location', record.location);
    formData.append('file', record.image_id, record.file_name || 'photo.jpg');
    return fetch(OUTBOX_URL, {
        method: 'POST',
        headers: { 'Idempotency-Key': record.id },
        body: formData,
    });
}
// #endregion send-record

// #region permanent-failure
// 4xx answers other than "timeout", "too early" and "too many requests" will
// not get better by retrying.
function isPermanentFailure(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
}
// #endregion permanent-failure

// #region replay-outbox
// Sends every waiting post once. Resolves with a summary when nothing is
// left to retry; rejects when a post must be tried again (network error or
// 5xx), so that event.waitUntil makes the browser retry the sync later.
async function replayOutbox(notify) {
    const records = await readAllData(OUTBOX_STORE);
    const summary = { sent: 0, rejected: 0, failed: 0 };
    for (const record of records) {
        let response;
        try {
            response = await sendOutboxRecord(record);
        } catch (err) {
            console.log('outbox: sending', record.id, 'failed, will retry:', err.message);
            summary.failed++;
            continue;
        }
        if (response.ok) {
            const saved = await response.json().catch(() => ({}));
            await deleteOneData(OUTBOX_STORE, record.id);
            summary.sent++;
            await notify({
                type: 'post-synced', id: record.id, post: saved,
                title: record.title, location: record.location, image: record.image_id,
            });
        } else if (isPermanentFailure(response.status)) {
            const reason = await response.text().catch(() => '');
            await moveData(OUTBOX_STORE, DEAD_LETTER_STORE, Object.assign({}, record, {
                status: response.status, error: reason, failed_at: new Date().toISOString(),
            }));
            summary.rejected++;
            await notify({ type: 'post-rejected', id: record.id, title: record.title, status: response.status });
        } else {
            console.log('outbox: backend answered', response.status, 'for', record.id, '- will retry');
            summary.failed++;
        }
    }
    // #region retry-signal
    if (summary.failed > 0) {
        throw new Error(summary.failed + ' post(s) could not be sent yet');
    }
    // #endregion retry-signal
    return summary;
}
// #endregion replay-outbox
