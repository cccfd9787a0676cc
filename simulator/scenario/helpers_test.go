package scenario_test

import (
	"errors"

	"synclab/simulator/session"
)

func asStepError(err error, target **session.StepError) bool { return errors.As(err, target) }
