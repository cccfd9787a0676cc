package scenario_test

import (
	"context"
	"fmt"
	"os"
	"slices"
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

// TestMatrix runs every scenario against the checkpoints where its verdict
// turns: it passes from its first checkpoint on (and where it says it also
// passes), and fails elsewhere, on the checkpoint just before with the
// expected kind. SYNCLAB_FULL_MATRIX=1 runs every checkpoint (as the Matrix
// benchmark does); the checks' proof covers each check's step and the one
// before on top.
func TestMatrix(t *testing.T) {
	ctx := context.Background()
	all := checkpoints(t)
	full := os.Getenv("SYNCLAB_FULL_MATRIX") != ""
	sem := make(chan struct{}, 3)
	for _, sc := range scenarios(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			var before string
			for i, st := range all {
				if st.ID == sc.Since && i > 0 {
					before = all[i-1].ID
				}
			}
			steps := all
			if !full {
				steps = turningPoints(all, sc)
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
					case st.ID == before && !want && r.Kind != sc.FailsKind:
						t.Errorf("checkpoint %s failed with kind %q, want %q: %v", st.ID, r.Kind, sc.FailsKind, r.Err)
					default:
						t.Logf("checkpoint %s: passed=%v in %v", st.ID, r.Passed, r.Duration.Round(time.Millisecond))
					}
					checkParts(t, all, st.ID, sc, r)
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
			if st.ID == p.Since && i > 0 && steps[i-1].ID == id && !p.ShouldPass(id) && got.Kind != p.FailsKind {
				t.Errorf("checkpoint %s: part %s failed with kind %q (skipped=%v), want %q: %v", id, p.Name, got.Kind, got.Skipped, p.FailsKind, got.Err)
			}
		}
	}
}

// turningPoints are the checkpoints where a scenario's verdict turns: the
// one before its first, its first, the last, every one it also passes and
// the one after each of those. (A journey's parts are proven on their own
// step and the one before by the checks' TestChapterHolds.)
func turningPoints(steps []frontend.Step, sc scenario.Scenario) []frontend.Step {
	want := map[string]bool{sc.Since: true, steps[len(steps)-1].ID: true}
	for i, st := range steps {
		next := ""
		if i+1 < len(steps) {
			next = steps[i+1].ID
		}
		if next == sc.Since || slices.Contains(sc.AlsoPasses, st.ID) {
			want[st.ID] = true
		}
		if slices.Contains(sc.AlsoPasses, st.ID) && next != "" {
			want[next] = true
		}
	}
	var out []frontend.Step
	for _, st := range steps {
		if want[st.ID] {
			out = append(out, st)
		}
	}
	return out
}
