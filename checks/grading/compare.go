package grading

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
)

// Comparison is what a regrade changed against a previous grading's
// grades.json (checks grade -compare DIR).
type Comparison struct {
	// Previous is the folder compared with.
	Previous string `json:"previous"`
	// PreviousVersions are the Sync Lab and browser versions of the
	// previous grading (empty when it did not record them).
	PreviousVersions []output.Versions `json:"previous_versions,omitempty"`
	// Changed lists the submissions whose status, points or a check's
	// verdict changed; Unchanged counts the others.
	Changed   []SubmissionChange `json:"changed"`
	Unchanged int                `json:"unchanged"`
}

// SubmissionChange is one submission's change.
type SubmissionChange struct {
	Name string `json:"name"`
	// OldStatus is "" for a submission the previous grading did not
	// have; NewStatus is "" for one this grading does not have.
	OldStatus Status        `json:"old_status"`
	NewStatus Status        `json:"new_status"`
	OldPoints float64       `json:"old_points"`
	NewPoints float64       `json:"new_points"`
	OldReason lang.Text     `json:"old_reason,omitzero"`
	NewReason lang.Text     `json:"new_reason,omitzero"`
	Checks    []CheckChange `json:"checks,omitempty"`
}

// CheckChange is a check whose verdict changed, with why, before and now.
type CheckChange struct {
	ID        string        `json:"id"`
	Old       runner.Status `json:"old"`
	New       runner.Status `json:"new"`
	OldReason lang.Text     `json:"old_reason,omitzero"`
	NewReason lang.Text     `json:"new_reason,omitzero"`
}

// previous is what the comparison reads of a written grades.json.
type previous struct {
	Submission struct {
		Name string `json:"name"`
	} `json:"submission"`
	Status   Status          `json:"status"`
	Reason   lang.Text       `json:"reason"`
	Points   float64         `json:"points"`
	Versions output.Versions `json:"versions"`
	Report   struct {
		Results []struct {
			ID         string        `json:"id"`
			Status     runner.Status `json:"status"`
			Kind       string        `json:"kind"`
			Seen       lang.Text     `json:"seen"`
			Message    string        `json:"message"`
			SkippedFor string        `json:"skipped_for"`
		} `json:"results"`
	} `json:"report"`
}

// ReadPrevious reads the grades.json in dir (as Write writes it) as
// grades: name, status, reason, points, versions and each check's
// verdict with what was expected and seen.
func ReadPrevious(dir string) ([]Grade, error) {
	b, err := os.ReadFile(filepath.Join(dir, "grades.json"))
	if err != nil {
		return nil, fmt.Errorf("read the previous grading: %w", err)
	}
	var prev []previous
	if err := json.Unmarshal(b, &prev); err != nil {
		return nil, fmt.Errorf("read the previous grading %s: %w", filepath.Join(dir, "grades.json"), err)
	}
	grades := make([]Grade, len(prev))
	for i, p := range prev {
		grades[i] = Grade{Status: p.Status, Reason: p.Reason, Points: p.Points, Versions: p.Versions}
		grades[i].Submission.Name = p.Submission.Name
		for _, r := range p.Report.Results {
			grades[i].Report.Results = append(grades[i].Report.Results, runner.Result{ID: r.ID, Status: r.Status, Kind: r.Kind, Seen: r.Seen, Message: r.Message, SkippedFor: r.SkippedFor})
		}
	}
	return grades, nil
}

// Compare reads the previous grading in dir and says what changed in
// grades: per submission (by name) its status and points, and each check
// whose verdict changed, with the old and the new reason.
func Compare(dir string, grades []Grade) (*Comparison, error) {
	old, err := ReadPrevious(dir)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Previous: dir, Changed: []SubmissionChange{}}
	seenV := map[output.Versions]bool{}
	before := map[string]Grade{}
	for _, g := range old {
		before[g.Submission.Name] = g
		if g.Versions.SyncLab != "" && !seenV[g.Versions] {
			seenV[g.Versions] = true
			c.PreviousVersions = append(c.PreviousVersions, g.Versions)
		}
	}
	now := map[string]bool{}
	for _, g := range grades {
		now[g.Submission.Name] = true
		o, ok := before[g.Submission.Name]
		ch := SubmissionChange{Name: g.Submission.Name, OldStatus: o.Status, NewStatus: g.Status, OldPoints: o.Points, NewPoints: g.Points}
		if !ok {
			ch.NewReason = g.Reason
			c.Changed = append(c.Changed, ch)
			continue
		}
		if o.Status != g.Status || o.Reason != g.Reason {
			ch.OldReason, ch.NewReason = o.Reason, g.Reason
		}
		ch.Checks = checkChanges(o.Report.Results, g.Report.Results)
		if o.Status == g.Status && o.Points == g.Points && o.Reason == g.Reason && len(ch.Checks) == 0 {
			c.Unchanged++
			continue
		}
		c.Changed = append(c.Changed, ch)
	}
	for _, g := range old {
		if !now[g.Submission.Name] {
			c.Changed = append(c.Changed, SubmissionChange{Name: g.Submission.Name, OldStatus: g.Status, OldPoints: g.Points, OldReason: g.Reason})
		}
	}
	return c, nil
}

// checkChanges lists the checks whose verdict differs, in the new
// grading's order, then the checks only the old one had.
func checkChanges(old, now []runner.Result) []CheckChange {
	byID := map[string]runner.Result{}
	for _, r := range old {
		byID[r.ID] = r
	}
	var out []CheckChange
	had := map[string]bool{}
	for _, r := range now {
		had[r.ID] = true
		o := byID[r.ID]
		if o.Status == r.Status {
			continue
		}
		out = append(out, CheckChange{ID: r.ID, Old: o.Status, New: r.Status, OldReason: reasonText(o), NewReason: reasonText(r)})
	}
	for _, o := range old {
		if !had[o.ID] {
			out = append(out, CheckChange{ID: o.ID, Old: o.Status, OldReason: reasonText(o)})
		}
	}
	return out
}

func reasonText(r runner.Result) lang.Text {
	if r.ID == "" {
		return lang.Text{}
	}
	return lang.Text{DE: Reason(r, lang.German), EN: Reason(r, lang.English)}
}

func statusOrNone(s string, l string) string {
	if s == "" {
		return tr(l, "(keine)", "(none)")
	}
	return s
}

// PrintComparison writes what changed for the terminal.
func PrintComparison(w io.Writer, c *Comparison, l string) {
	fmt.Fprintf(w, tr(l, "Gegenüber %s: %d Abgabe(n) geändert, %d unverändert.\n", "Compared with %s: %d submission(s) changed, %d unchanged.\n"),
		c.Previous, len(c.Changed), c.Unchanged)
	for _, ch := range c.Changed {
		fmt.Fprintf(w, "  %s: %s %s → %s %s\n", ch.Name, statusOrNone(StatusText(ch.OldStatus, l), l), pointsOf(ch.OldStatus, ch.OldPoints),
			statusOrNone(StatusText(ch.NewStatus, l), l), pointsOf(ch.NewStatus, ch.NewPoints))
		if ch.OldReason.In(l) != "" || ch.NewReason.In(l) != "" {
			fmt.Fprintf(w, tr(l, "    Grund: %q → %q\n", "    reason: %q → %q\n"), ch.OldReason.In(l), ch.NewReason.In(l))
		}
		for _, x := range ch.Checks {
			fmt.Fprintf(w, "    %s: %s → %s", x.ID, checkStatus(x.Old, l), checkStatus(x.New, l))
			if x.OldReason.In(l) != "" || x.NewReason.In(l) != "" {
				fmt.Fprintf(w, tr(l, " (vorher: %s; jetzt: %s)", " (before: %s; now: %s)"), orDash(x.OldReason.In(l)), orDash(x.NewReason.In(l)))
			}
			fmt.Fprintln(w)
		}
	}
}

func pointsOf(s Status, p float64) string {
	if s == "" || s == NotGraded {
		return ""
	}
	return "(" + strconv.FormatFloat(p, 'f', -1, 64) + ")"
}

func checkStatus(s runner.Status, l string) string {
	if s == "" {
		return tr(l, "(nicht gelaufen)", "(not run)")
	}
	return output.StatusText(s, l)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// changeRow is a line of the class report's table of changes.
type changeRow struct {
	Name, Slug, Points, Dir, Check, Old, New string
}

func changeRows(c *Comparison, l string) []changeRow {
	if c == nil {
		return nil
	}
	var rows []changeRow
	for _, ch := range c.Changed {
		base := changeRow{Name: ch.Name, Slug: Slug(ch.Name),
			Points: statusOrNone(StatusText(ch.OldStatus, l), l) + " " + pointsOf(ch.OldStatus, ch.OldPoints) + " → " + statusOrNone(StatusText(ch.NewStatus, l), l) + " " + pointsOf(ch.NewStatus, ch.NewPoints)}
		switch {
		case ch.NewPoints > ch.OldPoints:
			base.Dir = "up"
		case ch.NewPoints < ch.OldPoints:
			base.Dir = "down"
		}
		if len(ch.Checks) == 0 {
			r := base
			r.Check, r.Old, r.New = "–", orDash(ch.OldReason.In(l)), orDash(ch.NewReason.In(l))
			rows = append(rows, r)
		}
		for _, x := range ch.Checks {
			r := base
			r.Check = x.ID
			r.Old = checkStatus(x.Old, l) + withReason(x.OldReason.In(l))
			r.New = checkStatus(x.New, l) + withReason(x.NewReason.In(l))
			rows = append(rows, r)
		}
	}
	return rows
}

func withReason(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}
