package session

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/backgroundservice"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/indexeddb"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"synclab/lang"
	"synclab/simulator/browser"
	"synclab/simulator/trace"
)

// SyncEvent is what the browser's background-sync machinery reported.
type SyncEvent struct {
	Time time.Time `json:"time"`
	// Name is the browser's description, e.g. "Registered sync",
	// "Dispatched sync event", "Sync event failed", "Sync completed".
	Name string `json:"name"`
	// Tag is the sync registration's tag (the browser's instance id).
	Tag  string            `json:"tag,omitempty"`
	Meta map[string]string `json:"meta,omitempty"`
}

// Is reports whether the event's name contains word (case-insensitive).
func (e SyncEvent) Is(word string) bool {
	return strings.Contains(strings.ToLower(e.Name), strings.ToLower(word))
}

func (e SyncEvent) String() string {
	if len(e.Meta) == 0 {
		return e.Name
	}
	var parts []string
	for k, v := range e.Meta {
		parts = append(parts, k+"="+v)
	}
	return e.Name + " (" + strings.Join(parts, ", ") + ")"
}

// SyncEvents returns the background-sync events seen so far.
func (s *Session) SyncEvents() []SyncEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SyncEvent(nil), s.syncLog...)
}

// observeControl watches the service-worker registrations and the browser's
// background-sync events from the control tab.
func (s *Session) observeControl() error {
	err := chromedp.Listen(s.control, func(ev any) {
		switch e := ev.(type) {
		case *serviceworker.EventWorkerRegistrationUpdated:
			for _, r := range e.Registrations {
				if strings.HasPrefix(r.ScopeURL, AppOrigin) && !r.IsDeleted {
					s.mu.Lock()
					s.regID = string(r.RegistrationID)
					s.mu.Unlock()
				}
			}
		case *serviceworker.EventWorkerVersionUpdated:
			s.versionsUpdated(e.Versions)
		case *serviceworker.EventWorkerErrorReported:
			em := e.ErrorMessage
			msg := "service worker error: " + em.ErrorMessage
			if em.SourceURL != "" {
				// Where, as the browser reports it: the worker's script or
				// a file it imported (importScripts), and the line.
				msg += fmt.Sprintf(" (%s:%d)", em.SourceURL, em.LineNumber)
			}
			s.addError(msg)
			s.Timeline.Add(trace.Worker, "exception", msg)
		case *backgroundservice.EventBackgroundServiceEventReceived:
			be := e.BackgroundServiceEvent
			if be == nil || be.Service != backgroundservice.ServiceNameBackgroundSync {
				return
			}
			se := SyncEvent{Time: time.Now(), Name: be.EventName, Tag: be.InstanceID, Meta: map[string]string{}}
			for _, m := range be.EventMetadata {
				se.Meta[m.Key] = m.Value
			}
			s.mu.Lock()
			s.syncLog = append(s.syncLog, se)
			s.mu.Unlock()
			s.Timeline.AddEvent(trace.Event{Lane: trace.Worker, Kind: "sync", Text: "browser: " + se.String()})
		}
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.control, 10*time.Second)
	defer cancel()
	return chromedp.Do(ctx,
		// A document: the IndexedDB domain needs one to answer.
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, indexeddb.Enable, cdp.Empty{}); err != nil {
				return fmt.Errorf("IndexedDB.enable: %w", err)
			}
			if _, err := cdp.Call(ctx, t, serviceworker.Enable, cdp.Empty{}); err != nil {
				return fmt.Errorf("ServiceWorker.enable: %w", err)
			}
			if _, err := cdp.Call(ctx, t, backgroundservice.StartObserving, backgroundservice.StartObservingParams{Service: backgroundservice.ServiceNameBackgroundSync}); err != nil {
				return fmt.Errorf("BackgroundService.startObserving: %w", err)
			}
			if _, err := cdp.Call(ctx, t, backgroundservice.SetRecording, backgroundservice.SetRecordingParams{ShouldRecord: true, Service: backgroundservice.ServiceNameBackgroundSync}); err != nil {
				return fmt.Errorf("BackgroundService.setRecording: %w", err)
			}
			return nil
		}))
}

// listenTarget records console messages, exceptions and network traffic of
// a page or the service worker in the timeline.
func (s *Session) listenTarget(ctx context.Context, lane trace.Lane) error {
	var (
		mu   sync.Mutex
		urls = map[network.RequestID]string{}
	)
	return chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, remoteText(a))
			}
			text := strings.Join(parts, " ")
			if strings.HasPrefix(text, idbPrefix) {
				s.Timeline.Arrow(lane, trace.IDB, "idb", strings.TrimPrefix(text, idbPrefix))
				return
			}
			if msg, ok := strings.CutPrefix(text, snackbarPrefix); ok {
				s.Timeline.Add(lane, "snackbar", msg)
				return
			}
			if mb, ok := strings.CutPrefix(text, memoryPrefix); ok {
				s.stopRunaway(lang.Say("the app's page held more than %d MB of JavaScript memory (%s MB: does it allocate without end?): the checks closed its tabs",
					"die Seite der App belegte mehr als %d MB JavaScript-Speicher (%s MB: belegt sie endlos Speicher?): die Prüfungen haben ihre Tabs geschlossen", pageHeapLimit>>20, mb))
				return
			}
			if strings.HasPrefix(text, floodPrefix) {
				s.stopRunaway(lang.Say("the app's page called fetch or XMLHttpRequest more than %d times (a request flood): the checks closed its tabs",
					"die Seite der App rief fetch oder XMLHttpRequest mehr als %d-mal auf (eine Anfrageflut): die Prüfungen haben ihre Tabs geschlossen", pageRequestLimit))
				return
			}
			if at, ok := strings.CutPrefix(text, pageSyncPrefix); ok {
				s.mu.Lock()
				if s.pageSync == "" {
					s.pageSync = strings.TrimPrefix(at, "at ")
				}
				s.mu.Unlock()
				s.Timeline.Add(lane, "console", "a page script adds a sync listener (where self is the window): "+at)
				return
			}
			if strings.HasPrefix(text, alertPrefix) {
				s.Timeline.Add(lane, "alert", strings.TrimPrefix(text, alertPrefix))
				return
			}
			s.Timeline.Add(lane, "console", text)
		case *inspector.EventTargetCrashed:
			if lane == trace.Worker && s.workerStopsExpected() {
				// A version stopped as a new one took over (see
				// DeployWorkerVersion): no crash.
				s.Timeline.Add(lane, "version", "the attached service worker stopped")
				return
			}
			s.mu.Lock()
			s.crashed = true
			s.mu.Unlock()
			s.addError(string(lane) + ": the page crashed")
			s.Timeline.Add(lane, "exception", "the page crashed")
			s.stopRunaway(lang.Say("the page crashed: out of memory (a tab may use %d MB during the checks), or its process was killed",
				"die Seite ist abgestürzt: kein Speicher mehr (ein Tab darf während der Prüfungen %d MB belegen), oder ihr Prozess wurde beendet", browser.JSHeapLimitMB))
		case *runtime.EventExceptionThrown:
			msg := exceptionText(e.ExceptionDetails)
			if inHarness(e.ExceptionDetails) {
				s.harnessFailed(lane, msg)
				return
			}
			s.addError(string(lane) + ": " + msg)
			s.Timeline.Add(lane, "exception", msg)
		case *network.EventRequestWillBeSent:
			if e.Request == nil || strings.HasPrefix(e.Request.URL, "data:") || strings.HasPrefix(e.Request.URL, "blob:") ||
				strings.HasSuffix(e.Request.URL, "?"+networkCheck) {
				// The checks' own probe (networkFirst) is neither the
				// app's request nor part of its trace.
				return
			}
			if s.started.Add(1) == maxRequests+1 {
				s.stopRunaway(lang.Say("the app started more than %d requests (a request flood): the checks closed its tabs",
					"die App startete mehr als %d Anfragen (eine Anfrageflut): die Prüfungen haben ihre Tabs geschlossen", maxRequests))
			}
			mu.Lock()
			urls[e.RequestID] = e.Request.URL
			mu.Unlock()
			ev := trace.Event{Lane: lane, To: trace.Backend, Kind: "request", Text: e.Request.Method + " " + e.Request.URL}
			if !strings.HasPrefix(e.Request.URL, APIOrigin) {
				// The app's own files: kept in trace.json, left out of the diagram.
				ev.To, ev.Kind = "", "asset"
			}
			s.Timeline.AddEvent(ev)
		case *network.EventResponseReceived:
			if e.Response != nil && strings.HasPrefix(e.Response.URL, APIOrigin) {
				s.Timeline.AddEvent(trace.Event{Lane: trace.Backend, To: lane, Kind: "response", Text: fmt.Sprintf("%d %s", e.Response.Status, e.Response.URL)})
			}
		case *network.EventLoadingFailed:
			if e.Canceled {
				return
			}
			mu.Lock()
			u, known := urls[e.RequestID]
			mu.Unlock()
			if !known {
				return // not the app's (the checks' probe)
			}
			if strings.HasPrefix(u, AppOrigin) || strings.HasPrefix(u, APIOrigin) {
				s.mu.Lock()
				s.failed = append(s.failed, failedRequest{Time: time.Now(), URL: u})
				s.mu.Unlock()
			}
			s.Timeline.Add(lane, "response", "request failed: "+e.ErrorText+" "+u)
		}
	})
}

func remoteText(a *runtime.RemoteObject) string {
	if a == nil {
		return ""
	}
	if len(a.Value) > 0 {
		var str string
		if json.Unmarshal(a.Value, &str) == nil {
			return str
		}
		return string(a.Value)
	}
	if a.Description != "" {
		return a.Description
	}
	return string(a.Type)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	msg := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		msg = d.Exception.Description
	}
	if d.URL != "" {
		msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	}
	return msg
}
