package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"synclab/simulator/browser"
	"synclab/simulator/trace"
)

// harnessURL starts the name every script of the checks' own carries in the
// browser (a sourceURL comment), so that an error thrown in it is known as
// the checks' failure, not the app's.
const harnessURL = "synclab-harness/"

// harnessScript names src as the checks' own script file name.
func harnessScript(name, src string) string {
	return src + "\n//# sourceURL=" + harnessURL + name + "\n"
}

// inHarness reports whether an uncaught exception was thrown by the checks'
// own code: its innermost frame lies in a harness script. A DOMException
// is the app's even then: it comes from an IndexedDB call of the app that a
// harness wrapper passed on (see watchStorageJS).
func inHarness(d *runtime.ExceptionDetails) bool {
	if d == nil {
		return false
	}
	if d.Exception != nil && d.Exception.ClassName == "DOMException" {
		return false
	}
	if d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		return strings.HasPrefix(d.StackTrace.CallFrames[0].URL, harnessURL)
	}
	return strings.HasPrefix(d.URL, harnessURL)
}

// HarnessError says that a script of the checks' own failed in the app's
// page or worker: the verdict would not be the app's, so the session's
// steps fail as the environment's from then on.
type HarnessError struct{ Text string }

func (e *HarnessError) Error() string {
	return "the checks' own script failed in the browser (a bug of Sync Lab, not of the app; please report it): " + e.Text
}

// harnessFailed records an exception of the checks' own code.
func (s *Session) harnessFailed(lane trace.Lane, text string) {
	s.keepEnvErr(&HarnessError{Text: string(lane) + ": " + text})
	s.Timeline.Add(lane, "exception", "the checks' own script failed: "+text)
}

// askAboutSync asks the browser whether it does Background Sync when a
// failed step (its error, or an error the app threw) carries the browser's
// answer to a registration it refused (browser.NoSyncMessage). If the
// browser does not, no app can pass in it: the session's steps fail as the
// environment's from then on. An app that throws those words itself, in a
// browser that does Background Sync, only costs the question, once per
// browser.
func (s *Session) askAboutSync(ctx context.Context, stepErr error) {
	s.mu.Lock()
	known := errors.As(s.envErr, new(*browser.NoBackgroundSyncError))
	said := strings.Contains(stepErr.Error(), browser.NoSyncMessage)
	for _, e := range s.errors {
		said = said || strings.Contains(e.Text, browser.NoSyncMessage)
	}
	s.mu.Unlock()
	if known || !said || s.cfg.Browser == nil {
		return
	}
	var no *browser.NoBackgroundSyncError
	if err := s.cfg.Browser.BackgroundSync(ctx); errors.As(err, &no) {
		// It outranks an exception of the checks' own scripts, which it
		// caused (their sync calls fail too).
		s.mu.Lock()
		s.envErr = no
		s.mu.Unlock()
		s.Timeline.Add(trace.Sim, "fault", no.Error())
	}
}

// keepEnvErr keeps err as the failure that makes the session's verdicts
// not the app's (see Session.envErr) unless one is kept already, and
// reports whether it was the first.
func (s *Session) keepEnvErr(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.envErr != nil {
		return false
	}
	s.envErr = err
	return true
}

// envError returns the first failure that makes the session's verdicts
// not the app's (see Session.envErr), as an EnvironmentError, or nil.
func (s *Session) envError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.envErr == nil {
		return nil
	}
	return &EnvironmentError{s.envErr}
}

// evalError turns an exception thrown by a script the checks evaluate in a
// page or worker into an environment error: those scripts are the checks'
// own (the app's exceptions reach the session as events instead).
func evalError(where string, err error) error {
	var ex *chromedp.ExceptionError
	if errors.As(err, &ex) {
		return &EnvironmentError{&HarnessError{Text: where + ": " + exceptionText(ex.ExceptionDetails)}}
	}
	return fmt.Errorf("%s: %w", where, err)
}
