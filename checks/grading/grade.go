package grading

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/runner"
	"synclab/frontend"
)

// Status is a submission's outcome.
type Status string

// The outcomes.
const (
	// Graded: the checks ran; the points count.
	Graded Status = "graded"
	// Invalid: the submission holds no app, or a hostile archive.
	Invalid Status = "invalid"
	// NotGraded: the environment failed (browser, database, ports) even
	// after retries; never 0 points.
	NotGraded Status = "not graded"
)

// Grade is one submission's result.
type Grade struct {
	Submission Submission    `json:"submission"`
	Status     Status        `json:"status"`
	Reason     string        `json:"reason,omitempty"`
	Points     float64       `json:"points"`
	Max        float64       `json:"max"`
	Attempts   int           `json:"attempts"`
	Duration   time.Duration `json:"duration"`
	Report     runner.Report `json:"report"`
}

// Config says how to grade.
type Config struct {
	Env    runner.Env
	Checks []catalog.Check
	// Jobs is how many submissions are graded at once.
	Jobs int
	// Retries is how often a submission the environment broke is graded
	// again (2 by default).
	Retries int
	// Progress, if set, is called after each submission.
	Progress func(done, total int, g Grade)
}

// GradeAll grades every submission; one submission's trouble never stops
// the others.
func GradeAll(ctx context.Context, cfg Config, subs []Submission) ([]Grade, error) {
	if cfg.Jobs <= 0 {
		cfg.Jobs = 1
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		return nil, err
	}
	grades := make([]Grade, len(subs))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	work := make(chan int)
	for range cfg.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				g := gradeOne(ctx, cfg, vendor, subs[i])
				mu.Lock()
				grades[i] = g
				done++
				if cfg.Progress != nil {
					cfg.Progress(done, len(subs), g)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range subs {
		select {
		case work <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	return grades, ctx.Err()
}

func gradeOne(ctx context.Context, cfg Config, vendor fs.FS, sub Submission) Grade {
	start := time.Now()
	g := Grade{Submission: sub, Max: catalog.MaxPoints(cfg.Checks)}
	if sub.Problem != "" {
		g.Status, g.Reason, g.Duration = Invalid, sub.Problem, time.Since(start)
		return g
	}
	app, _, err := frontend.StudentFolder(sub.AppDir, vendor)
	if err != nil {
		g.Status, g.Reason, g.Duration = Invalid, err.Error(), time.Since(start)
		return g
	}
	for attempt := 0; attempt <= cfg.Retries; attempt++ {
		g.Attempts = attempt + 1
		rep, err := runner.Run(ctx, cfg.Env, app, cfg.Checks)
		if err != nil {
			g.Status, g.Reason = NotGraded, err.Error()
			break
		}
		g.Report = rep
		if !rep.EnvironmentFailed() {
			g.Status, g.Points, g.Reason = Graded, rep.Points, ""
			break
		}
		g.Status, g.Reason = NotGraded, environmentReason(rep)
	}
	g.Duration = time.Since(start)
	return g
}

func environmentReason(rep runner.Report) string {
	for _, r := range rep.Results {
		if r.Status == runner.Error {
			return fmt.Sprintf("the environment failed in %s: %s", r.ID, r.Message)
		}
	}
	return "the environment failed"
}
