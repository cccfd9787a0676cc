package grading

import (
	"fmt"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
)

// Partial is a grading that did not finish (stopped by a time limit or a
// signal): the checks that ended keep their verdicts, the others fail
// with "did not finish". It is never a grade: its status is "not graded",
// so Gradescope shows it with a request to rerun, not as a zero.
func Partial(sub Submission, checks []catalog.Check, done []runner.Result, v output.Versions, why lang.Text) Grade {
	g := Grade{Submission: sub, Status: NotGraded, Max: catalog.MaxPoints(checks), Versions: v}
	byID := map[string]runner.Result{}
	for _, r := range done {
		if _, ok := byID[r.ID]; !ok {
			byID[r.ID] = r
		}
	}
	finished := 0
	for _, ch := range checks {
		r, ok := byID[ch.ID]
		if ok {
			finished++
		} else {
			r = runner.Result{ID: ch.ID, Step: ch.Step, Group: ch.Group, Title: ch.Title, Help: ch.Help, Max: ch.Points, Status: runner.Failed,
				Message: "did not finish before the grading stopped",
				Said:    lang.Say("did not finish before the grading stopped", "nicht fertig geworden, bevor die Bewertung endete")}
		}
		g.Report.Results = append(g.Report.Results, r)
		g.Report.Max += r.Max
	}
	g.Reason = lang.Text{
		DE: fmt.Sprintf("unvollständig: %d von %d Checks fertig, dann %s", finished, len(checks), why.DE),
		EN: fmt.Sprintf("unfinished: %d of %d checks done, then %s", finished, len(checks), why.EN),
	}
	return g
}
