package session

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"synclab/lang"
	"synclab/simulator/trace"
)

// Card is a post card as the feed shows it.
type Card struct {
	Title    string `json:"title"`
	Location string `json:"location"`
	HasImage bool   `json:"has_image"`
}

// Post is what a user enters in the create-post form.
type Post struct {
	Title, Location string
	// Photo, if set, is picked as a file; otherwise the (fake) camera takes one.
	Photo     []byte
	PhotoName string
}

// OpenCreatePost opens the create-post modal with the + button.
func OpenCreatePost() Step {
	return named(lang.Say("open the create-post form", "das Formular für einen neuen Beitrag öffnen"), func(ctx context.Context, s *Session) error {
		missing, err := eval[string](ctx, s, `(() => {
  const b = document.querySelector('#share-image-button');
  if (!b) return '#share-image-button';
  b.click();
  return '';
})()`)
		return lacks(missing, err)
	})
}

// TakePhoto presses "Foto" once the camera shows a picture, and waits until
// the photo is ready.
func TakePhoto() Step {
	return named(lang.Say("take a photo", "ein Foto aufnehmen"), func(ctx context.Context, s *Session) error {
		state, err := eval[string](ctx, s, fmt.Sprintf(`(async (ms) => {
  const video = document.querySelector('#player');
  const capture = document.querySelector('#capture-btn');
  if (!video) return 'missing #player';
  if (!capture) return 'missing #capture-btn';
  const until = Date.now() + ms;
  while (video.readyState < 2 || !video.videoWidth) {
    if (Date.now() > until) return 'the camera showed no picture';
    await new Promise(r => setTimeout(r, 20));
  }
  capture.click();
  // The photo becomes a File asynchronously (canvas.toBlob). The course's
  // code keeps it in a global "file"; other code gets a moment instead.
  if (typeof file === 'undefined') {
    await new Promise(r => setTimeout(r, 250));
    return 'ok';
  }
  while (file === null) {
    if (Date.now() > until) return 'no photo';
    await new Promise(r => setTimeout(r, 20));
  }
  return 'ok';
})(%d)`, s.cfg.Timeout.Milliseconds()))
		if err != nil {
			return err
		}
		if state == "the camera showed no picture" {
			// A camera that is slow to start on a loaded machine is not the
			// app's fault: take the file picker, as a user would.
			s.Timeline.Add(trace.Page, "step", "the camera showed no picture: picking a photo file instead")
			return PickFile("foto.jpg", SamplePhoto(0)).Run(ctx, s)
		}
		if sel, ok := strings.CutPrefix(state, "missing "); ok {
			return lacks(sel, nil)
		}
		if state == "no photo" {
			return &ExpectationError{Kind: KindAppBroken, Within: s.cfg.Timeout,
				Expected: lang.Say("a photo after pressing Foto (#capture-btn)", "ein Foto nach dem Drücken von Foto (#capture-btn)"),
				Seen:     lang.Say("pressing it did not produce one (the global file stayed null)", "das Drücken ergab keins (die globale Variable file blieb null)")}
		}
		if state != "ok" {
			return fmt.Errorf("take a photo: %s", state)
		}
		return nil
	})
}

// PickFile chooses a photo with the file picker.
func PickFile(name string, data []byte) Step {
	return named(lang.Say("pick a photo file", "eine Fotodatei wählen"), func(ctx context.Context, s *Session) error {
		missing, err := eval[string](ctx, s, fmt.Sprintf(`(async (name, b64) => {
  const input = document.querySelector('#image-picker');
  if (!input) return '#image-picker';
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await new Promise(r => setTimeout(r, 50));
  return '';
})(%s, %s)`, strconv.Quote(name), strconv.Quote(base64.StdEncoding.EncodeToString(data))))
		return lacks(missing, err)
	})
}

// FillPost types the title and the location.
func FillPost(title, location string) Step {
	return named(lang.Say("enter title %q and location %q", "Titel %q und Ort %q eingeben", title, location), func(ctx context.Context, s *Session) error {
		missing, err := eval[string](ctx, s, fmt.Sprintf(`((title, location) => {
  for (const [sel, v] of [['#title', title], ['#location', location]]) {
    const el = document.querySelector(sel);
    if (!el) return sel;
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
  return '';
})(%s, %s)`, strconv.Quote(title), strconv.Quote(location)))
		return lacks(missing, err)
	})
}

// Submit presses "Speichern".
func Submit() Step {
	return named(lang.Say("press Speichern", "Speichern drücken"), func(ctx context.Context, s *Session) error {
		// The moment of the submit is taken before the click: what the
		// click causes (a sync registration, a POST) may be reported before
		// the click's own answer arrives, and must count as after it.
		at := time.Now()
		missing, err := eval[string](ctx, s, `(() => {
  const b = document.querySelector('#post-btn');
  if (!b) return '#post-btn';
  b.click();
  return '';
})()`)
		if err = lacks(missing, err); err == nil {
			s.mu.Lock()
			s.acted = at
			s.mu.Unlock()
			s.Timeline.Arrow(trace.Sim, trace.Page, "step", "submit the form")
		}
		return err
	})
}

// CreatePost does what a user does to share a photo: open the form, take a
// photo (or pick p.Photo), enter title and location, save.
func CreatePost(p Post) Step {
	photo := TakePhoto()
	if p.Photo != nil {
		name := p.PhotoName
		if name == "" {
			name = "photo.jpg"
		}
		photo = PickFile(name, p.Photo)
	}
	return Steps(lang.Say("create the post %q", "den Beitrag %q erstellen", p.Title), OpenCreatePost(), photo, FillPost(p.Title, p.Location), Submit())
}

// Snackbar returns the texts the snackbar has shown so far, oldest first.
func (s *Session) Snackbar(ctx context.Context) ([]string, error) {
	return s.Timeline.Tail(trace.Page, "snackbar", 100), nil
}

// Cards returns the feed's cards.
func (s *Session) Cards(ctx context.Context) ([]Card, error) {
	return eval[[]Card](ctx, s, `[...document.querySelectorAll('#shared-moments .mdl-card, #shared-moments .shared-moment-card')]
  .filter((c, i, all) => all.indexOf(c) === i)
  .map(c => {
    const title = c.querySelector('.mdl-card__title-text, h2');
    const loc = c.querySelector('.mdl-card__supporting-text');
    const img = c.querySelector('.mdl-card__title');
    const bg = img ? getComputedStyle(img).backgroundImage : 'none';
    return { title: title ? title.textContent.trim() : '', location: loc ? loc.textContent.trim() : '', has_image: bg !== 'none' && bg !== '' };
  })`)
}

// Alerts returns the texts of alert() calls the page made (they are
// answered at once so that a test never hangs on a dialog).
func (s *Session) Alerts() []string { return s.Timeline.Tail(trace.Page, "alert", 100) }

// screenshot adds a PNG of the newest app tab to the timeline, unless
// taking it needs longer than wait.
func (s *Session) screenshot(ctx context.Context, label string, wait time.Duration) {
	tab, err := s.appTab()
	if err != nil {
		return
	}
	cctx, cancel := withDeadline(ctx, tab, wait)
	defer cancel()
	png, err := s.bctx.Screenshot(cctx, cctx)
	if err != nil {
		return
	}
	s.Timeline.AddEvent(trace.Event{Lane: trace.Page, Kind: "screenshot", Text: label,
		Data: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

// lacks says that the page has no element sel (when sel is not empty),
// the element a user would use: the chapter's ids are part of its contract.
func lacks(sel string, err error) error {
	if err != nil || sel == "" {
		return err
	}
	return &ExpectationError{Kind: KindAppBroken, Instant: true, Unusable: true,
		Expected: lang.Say("an element %s on the page, as in the course's app", "ein Element %s auf der Seite, wie in der App des Kurses", sel),
		Seen:     lang.Say("there is none: the checks use the course's ids", "es gibt keins: die Prüfungen nutzen die IDs des Kurses")}
}
