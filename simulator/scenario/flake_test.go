package scenario_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"synclab/simulator/scenario"
)

// TestTheLifecycleChecksDoNotFlake runs each check of the worker's life
// (stopped mid-replay, updated while a sync waits, the last chance) again
// and again on checkpoint 08, three sessions at a time on two cores (a
// loaded machine, as in grading with -j 3): every run passes.
// SYNCLAB_FLAKE_RUNS sets the runs per check (2 by default; the note of
// issue 20 reports 50).
func TestTheLifecycleChecksDoNotFlake(t *testing.T) {
	runs := 2
	if v := os.Getenv("SYNCLAB_FLAKE_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SYNCLAB_FLAKE_RUNS=%q: give a number of runs", v)
		}
		runs = n
	}
	app := checkpoint(t, "08")
	ids := []string{"worker-stopped-mid-replay", "worker-update-keeps-sync", "last-chance"}
	type outcome struct {
		id  string
		d   time.Duration
		err error
	}
	var (
		mu   sync.Mutex
		outs []outcome
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 3)
	)
	for i := range runs {
		for _, id := range ids {
			sc, err := scenario.Find(id)
			if err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := scenario.Run(context.Background(), shared, app, sc, scenario.Options{})
				mu.Lock()
				defer mu.Unlock()
				o := outcome{id: id, d: r.Duration}
				if !r.Passed {
					o.err = r.Err
					t.Errorf("%s, run %d: %v", id, i+1, r.Err)
				}
				outs = append(outs, o)
			}()
		}
	}
	wg.Wait()
	for _, id := range ids {
		var ds []time.Duration
		failed := 0
		for _, o := range outs {
			if o.id == id {
				ds = append(ds, o.d)
				if o.err != nil {
					failed++
				}
			}
		}
		slices.Sort(ds)
		t.Logf("%-26s %d runs, %d failed; wall min %v, median %v, max %v", id, len(ds), failed,
			ds[0].Round(time.Millisecond), ds[len(ds)/2].Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond))
	}
}
