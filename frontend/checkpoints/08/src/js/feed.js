const BACKEND_URL = 'http://localhost:3000/posts';

const shareImageButton = document.querySelector('#share-image-button');
const createPostArea = document.querySelector('#create-post');
const closeCreatePostModalButton = document.querySelector('#close-create-post-modal-btn');
const sharedMomentsArea = document.querySelector('#shared-moments');
const form = document.querySelector('#create-post form');
const titleInput = document.querySelector('#title');
const locationInput = document.querySelector('#location');
const videoPlayer = document.querySelector('#player');
const canvasElement = document.querySelector('#canvas');
const captureButton = document.querySelector('#capture-btn');
const imagePicker = document.querySelector('#image-picker');
const imagePickerArea = document.querySelector('#pick-image');
const locationButton = document.querySelector('#location-btn');
const locationLoader = document.querySelector('#location-loader');
const mapDiv = document.querySelector('#map');

let file = null;        // the photo to upload (a File)
let imageURI = '';      // the same photo as a data URL, for the new card
let titleValue = '';
let locationValue = '';

// --- camera and file picker -------------------------------------------------

function initializeMedia() {
    if (!('mediaDevices' in navigator) || !navigator.mediaDevices.getUserMedia) {
        imagePickerArea.style.display = 'block';
        return;
    }
    navigator.mediaDevices.getUserMedia({ video: true })
        .then(stream => {
            videoPlayer.srcObject = stream;
            videoPlayer.style.display = 'block';
            captureButton.style.display = 'inline-block';
        })
        .catch(() => {
            // No camera (or no permission): offer the file picker instead.
            imagePickerArea.style.display = 'block';
            captureButton.style.display = 'none';
        });
}

function stopMedia() {
    if (videoPlayer.srcObject) {
        videoPlayer.srcObject.getVideoTracks().forEach(track => track.stop());
        videoPlayer.srcObject = null;
    }
}

captureButton.addEventListener('click', () => {
    canvasElement.style.display = 'block';
    videoPlayer.style.display = 'none';
    captureButton.disabled = true;
    const context = canvasElement.getContext('2d');
    const ratio = videoPlayer.videoHeight / videoPlayer.videoWidth || 0.75;
    canvasElement.height = Math.round(canvasElement.width * ratio);
    context.drawImage(videoPlayer, 0, 0, canvasElement.width, canvasElement.height);
    stopMedia();
    imageURI = canvasElement.toDataURL('image/jpeg');
    canvasElement.toBlob(blob => {
        file = new File([blob], 'myFile.jpg', { type: 'image/jpeg', lastModified: Date.now() });
    }, 'image/jpeg');
});

imagePicker.addEventListener('change', event => {
    const picked = event.target.files[0];
    if (!picked) {
        return;
    }
    file = picked;
    const reader = new FileReader();
    reader.onload = () => { imageURI = reader.result; };
    reader.readAsDataURL(picked);
});

// --- location (no outside service: the coordinates are the place) ----------

locationButton.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
        return;
    }
    locationButton.style.display = 'none';
    locationLoader.style.display = 'block';
    navigator.geolocation.getCurrentPosition(position => {
        const lat = position.coords.latitude.toFixed(4);
        const lon = position.coords.longitude.toFixed(4);
        locationInput.value = lat + ', ' + lon;
        locationInput.parentElement.classList.add('is-dirty');
        mapDiv.textContent = 'Standort: ' + lat + ', ' + lon;
        locationButton.style.display = 'inline';
        locationLoader.style.display = 'none';
    }, err => {
        console.log('no position:', err.message);
        alert('Der Standort konnte nicht ermittelt werden. Bitte den Ort eintippen.');
        locationButton.style.display = 'inline';
        locationLoader.style.display = 'none';
    }, { timeout: 7000 });
});

// --- the create-post modal --------------------------------------------------

function openCreatePostModal() {
    createPostArea.classList.add('is-open');
    initializeMedia();
}

function closeCreatePostModal() {
    createPostArea.classList.remove('is-open');
    imagePickerArea.style.display = 'none';
    videoPlayer.style.display = 'none';
    canvasElement.style.display = 'none';
    captureButton.style.display = 'inline-block';
    captureButton.disabled = false;
    locationButton.style.display = 'inline';
    locationLoader.style.display = 'none';
    stopMedia();
}

shareImageButton.addEventListener('click', openCreatePostModal);
closeCreatePostModalButton.addEventListener('click', closeCreatePostModal);

// --- the feed ---------------------------------------------------------------

function createCard(post) {
    const card = document.createElement('div');
    card.className = 'shared-moment-card mdl-card mdl-shadow--2dp';
    const title = document.createElement('div');
    title.className = 'mdl-card__title';
    if (post.image_id) {
        title.style.backgroundImage = 'url("' + post.image_id + '")';
    }
    const titleText = document.createElement('h2');
    titleText.className = 'mdl-card__title-text';
    titleText.textContent = post.title;
    title.appendChild(titleText);
    card.appendChild(title);
    const text = document.createElement('div');
    text.className = 'mdl-card__supporting-text';
    text.textContent = post.location;
    card.appendChild(text);
    sharedMomentsArea.appendChild(card);
}

function clearCards() {
    while (sharedMomentsArea.hasChildNodes()) {
        sharedMomentsArea.removeChild(sharedMomentsArea.lastChild);
    }
}

function updateUI(posts) {
    for (const post of posts) {
        createCard(post);
    }
}

let feedFromNetwork = false;

fetch(BACKEND_URL)
    .then(response => response.json())
    .then(posts => {
        feedFromNetwork = true;
        clearCards();
        updateUI(posts);
    })
    .catch(err => {
        console.log('feed not reachable, showing the stored posts:', err.message);
    });

if ('indexedDB' in window) {
    readAllData('posts')
        .then(posts => {
            if (!feedFromNetwork) {
                clearCards();
                updateUI(posts);
            }
        });
}

// --- sending a new post -----------------------------------------------------

function showToast(message) {
    const toast = document.querySelector('#confirmation-toast');
    if (toast && toast.MaterialSnackbar) {
        toast.MaterialSnackbar.showSnackbar({ message: message, timeout: 2500 });
    }
}

// #region outbox-messages
// What the outbox reports (from the service worker, or from the page itself
// when there is no SyncManager).
function handleOutboxMessage(message) {
    switch (message.type) {
    // #region post-synced
    case 'post-synced':
        updateUI([{
            title: message.title,
            location: message.location,
            image_id: message.image instanceof Blob ? URL.createObjectURL(message.image) : '',
        }]);
        showToast('„' + message.title + '“ wurde gesendet.');
        break;
    // #endregion post-synced
    case 'post-rejected':
        showToast('„' + message.title + '“ wurde vom Server abgelehnt (' + message.status + ').');
        break;
    case 'sync-gave-up':
        showToast('Beiträge konnten nicht gesendet werden. Sie bleiben gespeichert und werden später gesendet.');
        break;
    }
}

if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', event => handleOutboxMessage(event.data));
}
// #endregion outbox-messages

const canSyncInBackground = 'serviceWorker' in navigator && 'SyncManager' in window;

// #region page-replay
// Without background sync the page sends the outbox itself.
function sendDataToBackend() {
    return replayOutbox(message => handleOutboxMessage(message))
        .catch(err => {
            console.log('outbox: not sent yet:', err.message);
            showToast('Offline: der Beitrag wird gesendet, sobald die Verbindung wieder steht.');
        });
}

// Posts left over (after the browser gave up retrying, or written without
// background sync) are sent again when the app opens or comes back online.
readAllData('sync-posts').then(records => {
    if (records.length === 0) {
        return;
    }
    if (canSyncInBackground) {
        return navigator.serviceWorker.ready.then(registration => registration.sync.register('sync-new-post'));
    }
    return sendDataToBackend();
});
if (!canSyncInBackground) {
    window.addEventListener('online', () => sendDataToBackend());
}
// #endregion page-replay

// #region submit
form.addEventListener('submit', event => {
    event.preventDefault();

    if (file == null) {
        alert('Bitte zuerst ein Foto aufnehmen oder auswählen!');
        return;
    }
    if (titleInput.value.trim() === '' || locationInput.value.trim() === '') {
        alert('Bitte Titel und Ort angeben!');
        return;
    }

    closeCreatePostModal();

    titleValue = titleInput.value;
    locationValue = locationInput.value;

    const post = {
        id: newPostId(),
        title: titleValue,
        location: locationValue,
        image_id: file,
        file_name: file.name,
    };
    // #region outbox-first
    // Always through the outbox: nothing is lost if the network drops.
    writeData('sync-posts', post)
        .then(() => {
            if (!canSyncInBackground) {
                return sendDataToBackend();
            }
            return navigator.serviceWorker.ready
                .then(registration => registration.sync.register('sync-new-post'))
                .then(() => showToast('Beitrag zum Synchronisieren gespeichert!'));
        })
    // #endregion outbox-first
        .catch(err => {
            console.log('could not keep the post:', err);
            showToast('Der Beitrag konnte nicht gespeichert werden: ' + err.message);
        });
});
// #endregion submit
