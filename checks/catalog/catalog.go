// Package catalog reads the chapter's graded checks from their data
// (frontend/checks.json): what each check proves (its steps are in
// simulator/scenario/checks.go under the same id), its points, what it
// depends on and the hints for its failures, and selects the checks a run
// asks for.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"synclab/failure"
	"synclab/frontend"
	"synclab/lang"
)

// Check is one graded check.
type Check struct {
	ID     string  `json:"id"`
	Step   string  `json:"step"`
	Group  string  `json:"group"`
	Points float64 `json:"points"`
	// DependsOn lists checks that must pass first; when one does not, this
	// check is skipped.
	DependsOn []string `json:"depends_on"`
	// FailsKind is the kind of failure the checkpoint before Step shows.
	FailsKind string    `json:"fails_kind,omitempty"`
	Title     lang.Text `json:"title"`
	Help      lang.Text `json:"help"`
	Hints     []Hint    `json:"hints"`
	// Visibility says when a student sees the check, in Gradescope's
	// terms: visible (the default, also when empty), after_due_date,
	// after_published or hidden. The student-side command runs only the
	// visible ones unless asked for all.
	Visibility string `json:"visibility,omitempty"`
}

// The visibilities a check may have (Gradescope's values).
const (
	Visible        = "visible"
	AfterDueDate   = "after_due_date"
	AfterPublished = "after_published"
	Hidden         = "hidden"
)

// Visibilities lists the valid visibilities.
var visibilities = []string{Visible, AfterDueDate, AfterPublished, Hidden}

// Seen is the check's visibility, "visible" when the data gives none.
func (c Check) Seen() string {
	if c.Visibility == "" {
		return Visible
	}
	return c.Visibility
}

// StudentSees reports whether the student sees the check before the
// deadline (its visibility is visible).
func (c Check) StudentSees() bool { return c.Seen() == Visible }

// ForStudents keeps the checks a student sees before the deadline and
// returns them with the ids of the checks left out.
func ForStudents(checks []Check) (kept []Check, left []string) {
	for _, ch := range checks {
		if ch.StudentSees() {
			kept = append(kept, ch)
		} else {
			left = append(left, ch.ID)
		}
	}
	return kept, left
}

// Hint is advice for a failure: it applies when the failure's kind is Kind
// ("*": any) and every condition in When holds for what was observed.
type Hint struct {
	Kind string   `json:"kind"`
	When []string `json:"when"`
	DE   string   `json:"de"`
	EN   string   `json:"en"`
}

// Text returns the hint's text.
func (h Hint) Text() lang.Text { return lang.Text{DE: h.DE, EN: h.EN} }

// Group is a set of checks that is run together.
type Group struct {
	ID    string    `json:"id"`
	Title lang.Text `json:"title"`
	// Default groups run unless the run asks for others.
	Default bool `json:"default"`
}

// Catalog is every check, in the chapter's order.
type Catalog struct {
	Groups []Group `json:"groups"`
	Checks []Check `json:"checks"`
}

// Load reads the chapter's checks.
func Load() (*Catalog, error) {
	b, err := frontend.ChecksJSON()
	if err != nil {
		return nil, fmt.Errorf("read the checks: %w", err)
	}
	return Parse(b)
}

// Parse reads checks from JSON and validates them.
func Parse(b []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("parse the checks: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the data itself: unique ids, both languages everywhere,
// known groups, dependencies that exist, come earlier in the chapter (not
// at a later step) and form no cycle.
func (c *Catalog) Validate() error {
	var errs []error
	groups := map[string]bool{}
	for _, g := range c.Groups {
		groups[g.ID] = true
		if !g.Title.Complete() {
			errs = append(errs, fmt.Errorf("group %s: title needs German and English", g.ID))
		}
	}
	byID := map[string]Check{}
	for _, ch := range c.Checks {
		if ch.ID == "" {
			errs = append(errs, errors.New("a check has no id"))
			continue
		}
		if _, dup := byID[ch.ID]; dup {
			errs = append(errs, fmt.Errorf("check %s is listed twice", ch.ID))
		}
		byID[ch.ID] = ch
		if !groups[ch.Group] {
			errs = append(errs, fmt.Errorf("check %s: unknown group %q", ch.ID, ch.Group))
		}
		if ch.Step == "" || ch.Points <= 0 {
			errs = append(errs, fmt.Errorf("check %s: needs a step and points", ch.ID))
		}
		if !ch.Title.Complete() || !ch.Help.Complete() {
			errs = append(errs, fmt.Errorf("check %s: title and help need German and English", ch.ID))
		}
		if !slices.Contains(visibilities, ch.Seen()) {
			errs = append(errs, fmt.Errorf("check %s: visibility %q: choose %s", ch.ID, ch.Visibility, strings.Join(visibilities, ", ")))
		}
		if len(ch.Hints) == 0 {
			errs = append(errs, fmt.Errorf("check %s: has no hint", ch.ID))
		}
		if ch.FailsKind != "" && !failure.Known(ch.FailsKind) {
			errs = append(errs, fmt.Errorf("check %s: fails_kind %q is no kind of failure; choose one of %s", ch.ID, ch.FailsKind, strings.Join(failure.All(), ", ")))
		}
		for i, h := range ch.Hints {
			switch {
			case !h.Text().Complete() || h.Kind == "":
				errs = append(errs, fmt.Errorf("check %s: hint %d needs a kind and both languages", ch.ID, i+1))
			case h.Kind != "*" && !failure.Known(h.Kind):
				errs = append(errs, fmt.Errorf("check %s: hint %d names %q, which is no kind of failure; choose * or one of %s", ch.ID, i+1, h.Kind, strings.Join(failure.All(), ", ")))
			}
		}
	}
	for i, ch := range c.Checks {
		for _, d := range ch.DependsOn {
			dep, ok := byID[d]
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("check %s depends on %s, which does not exist", ch.ID, d))
			case slices.IndexFunc(c.Checks, func(x Check) bool { return x.ID == d }) > i:
				errs = append(errs, fmt.Errorf("check %s depends on %s, which comes later in the list", ch.ID, d))
			case dep.Step > ch.Step:
				errs = append(errs, fmt.Errorf("check %s (step %s) depends on %s of the later step %s", ch.ID, ch.Step, d, dep.Step))
			case ch.StudentSees() && !dep.StudentSees():
				// The student's command runs the visible checks only: what
				// they need must be visible too.
				errs = append(errs, fmt.Errorf("check %s is visible but depends on %s, which is %s", ch.ID, d, dep.Seen()))
			}
		}
	}
	if cycle := c.cycle(byID); cycle != nil {
		errs = append(errs, fmt.Errorf("the dependencies form a cycle: %s", strings.Join(cycle, " → ")))
	}
	return errors.Join(errs...)
}

func (c *Catalog) cycle(byID map[string]Check) []string {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var path []string
	var visit func(id string) []string
	visit = func(id string) []string {
		switch state[id] {
		case visiting:
			i := slices.Index(path, id)
			return append(slices.Clone(path[i:]), id)
		case done:
			return nil
		}
		state[id] = visiting
		path = append(path, id)
		for _, d := range byID[id].DependsOn {
			if cyc := visit(d); cyc != nil {
				return cyc
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return nil
	}
	for _, ch := range c.Checks {
		if cyc := visit(ch.ID); cyc != nil {
			return cyc
		}
	}
	return nil
}

// Find returns the check with the given id.
func (c *Catalog) Find(id string) (Check, bool) {
	i := slices.IndexFunc(c.Checks, func(ch Check) bool { return ch.ID == id })
	if i < 0 {
		return Check{}, false
	}
	return c.Checks[i], true
}

// Selection says which checks a run wants.
type Selection struct {
	// Step, if set, keeps the checks of steps up to it ("03").
	Step string
	// Only keeps just these checks (and, to decide them, what they depend
	// on).
	Only []string
	// Groups adds groups that are off by default (e.g. "robust").
	Groups []string
}

// Select returns the checks to run, in the chapter's order.
func (c *Catalog) Select(sel Selection) ([]Check, error) {
	want := map[string]bool{}
	for _, g := range c.Groups {
		want[g.ID] = g.Default || slices.Contains(sel.Groups, g.ID)
	}
	for _, g := range sel.Groups {
		if !slices.ContainsFunc(c.Groups, func(x Group) bool { return x.ID == g }) {
			return nil, fmt.Errorf("no group %q", g)
		}
	}
	keep := map[string]bool{}
	if len(sel.Only) > 0 {
		var add func(id string) error
		add = func(id string) error {
			ch, ok := c.Find(id)
			if !ok {
				var ids []string
				for _, x := range c.Checks {
					ids = append(ids, x.ID)
				}
				return lang.Err(lang.Say("no check %q; the checks are: %s", "es gibt keinen Check %q; die Checks sind: %s", id, strings.Join(ids, ", ")))
			}
			keep[id] = true
			for _, d := range ch.DependsOn {
				if err := add(d); err != nil {
					return err
				}
			}
			return nil
		}
		for _, id := range sel.Only {
			if err := add(id); err != nil {
				return nil, err
			}
		}
	}
	var out []Check
	for _, ch := range c.Checks {
		switch {
		case len(sel.Only) > 0 && !keep[ch.ID]:
		case len(sel.Only) == 0 && !want[ch.Group]:
		case sel.Step != "" && ch.Step > sel.Step:
		default:
			out = append(out, ch)
		}
	}
	return out, nil
}

// MaxPoints sums the points of checks.
func MaxPoints(checks []Check) float64 {
	total := 0.0
	for _, ch := range checks {
		total += ch.Points
	}
	return total
}
