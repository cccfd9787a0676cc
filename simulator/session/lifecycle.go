package session

// The service worker's life beyond one version and one attempt: a worker
// stopped while a replay waits for its answer, a new version deployed
// while a sync waits, the browser's last attempt.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"synclab/failure"
	"synclab/frontend"
	"synclab/lang"
	"synclab/simulator/trace"
)

// appFiles serves the app's files; a file can be replaced while the
// session runs (a new sw.js, deployed), for every request from then on.
type appFiles struct {
	base     fs.FS
	mu       sync.RWMutex
	replaced map[string][]byte
}

func newAppFiles(base fs.FS) *appFiles {
	return &appFiles{base: base, replaced: map[string][]byte{}}
}

// Open opens name: its replacement if it has one, else the app's file.
func (a *appFiles) Open(name string) (fs.File, error) {
	a.mu.RLock()
	data, ok := a.replaced[name]
	a.mu.RUnlock()
	if !ok {
		return a.base.Open(name)
	}
	return frontend.Files(map[string][]byte{name: data}).Open(name)
}

// replace makes name's bytes edit(current bytes) from now on. It returns
// the old and the new bytes.
func (a *appFiles) replace(name string, edit func([]byte) []byte) (old, now []byte, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	old, ok := a.replaced[name]
	if !ok {
		if old, err = fs.ReadFile(a.base, name); err != nil {
			return nil, nil, fmt.Errorf("read the app's %s: %w", name, err)
		}
	}
	now = edit(slices.Clone(old))
	a.replaced[name] = now
	return old, now, nil
}

// versionsUpdated keeps what the browser reports about the app's
// service-worker versions and puts each change of a version's status on
// the timeline.
func (s *Session) versionsUpdated(versions []*serviceworker.Version) {
	for _, v := range versions {
		if v == nil || !strings.HasPrefix(v.ScriptURL, AppOrigin+"/") {
			continue
		}
		s.mu.Lock()
		if s.versions == nil {
			s.versions = map[string]serviceworker.Version{}
		}
		old, known := s.versions[v.VersionID]
		s.versions[v.VersionID] = *v
		s.mu.Unlock()
		if !known || old.Status != v.Status || old.RunningStatus != v.RunningStatus {
			s.Timeline.Add(trace.Worker, "version", fmt.Sprintf("service worker version %s: %s, %s", v.VersionID, v.Status, v.RunningStatus))
		}
	}
}

// workerVersions returns the versions the browser reported, by id.
func (s *Session) workerVersions() map[string]serviceworker.Version {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]serviceworker.Version, len(s.versions))
	for id, v := range s.versions {
		out[id] = v
	}
	return out
}

// activeTarget returns the DevTools target of the active version, if it
// runs (empty otherwise).
func (s *Session) activeTarget() target.ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.versions {
		if v.Status == serviceworker.VersionStatusActivated && v.TargetID != "" {
			return v.TargetID
		}
	}
	return ""
}

// HoldNext makes the backend store the next n posts and hold their
// answers back until the client goes away (at most 15 s).
func HoldNext(n int) Step {
	return named(lang.Say("backend stores the next %d post(s) and holds the answer back", "das Backend speichert %[2]s und hält die Antwort zurück", n, nextPosts(n)), func(ctx context.Context, s *Session) error {
		s.Server.Lab.HoldNext(n)
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("next %d POST /posts: store, then hold the answer", n))
		return nil
	})
}

// StopWorkerWhileAnswerHeld waits until the backend holds the answer to a
// stored post (see HoldNext: the replay is on its way back), then stops the
// service worker, as the browser may do to an idle or busy worker at any
// time. It ends when the held request is gone, its client cut off. What
// the browser does next (a sync event that did not finish counts as
// failed and is retried) is for the expectations that follow to see.
func StopWorkerWhileAnswerHeld() Step {
	return named(lang.Say("stop the service worker while the backend holds the answer to a stored post", "den Service Worker anhalten, während das Backend die Antwort auf einen gespeicherten Beitrag zurückhält"), func(ctx context.Context, s *Session) error {
		lab := s.Server.Lab
		if st := lab.State(); st.HoldNext == 0 && st.Held == 0 {
			return errors.New("no answer is held and none will be: make the backend hold one first (HoldNext)")
		}
		err := s.waitFor(ctx, failure.PostRequests, lang.Say("a replayed post to be stored and its answer held", "ein wiederholter Beitrag wird gespeichert und seine Antwort zurückgehalten"), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				return lab.Held() > 0, lang.Say("the backend holds no answer after %s (answers: %s)", "das Backend hält keine Antwort zurück, nach %s (Antworten: %s)",
					nPostRequests(len(s.postRequests())), s.postStatuses()), nil
			})
		if err != nil {
			return err
		}
		held := lab.Held()
		if err := s.stopWorkers(ctx); err != nil {
			return err
		}
		stopped := time.Now()
		s.Timeline.Arrow(trace.Sim, trace.Worker, "fault", fmt.Sprintf("service worker stopped while the backend held %s", plural(held, "answer", "answers")))
		// The stop cuts the worker's requests off: the held one ends.
		ended, err := pollUntil(ctx, s.cfg.Timeout, 10*time.Millisecond, func() bool { return held == 0 || lab.Held() < held })
		switch {
		case err != nil:
			return err
		case !ended:
			return fmt.Errorf("the backend still holds the answer %v after the service worker was stopped", s.cfg.Timeout)
		}
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("the held request ended %d ms after the stop: its client went away", time.Since(stopped).Milliseconds()))
		return nil
	})
}

// DeployWorkerVersion serves sw.js as edit makes it from now on (a new
// version of the service worker, deployed while the app runs) and has the
// browser install and activate it. The update check is the one DevTools'
// Update button makes (the script is fetched whatever the session's
// emulated network: the deploy is the checks' doing, not the app's). A
// new version that does not activate within a second of being installed
// waits for the app's tabs (the chapter's workers do not call
// skipWaiting): the tabs are closed, and opened again once it is active.
// When the step ends the new version is active and controls the app, and
// if the session is offline, the new version is too (for its own requests
// and for Background Sync) and was so before the old one let go.
func DeployWorkerVersion(edit func(sw string) string) Step {
	return named(lang.Say("deploy a new version of the service worker (sw.js)", "eine neue Version des Service Workers (sw.js) ausliefern"), func(ctx context.Context, s *Session) error {
		if _, err := s.registrationID(ctx); err != nil {
			return err
		}
		known := s.workerVersions()
		old, now, err := s.files.replace("sw.js", func(b []byte) []byte { return []byte(edit(string(b))) })
		if err != nil {
			return err
		}
		if bytes.Equal(old, now) {
			return errors.New("the new sw.js is byte for byte the old one: the browser would not install it")
		}
		s.Timeline.Add(trace.Sim, "step", fmt.Sprintf("sw.js replaced (%d → %d bytes)", len(old), len(now)))
		cctx, cancel := withDeadline(ctx, s.control, s.cfg.Timeout)
		_, err = chromedp.Call(cctx, serviceworker.UpdateRegistration, serviceworker.UpdateRegistrationParams{ScopeURL: AppOrigin + "/"})
		cancel()
		if err != nil {
			return fmt.Errorf("ServiceWorker.updateRegistration: %w", err)
		}
		installed := lang.Say("the new version of sw.js to install", "die neue Version von sw.js wird installiert")
		fresh, err := s.waitNewVersion(ctx, known, installed, 0, func(v serviceworker.Version) bool {
			return v.Status != serviceworker.VersionStatusNew && v.Status != serviceworker.VersionStatusInstalling
		})
		if err != nil {
			return err
		}
		if fresh.Status == serviceworker.VersionStatusRedundant {
			return &ExpectationError{Kind: failure.WorkerNotActive, Expected: installed,
				Seen: lang.Say("the browser discarded it: its install failed", "der Browser verwarf sie: ihre Installation schlug fehl"), Context: s.workerHint(), Instant: true}
		}
		s.mu.Lock()
		offline := s.swOff
		s.mu.Unlock()
		if offline {
			// Offline before the old version lets go (see attachWorker).
			if err := s.attachVersion(ctx, fresh); err != nil {
				return err
			}
		} else {
			s.detachWorker()
		}
		active := func(v serviceworker.Version) bool {
			return v.Status == serviceworker.VersionStatusActivated || v.Status == serviceworker.VersionStatusRedundant
		}
		activated := lang.Say("the new version of sw.js to activate", "die neue Version von sw.js wird aktiv")
		fresh, err = s.waitNewVersion(ctx, known, activated, settle, active)
		var ee *ExpectationError
		if errors.As(err, &ee) && ee.Deadline {
			// It waits for the app's tabs to close.
			fresh, err = s.reopenForVersion(ctx, known, activated, active)
		}
		if err != nil {
			return err
		}
		if fresh.Status == serviceworker.VersionStatusRedundant {
			return &ExpectationError{Kind: failure.WorkerNotActive, Expected: activated,
				Seen: lang.Say("the browser discarded it: its activation failed", "der Browser verwarf sie: ihre Aktivierung schlug fehl"), Context: s.workerHint(), Instant: true}
		}
		s.Timeline.Add(trace.Worker, "step", fmt.Sprintf("service worker version %s active", fresh.VersionID))
		return nil
	})
}

// waitNewVersion waits until a version the session did not know (not in
// known) is in a state done accepts, and returns it.
func (s *Session) waitNewVersion(ctx context.Context, known map[string]serviceworker.Version, expected lang.Text, within time.Duration, done func(serviceworker.Version) bool) (serviceworker.Version, error) {
	var fresh serviceworker.Version
	err := s.waitFor(ctx, failure.WorkerNotActive, expected, within, func(ctx context.Context) (bool, lang.Text, error) {
		var seen []string
		for id, v := range s.workerVersions() {
			if _, ok := known[id]; ok {
				continue
			}
			seen = append(seen, fmt.Sprintf("%s %s", id, v.Status))
			if done(v) {
				fresh = v
				return true, lang.Text{}, nil
			}
		}
		slices.Sort(seen)
		return false, lang.Say("the browser reports the new versions: %s", "der Browser meldet die neuen Versionen: %s", listOrNone(seen)), nil
	})
	return fresh, err
}

// attachVersion attaches the session to version v's worker (offline if the
// session is), letting the worker it had go.
func (s *Session) attachVersion(ctx context.Context, v serviceworker.Version) error {
	named, err := pollUntil(ctx, s.cfg.Timeout, 20*time.Millisecond, func() bool {
		if v.TargetID == "" {
			v = s.workerVersions()[v.VersionID]
		}
		return v.TargetID != ""
	})
	switch {
	case err != nil:
		return err
	case !named:
		return fmt.Errorf("the browser named no DevTools target for service worker version %s (%s, %s) within %v", v.VersionID, v.Status, v.RunningStatus, s.cfg.Timeout)
	}
	_, err = s.attachWorker(ctx, v.TargetID, workerAnswers)
	return err
}

// reopenForVersion closes the app's tabs so that the waiting version
// activates, waits until it did, and opens as many tabs again. Versions stop meanwhile (the old one for good): the worker the
// session is attached to may stop without that counting as a crash.
func (s *Session) reopenForVersion(ctx context.Context, known map[string]serviceworker.Version, expected lang.Text, done func(serviceworker.Version) bool) (serviceworker.Version, error) {
	s.mu.Lock()
	tabs := len(s.appTabs)
	s.stopsExpected++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.stopsExpected--
		s.mu.Unlock()
	}()
	s.Timeline.Add(trace.Sim, "step", fmt.Sprintf("the new version waits: close the app's %s so that it activates", plural(tabs, "tab", "tabs")))
	if err := runSub(ctx, s, CloseAppTabs()); err != nil {
		return serviceworker.Version{}, err
	}
	fresh, err := s.waitNewVersion(ctx, known, expected, 0, done)
	if err != nil {
		return fresh, err
	}
	for range tabs {
		if err := runSub(ctx, s, ReopenApp()); err != nil {
			return fresh, err
		}
	}
	return fresh, nil
}

// workerStopsExpected reports whether a worker the session is attached to
// may stop now without that being a crash (see reopenForVersion).
func (s *Session) workerStopsExpected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopsExpected > 0
}

// lastChanceWithin is how long ExpectLastChance waits: the browser's three
// attempts (retried after 1 and 2 s, see browser.Launch) take about 3 s,
// more on a loaded machine.
const lastChanceWithin = 10 * time.Second

// attempt is one sync event the browser dispatched, and how it ended.
type attempt struct {
	tag        string
	at         time.Time
	lastChance bool
	// end is the browser's word on the attempt ("sync event failed",
	// "Sync completed"), empty while it runs.
	end    SyncEvent
	ended  bool
	failed bool
}

// syncAttempts pairs each dispatched sync event with the event that ended
// it; registered says when a sync was last registered.
func syncAttempts(events []SyncEvent) (attempts []attempt, registered time.Time) {
	for _, e := range events {
		switch {
		case e.Is("registered"):
			registered = e.Time
		case e.Is("dispatched"):
			attempts = append(attempts, attempt{tag: e.Tag, at: e.Time, lastChance: strings.EqualFold(e.Meta["Last Chance"], "yes")})
		case e.Is("failed") || e.Is("completed"):
			for i := len(attempts) - 1; i >= 0; i-- {
				a := &attempts[i]
				if !a.ended && (a.tag == e.Tag || a.tag == "" || e.Tag == "") {
					a.end, a.ended = e, true
					a.failed = e.Is("failed") || !strings.EqualFold(e.Meta["Status"], "succeeded")
					break
				}
			}
		}
	}
	return attempts, registered
}

// ExpectLastChance waits (up to 10 s) until the browser dispatched a sync
// event as its last chance (event.lastChance) and that attempt failed: the
// browser gives the registration up. It fails at once when the browser's
// attempts ended without a last chance (a sync that completed is not
// retried) or when the last chance succeeded.
func ExpectLastChance() Step {
	return named(lang.Say("expect the browser's last sync attempt to fail", "erwarten, dass der letzte Sync-Versuch des Browsers scheitert"), func(ctx context.Context, s *Session) error {
		start := time.Now()
		expected := lang.Say("the browser to dispatch the sync a last time (lastChance) and that attempt to fail", "der Browser löst den Sync ein letztes Mal aus (lastChance), und dieser Versuch scheitert")
		return s.waitFor(ctx, failure.SyncEvent, expected, lastChanceWithin, func(ctx context.Context) (bool, lang.Text, error) {
			attempts, registered := syncAttempts(s.SyncEvents())
			if len(attempts) == 0 {
				return false, lang.Say("the browser dispatched no sync event", "der Browser löste kein sync-Ereignis aus"), nil
			}
			last := attempts[len(attempts)-1]
			seen := lang.Say("the browser dispatched %s, the last one %s", "der Browser löste %s aus, das letzte %s",
				count(len(attempts), "sync event", "sync events", "sync-Ereignis", "sync-Ereignisse"), describeAttempt(last))
			for i, a := range attempts {
				if a.lastChance && a.ended && a.failed {
					s.Timeline.Add(trace.Worker, "sync", fmt.Sprintf("last chance: attempt %d, %.1f s after the first, ended: %s", i+1, a.at.Sub(attempts[0].at).Seconds(), a.end))
					return true, seen, nil
				}
			}
			if time.Since(start) > settle && last.ended && !last.failed && !registered.After(last.at) {
				why := lang.Say("the sync completed, and the browser retries only a sync that failed", "der Sync wurde abgeschlossen, und der Browser wiederholt nur einen gescheiterten Sync")
				if last.lastChance {
					why = lang.Say("the last chance succeeded", "die letzte Chance gelang")
				}
				return false, lang.Text{}, &doomedError{seen: seen, why: why}
			}
			return false, seen, nil
		})
	})
}

// describeAttempt says how a sync attempt went, for expectations.
func describeAttempt(a attempt) lang.Text {
	var chance lang.Text
	if a.lastChance {
		chance = lang.Say(" as the last chance", " als letzte Chance")
	}
	switch {
	case !a.ended:
		return lang.Say("(tag %q%s) still running", "(Tag %q%s) läuft noch", a.tag, chance)
	case a.failed:
		return lang.Say("(tag %q%s) failed: %s", "(Tag %q%s) scheiterte: %s", a.tag, chance, a.end.String())
	default:
		return lang.Say("(tag %q%s) completed: %s", "(Tag %q%s) wurde abgeschlossen: %s", a.tag, chance, a.end.String())
	}
}
