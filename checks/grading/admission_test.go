package grading_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/runner"
)

// TestGradeAllAdmits: with an admission, grading runs as many submissions
// as its Base while the processor is busy and up to Most while it idles,
// and grades every submission either way.
func TestGradeAllAdmits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		idle     float64
		wantMost int
	}{
		{"busy processor: the cores only", 0.05, 2},
		{"idle processor: up to Most", 0.9, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu              sync.Mutex
				running, oneTop int
			)
			run := func(ctx context.Context, _ runner.Env, _ fs.FS, checks []catalog.Check) (runner.Report, error) {
				mu.Lock()
				running++
				oneTop = max(oneTop, running)
				mu.Unlock()
				time.Sleep(400 * time.Millisecond) // a submission that waits
				mu.Lock()
				running--
				mu.Unlock()
				var rep runner.Report
				for _, ch := range checks {
					rep.Results = append(rep.Results, runner.Result{ID: ch.ID, Status: runner.Passed, Points: ch.Points, Max: ch.Points})
					rep.Points += ch.Points
					rep.Max += ch.Points
				}
				return rep, nil
			}
			a := &grading.Admission{Base: 2, Most: 4, MinIdle: 0.25, Spacing: 10 * time.Millisecond, Poll: 5 * time.Millisecond,
				Idle: func() (float64, bool) { return tc.idle, true }}
			var subs []grading.Submission
			for range 8 {
				subs = append(subs, appFolder(t))
			}
			grades, err := grading.GradeAll(context.Background(), grading.Config{Checks: fakeChecks(), Admit: a, Run: run}, subs)
			if err != nil {
				t.Fatal(err)
			}
			for i, g := range grades {
				if g.Status != grading.Graded || g.Points != g.Max {
					t.Errorf("submission %d: %s, %v of %v", i, g.Status, g.Points, g.Max)
				}
			}
			if oneTop != tc.wantMost {
				t.Errorf("at most %d ran at once, want %d", oneTop, tc.wantMost)
			}
		})
	}
}
