package grading

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
)

// Flake is a check whose verdict changed when it ran again on the same
// submission.
type Flake struct {
	ID string `json:"id"`
	// Verdicts are the check's verdicts: the graded run's first, then the
	// reruns'.
	Verdicts []runner.Status `json:"verdicts"`
}

// String says what happened, for a person to check by hand: "fallback
// failed when graded, passed on rerun".
func (f Flake) String() string { return f.In("en") }

// In says what happened in the report's language.
func (f Flake) In(l string) string {
	if len(f.Verdicts) == 0 {
		return f.ID
	}
	var later []string
	for _, v := range f.Verdicts[1:] {
		later = append(later, verdictText(v, l))
	}
	return tr(l, fmt.Sprintf("%s beim Bewerten %s, bei der Wiederholung %s", f.ID, verdictText(f.Verdicts[0], l), strings.Join(later, ", dann ")),
		fmt.Sprintf("%s %s when graded, %s on rerun", f.ID, f.Verdicts[0], strings.Join(later, ", then ")))
}

// verdictText is a check's status in the report's language: the words
// the checks' own output uses, and the status itself in English (as
// grades.json has it).
func verdictText(v runner.Status, l string) string {
	if lang.IsEnglish(l) {
		return string(v)
	}
	return output.StatusText(v, l)
}

// FlakyIDs lists the ids of the flaky checks.
func (g Grade) FlakyIDs() []string {
	var ids []string
	for _, f := range g.Flaky {
		ids = append(ids, f.ID)
	}
	return ids
}

// findFlaky runs the checks whose verdict a deadline decided in the graded
// run (see rerunSelection) cfg.FlakyReruns times more and returns the
// checks whose verdict changed (see isFlaky), and how many reruns it
// compared. A rerun
// the environment broke is retried like grading; when it stays broken it
// tells nothing and is not compared.
func findFlaky(ctx context.Context, cfg Config, app fs.FS, first runner.Report) ([]Flake, int) {
	if cfg.FlakyReruns <= 0 {
		return nil, 0
	}
	again := rerunSelection(cfg.Checks, first)
	if len(again) == 0 {
		return nil, 0
	}
	verdicts := map[string][]runner.Status{}
	for _, r := range first.Results {
		if slices.ContainsFunc(again, func(ch catalog.Check) bool { return ch.ID == r.ID }) {
			verdicts[r.ID] = []runner.Status{r.Status}
		}
	}
	reruns := 0
	for range cfg.FlakyReruns {
		rep, _, err := runRetrying(ctx, cfg, app, again)
		if err != nil || rep.EnvironmentFailed() {
			if cfg.Env.Session.Logger != nil {
				cfg.Env.Session.Logger.Warn("a rerun to find flaky checks could not run; its verdicts are not compared", "error", err, "environment failed", rep.EnvironmentFailed())
			}
			break
		}
		reruns++
		for _, r := range rep.Results {
			if v, ok := verdicts[r.ID]; ok {
				verdicts[r.ID] = append(v, r.Status)
			}
		}
	}
	var flaky []Flake
	for _, ch := range again {
		if v := verdicts[ch.ID]; isFlaky(v) {
			flaky = append(flaky, Flake{ID: ch.ID, Verdicts: v})
		}
	}
	return flaky, reruns
}

// isFlaky reports whether a check's verdicts (the graded run's first)
// disagree: it passed in one run and failed in another, or it was skipped
// when graded (a dependency did not pass) and passed on a rerun, so that
// its points are at stake too. A skip on a rerun says nothing about the
// check itself (its dependency is the one to look at).
func isFlaky(v []runner.Status) bool {
	if len(v) < 2 || !slices.Contains(v, runner.Passed) {
		return false
	}
	return slices.Contains(v, runner.Failed) || v[0] == runner.Skipped
}

// rerunSelection is what to run again after a graded run: the checks
// whose failure a deadline decided (time ran out before what they wait for
// was seen: another run may see it), the checks skipped because of such a
// failure, and, so that they can be decided, every check they depend on,
// in the chapter's order. A failure decided by an observation (the app
// threw, sent the wrong thing, a rule says it can no longer work) is
// certain and runs no second time; nothing reruns when no deadline decided
// a verdict.
func rerunSelection(checks []catalog.Check, first runner.Report) []catalog.Check {
	byID := map[string]catalog.Check{}
	for _, ch := range checks {
		byID[ch.ID] = ch
	}
	results := map[string]runner.Result{}
	for _, r := range first.Results {
		results[r.ID] = r
	}
	keep := map[string]bool{}
	var add func(id string)
	add = func(id string) {
		ch, ok := byID[id]
		if !ok || keep[id] {
			return
		}
		keep[id] = true
		for _, d := range ch.DependsOn {
			add(d)
		}
	}
	for _, r := range first.Results {
		if uncertain(r, results) {
			add(r.ID)
		}
	}
	var out []catalog.Check
	for _, ch := range checks {
		if keep[ch.ID] {
			out = append(out, ch)
		}
	}
	return out
}

// uncertain reports whether a verdict may differ on the same code: a
// failure a deadline decided, or a skip whose chain of checks it needed
// ends in such a failure.
func uncertain(r runner.Result, results map[string]runner.Result) bool {
	seen := map[string]bool{}
	for r.Status == runner.Skipped && r.SkippedFor != "" && !seen[r.ID] {
		seen[r.ID] = true
		next, ok := results[r.SkippedFor]
		if !ok {
			return false
		}
		r = next
	}
	return r.Status == runner.Failed && r.Deadline
}
