// Package scenario turns the chapter's checks into runs of the simulator:
// each check's row in frontend/checks.json (what it proves, the step that
// teaches it, the failure the step before shows) and its steps in
// checks.go become a part of a journey (checks that observe one session,
// e.g. queue → snackbar → replay) or a scenario of its own.
package scenario

import (
	"fmt"
	"slices"
	"strings"

	"synclab/checks/catalog"
	"synclab/frontend"
	"synclab/simulator/session"
)

// Scenario is a named list of steps: a journey of several checks, or one
// check in a session of its own.
type Scenario struct {
	Name    string
	Purpose frontend.Text
	// Since is the first checkpoint that passes.
	Since string
	// AlsoPasses lists earlier checkpoints that pass for another reason
	// (e.g. they still send posts directly), with the reason.
	AlsoPasses []string
	AlsoWhy    string
	// FailsKind is the kind of failure (synclab/failure) expected on the
	// checkpoint before Since.
	FailsKind string
	// Steps are run in order.
	Steps []session.Step
	// Parts, if set, replace Steps: one journey through the app whose
	// stretches each have a verdict of their own (see Part).
	Parts []Part
}

// Part is a stretch of a scenario with a verdict of its own, so that
// several checks can observe one journey (queue → snackbar → replay) in one
// session. A part stops at its first failed step; the next part runs unless
// it needs a part that failed.
type Part struct {
	Name    string
	Purpose frontend.Text
	// Since is the first checkpoint that passes the part; FailsKind the
	// failure expected on the checkpoint before.
	Since     string
	FailsKind string
	// AlsoPasses lists earlier checkpoints that pass the part for another
	// reason (before step 03 the form still sends posts directly).
	AlsoPasses []string
	// Needs lists earlier parts that must pass for this one to make sense.
	Needs []string
	// After lists earlier parts whose steps must have run first, whatever
	// their verdict (e.g. the submit before looking into the outbox).
	After []string
	Steps []session.Step
}

// ShouldPass reports whether a checkpoint is expected to pass the part.
func (p Part) ShouldPass(step string) bool {
	return step >= p.Since || slices.Contains(p.AlsoPasses, step)
}

// Part returns the named part of the scenario.
func (sc Scenario) Part(name string) (Part, bool) {
	for _, p := range sc.parts() {
		if p.Name == name {
			return p, true
		}
	}
	return Part{}, false
}

// ShouldPass reports whether a checkpoint is expected to pass.
func (sc Scenario) ShouldPass(step string) bool {
	return step >= sc.Since || slices.Contains(sc.AlsoPasses, step)
}

// All returns every scenario in the chapter's order: the journeys and the
// checks that run in a session of their own, built from the checks' data
// and their steps.
func All() ([]Scenario, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	return Build(cat.Checks, Blocks(), Journeys())
}

// Build makes the scenarios from the checks' rows and their steps: a
// check's part takes its purpose (the title), its first checkpoint (the
// step) and its expected failure from the row, and needs its
// dependencies inside the journey unless its block says otherwise. Every
// row needs a block and every block a row.
func Build(checks []catalog.Check, blocks map[string]Block, journeys []Journey) ([]Scenario, error) {
	var (
		out   []Scenario
		at    = map[string]int{} // journey name → index in out
		errs  []string
		known = map[string]bool{}
	)
	for _, ch := range checks {
		known[ch.ID] = true
		b, ok := blocks[ch.ID]
		if !ok {
			errs = append(errs, fmt.Sprintf("check %s has no steps (add them to simulator/scenario/checks.go)", ch.ID))
			continue
		}
		p := Part{Name: ch.ID, Purpose: ch.Title, Since: ch.Step, FailsKind: ch.FailsKind, AlsoPasses: b.AlsoPasses, After: b.After, Steps: b.Steps}
		if b.Journey == "" {
			out = append(out, Scenario{Name: ch.ID, Purpose: ch.Title, Since: ch.Step, FailsKind: ch.FailsKind, AlsoPasses: b.AlsoPasses, AlsoWhy: b.AlsoWhy, Steps: b.Steps})
			continue
		}
		i, ok := at[b.Journey]
		if !ok {
			j := slices.IndexFunc(journeys, func(j Journey) bool { return j.Name == b.Journey })
			if j < 0 {
				errs = append(errs, fmt.Sprintf("check %s: no journey %q", ch.ID, b.Journey))
				continue
			}
			i = len(out)
			at[b.Journey] = i
			out = append(out, Scenario{Name: journeys[j].Name, Purpose: journeys[j].Purpose})
		}
		sc := &out[i]
		p.Needs = b.Needs
		if p.Needs == nil {
			for _, d := range ch.DependsOn {
				if _, in := sc.Part(d); in {
					p.Needs = append(p.Needs, d)
				}
			}
		}
		sc.Parts = append(sc.Parts, p)
	}
	for id := range blocks {
		if !known[id] {
			errs = append(errs, fmt.Sprintf("steps for %s, which frontend/checks.json does not list", id))
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, fmt.Errorf("the checks and their steps disagree: %s", strings.Join(errs, "; "))
	}
	for i := range out {
		sc := &out[i]
		if len(sc.Parts) == 0 {
			continue
		}
		// A journey passes where its last part does; the checkpoint before
		// fails with the first such part's kind (parts run in order).
		for _, p := range sc.Parts {
			if p.Since > sc.Since {
				sc.Since, sc.FailsKind = p.Since, p.FailsKind
			}
		}
	}
	return out, nil
}

// Find returns the scenario with the given name, or, for a check that is
// part of a journey, the journey cut down to that check and the parts it
// needs or comes after (named after the check).
func Find(name string) (Scenario, error) {
	all, err := All()
	if err != nil {
		return Scenario{}, err
	}
	var names []string
	for _, sc := range all {
		if sc.Name == name {
			return sc, nil
		}
		names = append(names, sc.Name)
		for _, p := range sc.Parts {
			if p.Name != name {
				continue
			}
			keep := needed(sc.Parts, []string{name})
			cut := Scenario{Name: name, Purpose: p.Purpose, Since: p.Since, FailsKind: p.FailsKind, AlsoPasses: p.AlsoPasses}
			for _, q := range sc.Parts {
				if keep[q.Name] {
					cut.Parts = append(cut.Parts, q)
				}
			}
			return cut, nil
		}
	}
	return Scenario{}, fmt.Errorf("no check or journey %q; choose one of: %s (or a check of a journey, see -list)", name, strings.Join(names, ", "))
}

// Holding returns the scenario that runs the check with the given id (a
// journey, or the check's own scenario).
func Holding(all []Scenario, id string) (Scenario, bool) {
	for _, sc := range all {
		if _, ok := sc.Part(id); ok {
			return sc, true
		}
	}
	return Scenario{}, false
}
