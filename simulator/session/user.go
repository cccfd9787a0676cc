package session

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domdebugger"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"synclab/failure"
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
		_, err := s.takePhoto(ctx)
		return err
	})
}

// takePhoto presses "Foto" once the camera shows a picture, and returns
// the way the photo was given in the end: the file picker when the camera
// showed no picture.
func (s *Session) takePhoto(ctx context.Context) (photoWay, error) {
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
  // The photo becomes a File asynchronously (canvas.toBlob, or a fetch of
  // the canvas's data URL). The course's code keeps it in a global "file";
  // other code gets a moment instead. An app may also keep the photo of
  // its previous post (a capture button it left disabled): after a second
  // that earlier photo counts.
  const before = typeof file === 'undefined' ? undefined : file;
  capture.click();
  if (typeof file === 'undefined') {
    await new Promise(r => setTimeout(r, 250));
    return 'ok';
  }
  const kept = Date.now() + 1000;
  while (file === null || file === before) {
    if (file !== null && Date.now() > kept) return 'ok';
    if (Date.now() > until) return 'no photo';
    await new Promise(r => setTimeout(r, 20));
  }
  return 'ok';
})(%d)`, s.cfg.Timeout.Milliseconds()))
	if err != nil {
		return byCamera, err
	}
	if state == "the camera showed no picture" {
		// A camera that is slow to start on a loaded machine is not the
		// app's fault: take the file picker, as a user would.
		s.Timeline.Add(trace.Page, "step", "the camera showed no picture: picking a photo file instead")
		return byPicker, PickFile("foto.jpg", SamplePhoto(0)).Run(ctx, s)
	}
	if sel, ok := strings.CutPrefix(state, "missing "); ok {
		return byCamera, lacks(sel, nil)
	}
	if state == "no photo" {
		return byCamera, &ExpectationError{Kind: failure.AppBroken, Within: s.cfg.Timeout, Deadline: true,
			Expected: lang.Say("a photo after pressing Foto (#capture-btn)", "ein Foto nach dem Drücken von Foto (#capture-btn)"),
			Seen:     lang.Say("pressing it did not produce one (the global file stayed null)", "das Drücken ergab keins (die globale Variable file blieb null)")}
	}
	if state != "ok" {
		return byCamera, fmt.Errorf("take a photo: %s", state)
	}
	return byCamera, nil
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
		_, _, err := s.submit(ctx)
		return err
	})
}

// submit presses "Speichern" and returns the dialogs the app raised while
// it handled the click, and the moment of the submit.
func (s *Session) submit(ctx context.Context) ([]string, time.Time, error) {
	// The moment of the submit is taken before the click: what the
	// click causes (a sync registration, a POST) may be reported before
	// the click's own answer arrives, and must count as after it.
	at := time.Now()
	res, err := eval[struct {
		Missing string   `json:"missing"`
		Dialogs []string `json:"dialogs"`
	}](ctx, s, `(() => {
  const b = document.querySelector('#post-btn');
  if (!b) return { missing: '#post-btn', dialogs: [] };
  const raised = window.`+dialogsVar+` || [];
  const before = raised.length;
  b.click();
  return { missing: '', dialogs: raised.slice(before) };
})()`)
	if err = lacks(res.Missing, err); err != nil {
		return nil, at, err
	}
	s.mu.Lock()
	s.acted = at
	s.mu.Unlock()
	s.Timeline.Arrow(trace.Sim, trace.Page, "step", "submit the form")
	return res.Dialogs, at, nil
}

// CreatePost does what a user does to share a photo: open the form, give
// the app a photo the way it takes one, enter title and location, save.
//
// The photo comes from the file picker (p.Photo, or a sample) when the app
// listens to the picker, and from the (fake) camera otherwise, as in the
// course's starting app, where the picker has no listener. When the app
// refuses the post at once (a dialog during the submit such as "take a
// photo first", and nothing stored, registered or sent), the other way is
// tried once before the journey goes on to judge. Which way was used is
// part of the evidence (Session.PhotoWays).
func CreatePost(p Post) Step {
	return named(lang.Say("create the post %q", "den Beitrag %q erstellen", p.Title), func(ctx context.Context, s *Session) error {
		if err := runSub(ctx, s, OpenCreatePost()); err != nil {
			return err
		}
		way, err := s.photoWay(ctx, p)
		if err != nil {
			return err
		}
		dialogs, at, way, err := s.photoAndSubmit(ctx, p, way)
		if err != nil {
			return err
		}
		if len(dialogs) == 0 || !s.refused(ctx, at) {
			s.usedWay(way, dialogs, nil)
			return nil
		}
		other := way.other()
		if ok, err := s.canUse(ctx, other); err != nil || !ok {
			s.usedWay(way, dialogs, nil)
			return err
		}
		s.Timeline.Add(trace.Sim, "step", fmt.Sprintf("the app refused the post (%s) after a photo from the %s: trying the %s", strings.Join(dialogs, "; "), way.said().EN, other.said().EN))
		again, _, used, err := s.photoAndSubmit(ctx, p, other)
		if err != nil {
			return err
		}
		s.usedWay(used, again, dialogs)
		return nil
	})
}

// runSub runs a step inside another, naming it in the error.
func runSub(ctx context.Context, s *Session, st Step) error {
	if err := st.Run(ctx, s); err != nil {
		return &StepError{Step: st.Name, Title: st.Said(), Err: err}
	}
	return nil
}

// photoAndSubmit gives the photo, fills in title and location and
// submits. It returns the dialogs the submit raised, its moment, and the
// way the photo was given in the end (a camera without a picture gives
// way to the file picker).
func (s *Session) photoAndSubmit(ctx context.Context, p Post, way photoWay) ([]string, time.Time, photoWay, error) {
	if way == byPicker {
		data, name := p.Photo, p.PhotoName
		if data == nil {
			data = SamplePhoto(0)
		}
		if name == "" {
			name = "photo.jpg"
		}
		if err := runSub(ctx, s, PickFile(name, data)); err != nil {
			return nil, time.Time{}, way, err
		}
	} else {
		take := TakePhoto()
		used, err := s.takePhoto(ctx)
		if err != nil {
			return nil, time.Time{}, used, &StepError{Step: take.Name, Title: take.Said(), Err: err}
		}
		way = used
	}
	if err := runSub(ctx, s, FillPost(p.Title, p.Location)); err != nil {
		return nil, time.Time{}, way, err
	}
	dialogs, at, err := s.submit(ctx)
	if err != nil {
		sub := Submit()
		return nil, at, way, &StepError{Step: sub.Name, Title: sub.Said(), Err: err}
	}
	return dialogs, at, way, nil
}

// photoWay is how a journey gives the app its photo.
type photoWay int

const (
	byCamera photoWay = iota
	byPicker
)

func (w photoWay) other() photoWay {
	if w == byCamera {
		return byPicker
	}
	return byCamera
}

func (w photoWay) said() lang.Text {
	if w == byPicker {
		return lang.Say("file picker (#image-picker)", "Dateiauswahl (#image-picker)")
	}
	return lang.Say("camera (#player, #capture-btn)", "Kamera (#player, #capture-btn)")
}

// photoWay chooses the first way to give the photo: the file picker when
// a journey brings its own photo and the app listens to the picker (it is
// quicker and its bytes are known), else the camera when the app has one,
// else the picker.
func (s *Session) photoWay(ctx context.Context, p Post) (photoWay, error) {
	picker, err := s.pickerHeard(ctx)
	if err != nil {
		return byCamera, err
	}
	if picker && p.Photo != nil {
		return byPicker, nil
	}
	camera, err := s.canUse(ctx, byCamera)
	if err != nil {
		return byCamera, err
	}
	if camera || !picker && p.Photo == nil {
		return byCamera, nil
	}
	return byPicker, nil
}

// canUse reports whether the page has the elements of a way.
func (s *Session) canUse(ctx context.Context, way photoWay) (bool, error) {
	expr := `!!document.querySelector('#player') && !!document.querySelector('#capture-btn')`
	if way == byPicker {
		expr = `!!document.querySelector('#image-picker')`
	}
	return eval[bool](ctx, s, expr)
}

// pickerHeard reports whether anything listens to the file picker: a
// change or input listener on #image-picker itself, or on its form, the
// body or the document (where a delegated listener would sit).
func (s *Session) pickerHeard(ctx context.Context) (bool, error) {
	tab, err := s.appTab()
	if err != nil {
		return false, err
	}
	cctx, cancel := withDeadline(ctx, tab, 5*time.Second)
	defer cancel()
	heard := false
	err = chromedp.Do(cctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		const group = "synclab-picker"
		defer func() {
			_, _ = cdp.Call(ctx, t, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: group})
		}()
		for i, expr := range []string{
			`document.querySelector('#image-picker')`,
			`(document.querySelector('#image-picker') || {}).form || null`,
			`document.body`,
			`document`,
		} {
			res, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ObjectGroup: group})
			if err != nil {
				return err
			}
			if res.ExceptionDetails != nil {
				return &chromedp.ExceptionError{ExceptionDetails: res.ExceptionDetails}
			}
			if res.Result == nil || res.Result.ObjectID == "" {
				if i == 0 {
					return nil // no picker at all
				}
				continue
			}
			got, err := cdp.Call(ctx, t, domdebugger.GetEventListeners, domdebugger.GetEventListenersParams{ObjectID: res.Result.ObjectID})
			if err != nil {
				return err
			}
			for _, l := range got.Listeners {
				if l.Type == "change" || l.Type == "input" {
					heard = true
					return nil
				}
			}
		}
		return nil
	}))
	if err != nil {
		return false, evalError("look for the file picker's listeners", err)
	}
	return heard, nil
}

// refused reports whether the app did nothing with the post submitted at
// at: no write to IndexedDB, no sync registration and no POST within a
// short while (it is asked only when the app raised a dialog).
func (s *Session) refused(ctx context.Context, at time.Time) bool {
	until := time.Now().Add(400 * time.Millisecond)
	for {
		if s.actedOnPost(at) {
			return false
		}
		if time.Now().After(until) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// actedOnPost reports whether the app stored, registered or sent anything
// since at. A POST counts when the browser starts it (the timeline's
// request), also when the network is off and it never reaches the proxy
// (postsSent).
func (s *Session) actedOnPost(at time.Time) bool {
	s.mu.Lock()
	for _, t := range s.postsSent {
		if !t.Before(at) {
			s.mu.Unlock()
			return true
		}
	}
	for _, e := range s.syncLog {
		if !e.Time.Before(at) && e.Is("Registered") {
			s.mu.Unlock()
			return true
		}
	}
	s.mu.Unlock()
	for _, e := range s.Timeline.Events() {
		if e.Kind == "idb" && e.Lane == trace.Page && !e.Time.Before(at) && strings.HasPrefix(e.Text, "write ") {
			return true
		}
		if e.Kind == "request" && !e.Time.Before(at) && strings.HasPrefix(e.Text, "POST "+APIOrigin) {
			return true
		}
	}
	return false
}

// usedWay records how the photo of a post was given, and what the app
// said about it, for the evidence.
func (s *Session) usedWay(way photoWay, dialogs, refusedWith []string) {
	said := lang.Say("a photo from the %s", "ein Foto über die %s", way.said())
	if len(refusedWith) > 0 {
		said = lang.Say("%s, after the app refused one from the %s (%s)", "%s, nachdem die App eines über die %s abgelehnt hatte (%s)", said, way.other().said(), strings.Join(refusedWith, "; "))
	}
	if len(dialogs) > 0 {
		said = lang.Say("%s; the app then said: %s", "%s; danach meldete die App: %s", said, strings.Join(dialogs, "; "))
	}
	s.mu.Lock()
	s.photoWays = append(s.photoWays, said)
	s.mu.Unlock()
	s.Timeline.Add(trace.Sim, "step", said.EN)
}

// PhotoWays says, per post the journeys created, how its photo was given
// (camera or file picker) and what the app said about it.
func (s *Session) PhotoWays() []lang.Text {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.photoWays)
}

// Snackbar returns the texts the snackbar has shown so far, oldest first.
func (s *Session) Snackbar(ctx context.Context) ([]string, error) {
	return s.snackbarSince(time.Time{}), nil
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
	return &ExpectationError{Kind: failure.AppBroken, Instant: true, Unusable: true,
		Expected: lang.Say("an element %s on the page, as in the course's app", "ein Element %s auf der Seite, wie in der App des Kurses", sel),
		Seen:     lang.Say("there is none: the checks use the course's ids", "es gibt keins: die Prüfungen nutzen die IDs des Kurses")}
}
