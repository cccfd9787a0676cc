package session

import (
	"context"
	"errors"

	"synclab/failure"
)

// AsExpectation returns err's ExpectationError, or nil.
func AsExpectation(err error) *ExpectationError {
	var ee *ExpectationError
	if errors.As(err, &ee) {
		return ee
	}
	return nil
}

// ByDeadline reports whether a step's failure was decided by time running
// out (an expectation's deadline, the scenario's), not by an observation.
// Only such a verdict may differ when the same app runs again.
func ByDeadline(err error) bool {
	if ee := AsExpectation(err); ee != nil {
		return ee.Deadline
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// KindOf names the kind of a step's failure ("" for nil).
func KindOf(err error) string {
	if err == nil {
		return ""
	}
	var env *EnvironmentError
	if errors.As(err, &env) {
		return failure.Environment
	}
	if ee := AsExpectation(err); ee != nil && ee.Kind != "" {
		return ee.Kind
	}
	return failure.AppBroken
}
