// Package screens takes the course's screenshots of the real app with the
// simulator: each scene runs a few session steps on a checkpoint (most of
// them a simulator scenario's own steps) and photographs the result; and
// Generate makes every picture of course/pictures again. It drives the
// browser, so only the course command (go run ./course -pictures) uses it,
// never the site the backend serves.
package screens

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"synclab/backend/samples"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// Scene is one screenshot.
type Scene struct {
	// Name is the file under pictures/screens/.
	Name string
	// Step is the checkpoint shown.
	Step string
	// Steps bring the app into the state to photograph.
	Steps []session.Step
	// Capture takes the picture (default: the app's tab).
	Capture func(ctx context.Context, b *browser.Browser, s *session.Session) ([]byte, error)
}

// Scenes returns every screenshot of the course.
func Scenes() ([]Scene, error) {
	feed, err := samplePosts(3)
	if err != nil {
		return nil, err
	}
	snackbar, err := scenarioSteps("snackbar")
	if err != nil {
		return nil, err
	}
	replay, err := scenarioSteps("replay")
	if err != nil {
		return nil, err
	}
	settle := session.Wait(600 * time.Millisecond) // MDL's animations
	post := func(title string) session.Post { return session.Post{Title: title, Location: "HTW Berlin"} }
	return []Scene{
		{Name: "00-feed.png", Step: "00", Steps: append(feed, session.OpenApp(), session.ExpectCards(3), settle)},
		{Name: "03-form.png", Step: "03", Steps: []session.Step{
			session.OpenApp(), session.OpenCreatePost(), session.TakePhoto(),
			session.FillPost("Mensa am Mittag", "HTW Berlin, Campus Wilhelminenhof"), settle,
		}},
		{Name: "04-snackbar.png", Step: "04", Steps: append(snackbar, session.Wait(400*time.Millisecond))},
		{Name: "06-outbox.png", Step: "06", Steps: []session.Step{
			session.OpenApp(), session.GoOffline(),
			session.CreatePost(post("Hörsaal offline")), session.CreatePost(post("Bibliothek")),
			session.ExpectOutbox(2),
		}, Capture: captureOutbox},
		{Name: "07-feed-after-replay.png", Step: "07", Steps: append(append(replay, feed[:2]...),
			session.Reload(), session.ExpectCard("Unterwegs offline"), settle)},
		// The last chance by hand (DevTools' way), not the check's four
		// attempts of the browser: the page shows the same.
		{Name: "08-last-chance.png", Step: "08", Steps: []session.Step{
			session.OpenApp(), session.GoOffline(), session.CreatePost(post("Letzte Chance")), session.ExpectOutbox(1),
			session.FailNext(100, 503), session.GoOnline(), session.ExpectPostRequests(1),
			session.DispatchSync(session.SyncTag, true), session.ExpectSnackbar("gespeichert und werden später gesendet"),
			session.Wait(300 * time.Millisecond),
		}},
	}, nil
}

// scenarioSteps are the steps of a check (with those of the parts it
// builds on, in order).
func scenarioSteps(name string) ([]session.Step, error) {
	sc, err := scenario.Find(name)
	if err != nil {
		return nil, err
	}
	steps := sc.Steps
	for _, p := range sc.Parts {
		steps = append(steps, p.Steps...)
	}
	return steps, nil
}

// samplePosts stores n of the backend's sample posts (drawn photos).
func samplePosts(n int) ([]session.Step, error) {
	ps, err := samples.Posts()
	if err != nil {
		return nil, err
	}
	var out []session.Step
	for _, p := range ps[:min(n, len(ps))] {
		out = append(out, session.StoreDirectly(p))
	}
	return out, nil
}

// Take runs a scene in a fresh session on app and returns the PNG.
func Take(ctx context.Context, b *browser.Browser, app fs.FS, sc Scene) ([]byte, error) {
	s, err := session.Open(ctx, session.Config{Browser: b, App: app, Timeout: 10 * time.Second, Screenshots: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sc.Name, err)
	}
	defer s.Close()
	if err := s.Do(ctx, sc.Steps...); err != nil {
		return nil, fmt.Errorf("%s (checkpoint %s): %w", sc.Name, sc.Step, err)
	}
	capture := sc.Capture
	if capture == nil {
		capture = captureApp
	}
	png, err := capture(ctx, b, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sc.Name, err)
	}
	return png, nil
}

// captureApp photographs the app's tab: it attaches to the tab showing
// the app, takes the picture and leaves the tab as it was.
func captureApp(ctx context.Context, b *browser.Browser, s *session.Session) ([]byte, error) {
	targets, err := chromedp.Targets(b.Root())
	if err != nil {
		return nil, fmt.Errorf("list the browser's tabs: %w", err)
	}
	for _, t := range targets {
		if t.Type != "page" || !strings.HasPrefix(t.URL, session.AppOrigin+"/") {
			continue
		}
		tctx, cancel := chromedp.NewContext(b.Root(), chromedp.WithTargetID(t.TargetID), chromedp.WithDetachOnCancel())
		defer cancel()
		tctx, cancelT := context.WithTimeout(tctx, 10*time.Second)
		defer cancelT()
		stop := context.AfterFunc(ctx, cancelT)
		defer stop()
		png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			return nil, fmt.Errorf("screenshot of the app: %w", err)
		}
		return png, nil
	}
	return nil, errors.New("no tab shows the app")
}
