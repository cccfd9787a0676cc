package session

import (
	"context"
	"errors"

	"synclab/backend/posts"
	"synclab/lang"
	"synclab/simulator/trace"
)

// DatabaseError says that the checks' own database stopped answering
// during a session: what the backend stored, or would have stored, cannot
// be known any more, so no verdict from then on is the app's.
type DatabaseError struct{ Err error }

func (e *DatabaseError) Error() string { return e.Text().EN }
func (e *DatabaseError) Unwrap() error { return e.Err }

// Text says it in both languages, with what to do.
func (e *DatabaseError) Text() lang.Text {
	return lang.Say("the checks' database stopped answering (%v), so what the backend stored cannot be known. Run the checks again; with -mongo and a URI, check that server, or use -mongo embedded",
		"die Datenbank der Prüfungen antwortete nicht mehr (%v), daher ist unbekannt, was das Backend gespeichert hat. Starte die Prüfungen noch einmal; mit -mongo und einer URI prüfe diesen Server, oder nimm -mongo embedded",
		e.Err)
}

// noticeDatabase makes the session's steps fail as the environment's from
// now on when its database did not answer: the backend could not answer a
// request of the app's (the lab records that; an injected fault is not
// such a failure), or a step's own read of what the backend stored failed
// while the step still had time. The first failure that is not the app's
// is kept (see Session.envErr). An app the checks stopped as a runaway (a
// request flood can keep the database busy too) answers for what followed.
func (s *Session) noticeDatabase(ctx context.Context, stepErr error) {
	if errors.As(context.Cause(s.alive), new(*RunawayError)) {
		return
	}
	var failed error
	if s.Server != nil && s.Server.Lab != nil {
		failed = s.Server.Lab.DatabaseFailure()
	}
	if failed == nil && stepErr != nil && ctx.Err() == nil && errors.Is(stepErr, posts.ErrUnavailable) {
		failed = stepErr
	}
	if failed == nil {
		return
	}
	if s.keepEnvErr(&DatabaseError{Err: failed}) {
		s.Timeline.Add(trace.Backend, "fault", "the database stopped answering: "+failed.Error())
	}
}
