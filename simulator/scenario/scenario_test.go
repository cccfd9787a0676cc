package scenario_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"synclab/frontend"
	"synclab/simulator/browser"
	"synclab/simulator/scenario"
)

var shared *browser.Browser

func TestMain(m *testing.M) {
	b, err := browser.Launch(context.Background(), browser.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot start a browser for the scenario tests:", err)
		os.Exit(1)
	}
	shared = b
	code := m.Run()
	b.Close()
	os.Exit(code)
}

func checkpoints(t testing.TB) []frontend.Step {
	t.Helper()
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

// TestMatrix runs every scenario against every checkpoint: it passes from
// its first checkpoint on (and where it says it also passes), and fails
// elsewhere, on the checkpoint just before with the expected reason.
func TestMatrix(t *testing.T) {
	ctx := context.Background()
	steps := checkpoints(t)
	sem := make(chan struct{}, 3)
	for _, sc := range scenario.All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			var before string
			for i, st := range steps {
				if st.ID == sc.Since && i > 0 {
					before = steps[i-1].ID
				}
			}
			var wg sync.WaitGroup
			for _, st := range steps {
				fsys := checkpoint(t, st.ID)
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					r := scenario.Run(ctx, shared, fsys, sc, scenario.Options{})
					want := sc.ShouldPass(st.ID)
					switch {
					case r.Environment:
						t.Errorf("checkpoint %s: environment failure: %v", st.ID, r.Err)
					case want && !r.Passed:
						t.Errorf("checkpoint %s should pass but failed after %v: %v", st.ID, r.Duration.Round(time.Millisecond), r.Err)
					case !want && r.Passed:
						t.Errorf("checkpoint %s should fail but passed", st.ID)
					case st.ID == before && r.Kind != sc.FailsKind:
						t.Errorf("checkpoint %s failed with kind %q, want %q: %v", st.ID, r.Kind, sc.FailsKind, r.Err)
					default:
						t.Logf("checkpoint %s: passed=%v in %v", st.ID, r.Passed, r.Duration.Round(time.Millisecond))
					}
					checkParts(t, steps, st.ID, sc, r)
				}()
			}
			wg.Wait()
		})
	}
}

// checkParts: each part of a journey passes from its own first checkpoint
// on and fails on the checkpoint before with its kind.
func checkParts(t *testing.T, steps []frontend.Step, id string, sc scenario.Scenario, r scenario.Result) {
	if len(sc.Parts) == 0 || r.Environment {
		return
	}
	for _, p := range sc.Parts {
		got, ok := r.Part(p.Name)
		if !ok {
			t.Errorf("checkpoint %s: part %s did not run", id, p.Name)
			continue
		}
		want := p.ShouldPass(id)
		switch {
		case want && !got.Passed:
			t.Errorf("checkpoint %s: part %s should pass: skipped=%v %v", id, p.Name, got.Skipped, got.Err)
		case !want && got.Passed:
			t.Errorf("checkpoint %s: part %s should fail but passed", id, p.Name)
		}
		for i, st := range steps {
			if st.ID == p.Since && i > 0 && steps[i-1].ID == id && got.Kind != p.FailsKind {
				t.Errorf("checkpoint %s: part %s failed with kind %q (skipped=%v), want %q: %v", id, p.Name, got.Kind, got.Skipped, p.FailsKind, got.Err)
			}
		}
	}
}
