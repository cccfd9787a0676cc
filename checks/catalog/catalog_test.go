package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"synclab/checks/catalog"
	"synclab/checks/hint"
	"synclab/frontend"
	"synclab/simulator/scenario"
)

// TestTheChaptersChecks is rustlings' "dev check" for the data: every check
// is complete in both languages, its scenario and part exist, its step and
// expected failure are the scenario's own, and every hint names a known
// kind and known conditions.
func TestTheChaptersChecks(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	conds := hint.Conditions()
	for _, ch := range cat.Checks {
		if !slices.ContainsFunc(steps, func(s frontend.Step) bool { return s.ID == ch.Step }) {
			t.Errorf("%s: no step %s", ch.ID, ch.Step)
		}
		sc, err := scenario.Find(ch.Scenario)
		if err != nil {
			t.Errorf("%s: %v", ch.ID, err)
			continue
		}
		part, ok := sc.Part(ch.PartName())
		if !ok {
			t.Errorf("%s: scenario %s has no part %q", ch.ID, ch.Scenario, ch.PartName())
			continue
		}
		if part.Since != ch.Step {
			t.Errorf("%s: the data says step %s, the scenario's part first passes at %s", ch.ID, ch.Step, part.Since)
		}
		if ch.Step != "00" && part.FailsKind != ch.FailsKind {
			t.Errorf("%s: the data expects %q on the checkpoint before, the scenario %q", ch.ID, ch.FailsKind, part.FailsKind)
		}
		hasKind := false
		for i, h := range ch.Hints {
			hasKind = hasKind || h.Kind == ch.FailsKind || h.Kind == "*"
			for _, w := range h.When {
				if conds[w] == nil {
					t.Errorf("%s: hint %d names the unknown condition %q", ch.ID, i+1, w)
				}
			}
		}
		if ch.FailsKind != "" && !hasKind {
			t.Errorf("%s: no hint for its expected failure %q", ch.ID, ch.FailsKind)
		}
	}
	if n := len(cat.Checks); n < 12 {
		t.Errorf("only %d checks", n)
	}
}

func TestValidateFindsBrokenData(t *testing.T) {
	check := func(id, step string, deps ...string) string {
		d := `[]`
		if len(deps) > 0 {
			d = `["` + strings.Join(deps, `","`) + `"]`
		}
		return `{"id":"` + id + `","step":"` + step + `","group":"g","points":1,"scenario":"x","depends_on":` + d +
			`,"title":{"de":"T","en":"T"},"help":{"de":"H","en":"H"},"hints":[{"kind":"*","de":"h","en":"h"}]}`
	}
	doc := func(checks ...string) string {
		return `{"groups":[{"id":"g","title":{"de":"G","en":"G"},"default":true}],"checks":[` + strings.Join(checks, ",") + `]}`
	}
	for _, tc := range []struct {
		name, json, want string
	}{
		{"valid", doc(check("a", "00"), check("b", "01", "a")), ""},
		{"unknown dependency", doc(check("a", "00", "nope")), "depends on nope, which does not exist"},
		{"later step", doc(check("a", "02"), check("b", "01", "a")), "of the later step 02"},
		{"later in the list", doc(check("b", "01", "a"), check("a", "00")), "comes later in the list"},
		{"cycle", doc(check("a", "01", "b"), check("b", "01", "a")), "cycle: "},
		{"duplicate", doc(check("a", "00"), check("a", "00")), "listed twice"},
		{"english missing", strings.Replace(doc(check("a", "00")), `"en":"T"`, `"en":""`, 1), "German and English"},
		{"no hint", strings.Replace(doc(check("a", "00")), `"hints":[{"kind":"*","de":"h","en":"h"}]`, `"hints":[]`, 1), "has no hint"},
		{"hidden after visible", doc(check("a", "00"), withVisibility(check("b", "01", "a"), "hidden")), ""},
		{"unknown visibility", doc(withVisibility(check("a", "00"), "secret")), `visibility "secret": choose visible, after_due_date, after_published, hidden`},
		{"visible needs hidden", doc(withVisibility(check("a", "00"), "after_due_date"), check("b", "01", "a")), "b is visible but depends on a, which is after_due_date"},
		{"unknown failure kind", strings.Replace(doc(check("a", "00")), `"points":1,`, `"points":1,"fails_kind":"store-gone",`, 1), `fails_kind "store-gone" is no kind of failure; choose one of outbox-count, store-missing`},
		{"hint of an unknown kind", strings.Replace(doc(check("a", "00")), `"hints":[{"kind":"*"`, `"hints":[{"kind":"snackbarr"`, 1), `hint 1 names "snackbarr", which is no kind of failure`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := catalog.Parse([]byte(tc.json))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("valid data refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func withVisibility(check, v string) string {
	return strings.Replace(check, `"points":1`, `"points":1,"visibility":"`+v+`"`, 1)
}

// TestForStudents keeps the visible checks (no visibility given counts as
// visible) and names the others.
func TestForStudents(t *testing.T) {
	checks := []catalog.Check{{ID: "a"}, {ID: "b", Visibility: catalog.Visible}, {ID: "c", Visibility: catalog.AfterDueDate},
		{ID: "d", Visibility: catalog.Hidden}, {ID: "e", Visibility: catalog.AfterPublished}}
	kept, left := catalog.ForStudents(checks)
	var ids []string
	for _, c := range kept {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"a", "b"}) || !slices.Equal(left, []string{"c", "d", "e"}) {
		t.Fatalf("kept %v, left out %v; want [a b] and [c d e]", ids, left)
	}
	if v := checks[0].Seen(); v != "visible" {
		t.Fatalf("no visibility reads as %q, want visible", v)
	}
}

func TestSelect(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(checks []catalog.Check) []string {
		var out []string
		for _, c := range checks {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		sel  catalog.Selection
		want func([]string) bool
	}{
		{"chapter by default", catalog.Selection{}, func(got []string) bool {
			return slices.Contains(got, "replay") && !slices.Contains(got, "lost-response")
		}},
		{"robust added", catalog.Selection{Groups: []string{"robust"}}, func(got []string) bool {
			return slices.Contains(got, "replay") && slices.Contains(got, "lost-response")
		}},
		{"up to step 02", catalog.Selection{Step: "02"}, func(got []string) bool {
			return slices.Equal(got, []string{"app-starts", "register-sync", "outbox-store"})
		}},
		{"only with dependencies", catalog.Selection{Only: []string{"snackbar"}}, func(got []string) bool {
			return slices.Equal(got, []string{"app-starts", "outbox-store", "offline-queue", "snackbar"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cat.Select(tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(ids(got)) {
				t.Fatalf("selected %v", ids(got))
			}
		})
	}
	if _, err := cat.Select(catalog.Selection{Only: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), "no check \"nope\"") {
		t.Fatalf("unknown check: %v", err)
	}
	if _, err := cat.Select(catalog.Selection{Groups: []string{"nope"}}); err == nil {
		t.Fatal("unknown group accepted")
	}
}

// TestChapterBoundsMatchTheChecks: steps.json's chapter end and robust step
// (what the commands use instead of step ids in code) agree with the
// checks: every robust check belongs to the step beyond the chapter, every
// other check to a step up to the chapter's end.
func TestChapterBoundsMatchTheChecks(t *testing.T) {
	last, beyond, err := frontend.ChapterBounds()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range cat.Checks {
		robust := ch.Group == "robust"
		if robust && ch.Step != beyond {
			t.Errorf("robust check %s is at step %s, not at the step beyond the chapter (%s)", ch.ID, ch.Step, beyond)
		}
		if !robust && ch.Step > last {
			t.Errorf("check %s is at step %s, after the chapter's end (%s)", ch.ID, ch.Step, last)
		}
	}
}
