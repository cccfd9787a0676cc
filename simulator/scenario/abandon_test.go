package scenario_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"synclab/failure"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// TestAPartWhoseNeedFailsMeanwhileEndsAtOnce: a part that is running when
// a check it needs fails elsewhere (SkipPart starts to name it) is
// abandoned and skipped for that need at once instead of waiting for its
// deadline; the part that comes after it goes with it, a part that needs
// neither still runs. Without the watch the waiting part takes its 8 s and
// passes.
func TestAPartWhoseNeedFailsMeanwhileEndsAtOnce(t *testing.T) {
	sc := scenario.Scenario{Name: "abandon", Parts: []scenario.Part{
		{Name: "opens", Steps: []session.Step{session.OpenApp()}},
		{Name: "waits", Needs: []string{"opens"}, Steps: []session.Step{session.Wait(8 * time.Second)}},
		{Name: "after-waits", After: []string{"waits"}, Steps: []session.Step{session.Wait(time.Millisecond)}},
		{Name: "alone", Steps: []session.Step{session.Wait(time.Millisecond)}},
	}}
	var (
		mu      sync.Mutex
		started time.Time
		done    []scenario.PartResult
	)
	skip := func(part string) string {
		mu.Lock()
		defer mu.Unlock()
		if part != "waits" {
			return ""
		}
		if started.IsZero() {
			started = time.Now()
		}
		if time.Since(started) > 300*time.Millisecond {
			return "replay"
		}
		return ""
	}
	begin := time.Now()
	r := scenario.Run(context.Background(), shared, checkpoint(t, "07"), sc, scenario.Options{
		SkipPart: skip,
		PartDone: func(pr scenario.PartResult) { mu.Lock(); done = append(done, pr); mu.Unlock() },
	})
	took := time.Since(begin)
	byName := map[string]scenario.PartResult{}
	for _, pr := range r.Parts {
		byName[pr.Name] = pr
	}
	for _, want := range []struct {
		name    string
		skipped bool
		passed  bool
		for_    string
	}{
		{"opens", false, true, ""},
		{"waits", true, false, "replay"},
		{"after-waits", true, false, "replay"},
		{"alone", false, true, ""},
	} {
		pr, ok := byName[want.name]
		if !ok {
			t.Errorf("part %s has no result", want.name)
			continue
		}
		if pr.Skipped != want.skipped || pr.Passed != want.passed || pr.SkippedFor != want.for_ {
			t.Errorf("part %s: skipped %v for %q, passed %v (%v); want skipped %v for %q, passed %v", want.name, pr.Skipped, pr.SkippedFor, pr.Passed, pr.Err, want.skipped, want.for_, want.passed)
		}
	}
	if w := byName["waits"]; w.Duration > 4*time.Second {
		t.Errorf("the abandoned part ran %v: it waited for its step instead of ending when its need failed", w.Duration)
	}
	if took > 7*time.Second {
		t.Errorf("the scenario took %v: the abandoned part's wait was not cut short", took)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(done) != 4 {
		t.Errorf("PartDone was called for %d parts, want 4", len(done))
	}
}

// TestACheckThatRunsOutOfItsDeadlineSaysSo: a part still running at its
// own deadline fails with "did not finish in …" (kind did-not-finish, a
// verdict time decided), in both languages, and the parts before and
// after it keep their verdicts.
func TestACheckThatRunsOutOfItsDeadlineSaysSo(t *testing.T) {
	sc := scenario.Scenario{Name: "deadline", Parts: []scenario.Part{
		{Name: "opens", Steps: []session.Step{session.OpenApp()}},
		{Name: "slow", Steps: []session.Step{session.Wait(20 * time.Second)}},
		{Name: "after", Steps: []session.Step{session.Wait(time.Millisecond)}},
	}}
	r := scenario.Run(context.Background(), shared, checkpoint(t, "07"), sc, scenario.Options{PartDeadline: 1500 * time.Millisecond})
	if len(r.Parts) != 3 {
		t.Fatalf("%d parts decided, want 3: %+v", len(r.Parts), r.Parts)
	}
	opens, slow, after := r.Parts[0], r.Parts[1], r.Parts[2]
	if !opens.Passed || !after.Passed {
		t.Errorf("the parts around the slow one lost their verdicts: opens %v (%v), after %v (%v)", opens.Passed, opens.Err, after.Passed, after.Err)
	}
	if slow.Passed || slow.Kind != failure.DidNotFinish || !session.ByDeadline(slow.Err) {
		t.Fatalf("the slow part: passed %v, kind %q, by deadline %v (%v); want a did-not-finish failure decided by its deadline", slow.Passed, slow.Kind, session.ByDeadline(slow.Err), slow.Err)
	}
	for _, l := range []string{"en", "de"} {
		msg := session.ErrorIn(slow.Err, l)
		want := map[string]string{"en": "did not finish in 1.5s", "de": "nicht in 1,5s fertig"}[l]
		if !strings.Contains(msg, want) || !strings.Contains(msg, map[string]string{"en": "wait 20s", "de": "20s warten"}[l]) {
			t.Errorf("%s: %q lacks %q and the step it was at", l, msg, want)
		}
	}
	if slow.Duration > 5*time.Second {
		t.Errorf("the slow part ran %v past its deadline of 1.5 s", slow.Duration)
	}
}
