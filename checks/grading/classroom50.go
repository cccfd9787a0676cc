package grading

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/output"
	"synclab/checks/runner"
)

// Classroom 50 (GitHub Classroom's successor since 2026-08-28) grades in
// GitHub Actions: its runner reads ./result.json in the format
// classroom50/result/v1 after the autograder exits. Exit 0 means grading
// finished (pass or fail is in result.json); non-zero is an
// infrastructure error, for which the runner records status=error itself.
// The fields follow the contract in Classroom 50's wiki, "Advanced
// Autograding", section "The result.json contract".

// Classroom50Schema is the result format's name.
const Classroom50Schema = "classroom50/result/v1"

// Classroom50Env is what Classroom 50's runner tells the autograder in
// its environment (CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL,
// RELEASE_URL, REVIEW_URL, OWNER or USERNAME, ASSIGNMENT_TYPE).
type Classroom50Env struct {
	Classroom, Assignment, AssignmentType, Owner string
	Submission, Commit, Release, Review          string
}

// Classroom50FromEnv reads the runner's variables with getenv (os.Getenv).
func Classroom50FromEnv(getenv func(string) string) Classroom50Env {
	e := Classroom50Env{
		Classroom: getenv("CLASSROOM"), Assignment: getenv("ASSIGNMENT"), AssignmentType: getenv("ASSIGNMENT_TYPE"),
		Owner: getenv("OWNER"), Submission: getenv("SUBMISSION_TAG"),
		Commit: getenv("COMMIT_URL"), Release: getenv("RELEASE_URL"), Review: getenv("REVIEW_URL"),
	}
	if e.Owner == "" {
		e.Owner = getenv("USERNAME")
	}
	if e.Review == "" {
		e.Review = e.Commit
	}
	return e
}

// Missing names the variables the result needs and the runner did not
// give (the runner checks classroom, assignment and owner against the
// repository, and needs the submission and its URLs).
func (e Classroom50Env) Missing() []string {
	var out []string
	for _, f := range []struct{ name, v string }{
		{"CLASSROOM", e.Classroom}, {"ASSIGNMENT", e.Assignment}, {"SUBMISSION_TAG", e.Submission},
		{"COMMIT_URL", e.Commit}, {"RELEASE_URL", e.Release},
	} {
		if f.v == "" {
			out = append(out, f.name)
		}
	}
	return out
}

type classroom50Test struct {
	Name     string `json:"test-name"`
	Passed   bool   `json:"passed"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max-score"`
	// Extra diagnostic fields, which the contract keeps as they are.
	Status     string `json:"status"`
	Output     string `json:"output,omitempty"`
	Visibility string `json:"visibility"`
	SyncLab    string `json:"synclab-version,omitempty"`
	Browser    string `json:"browser-version,omitempty"`
}

type classroom50Result struct {
	Schema         string            `json:"schema"`
	Classroom      string            `json:"classroom"`
	Assignment     string            `json:"assignment"`
	AssignmentType string            `json:"assignment_type,omitempty"`
	Owner          string            `json:"owner,omitempty"`
	Submission     string            `json:"submission"`
	Commit         string            `json:"commit"`
	Release        string            `json:"release"`
	Review         string            `json:"review"`
	Datetime       string            `json:"datetime"`
	GradedAt       string            `json:"graded_at"`
	Score          int               `json:"score"`
	MaxScore       int               `json:"max-score"`
	Tests          []classroom50Test `json:"tests"`
}

// Classroom50Result renders a finished grading (graded, or no app to
// grade: 0 points) in classroom50/result/v1. A grade the environment broke
// is no result: it returns an error, and the command exits non-zero so
// that the runner records an infrastructure error, never a 0. The
// contract's points are whole numbers; so are the checks'. datetime is
// the submission instant, the graded commit's time when known (else
// gradedAt). A check the student does not see yet (visibility not
// visible) keeps its score but not its explanation.
func Classroom50Result(g Grade, checks []catalog.Check, env Classroom50Env, gradedAt time.Time, l string) ([]byte, error) {
	if g.Status == NotGraded {
		return nil, fmt.Errorf("not graded (%s): no result for Classroom 50", g.Reason.EN)
	}
	if missing := env.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("Classroom 50's runner did not set %s", strings.Join(missing, ", "))
	}
	visibility := map[string]string{}
	for _, ch := range checks {
		visibility[ch.ID] = ch.Seen()
	}
	submitted := gradedAt
	if !g.Submission.CommitTime.IsZero() {
		submitted = g.Submission.CommitTime
	}
	res := classroom50Result{
		Schema: Classroom50Schema, Classroom: env.Classroom, Assignment: env.Assignment, AssignmentType: env.AssignmentType, Owner: env.Owner,
		Submission: env.Submission, Commit: env.Commit, Release: env.Release, Review: env.Review,
		Datetime: submitted.UTC().Format(time.RFC3339), GradedAt: gradedAt.UTC().Format(time.RFC3339), Tests: []classroom50Test{},
	}
	whole := func(what string, f float64) (int, error) {
		if f < 0 || f != math.Trunc(f) {
			return 0, fmt.Errorf("%s: %v points; classroom50/result/v1 takes whole points only", what, f)
		}
		return int(f), nil
	}
	if g.Status == Invalid {
		// Nothing ran: every check fails with the reason.
		for _, ch := range checks {
			m, err := whole(ch.ID, ch.Points)
			if err != nil {
				return nil, err
			}
			res.Tests = append(res.Tests, classroom50Test{Name: ch.ID + ": " + ch.Title.In(l), MaxScore: m, Status: "invalid",
				Output: g.Reason.In(l), Visibility: ch.Seen(), SyncLab: g.Versions.SyncLab, Browser: g.Versions.Browser})
		}
	}
	for _, r := range g.Report.Results {
		score, err := whole(r.ID, r.Points)
		if err != nil {
			return nil, err
		}
		m, err := whole(r.ID, r.Max)
		if err != nil {
			return nil, err
		}
		t := classroom50Test{Name: r.ID + ": " + r.Title.In(l), Passed: r.Status == runner.Passed, Score: score, MaxScore: m,
			Status: string(r.Status), Visibility: visibility[r.ID], SyncLab: g.Versions.SyncLab, Browser: g.Versions.Browser}
		if t.Visibility == "" {
			t.Visibility = catalog.Visible
		}
		if t.Visibility == catalog.Visible {
			var b strings.Builder
			output.Check(&b, r, output.Options{Lang: l})
			t.Output = b.String()
		} else {
			t.Output = tr(l, "Einzelheiten nach dem Abgabetermin.", "Details after the deadline.")
		}
		res.Tests = append(res.Tests, t)
	}
	for _, t := range res.Tests {
		res.Score += t.Score
		res.MaxScore += t.MaxScore
	}
	return json.MarshalIndent(res, "", "  ")
}

// WriteClassroom50 writes the result to file (result.json).
func WriteClassroom50(file string, g Grade, checks []catalog.Check, env Classroom50Env, gradedAt time.Time, l string) error {
	b, err := Classroom50Result(g, checks, env, gradedAt, l)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}
