package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"synclab/checks/catalog"
	"synclab/checks/hint"
	"synclab/frontend"
	"synclab/lang"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

// TestTheChaptersChecks is rustlings' "dev check" for the data: every check
// is complete in both languages, has its steps in the simulator (and no
// steps lack a check), names a step of the chapter, and every hint names a
// known kind and known conditions.
func TestTheChaptersChecks(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	steps, err := frontend.Steps()
	if err != nil {
		t.Fatal(err)
	}
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	conds := hint.Conditions()
	for _, ch := range cat.Checks {
		if !slices.ContainsFunc(steps, func(s frontend.Step) bool { return s.ID == ch.Step }) {
			t.Errorf("%s: no step %s", ch.ID, ch.Step)
		}
		if _, ok := scenario.Holding(all, ch.ID); !ok {
			t.Errorf("%s: no scenario runs it", ch.ID)
		}
		if ch.Step != "00" && ch.FailsKind == "" {
			t.Errorf("%s: the data names no failure for the checkpoint before step %s", ch.ID, ch.Step)
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
		return `{"id":"` + id + `","step":"` + step + `","group":"g","points":1,"depends_on":` + d +
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
			return slices.Equal(got, []string{"app-starts", "outbox-store", "register-sync"})
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

// TestStepsComeFromOneRowAndOneBlock: scenario.Build takes a check's
// step, expected failure and purpose from its row and its steps from its
// block; a part needs its dependencies inside the journey unless the
// block says otherwise; rows without steps, steps
// without a row and unknown journeys are refused by name.
func TestStepsComeFromOneRowAndOneBlock(t *testing.T) {
	row := func(id, step, kind string, deps ...string) catalog.Check {
		return catalog.Check{ID: id, Step: step, FailsKind: kind, DependsOn: deps, Title: lang.Text{DE: id + " (de)", EN: id}}
	}
	steps := []session.Step{session.OpenApp()}
	journeys := []scenario.Journey{{Name: "j"}}
	rows := []catalog.Check{row("a", "03", "outbox-count"), row("b", "07", "backend-posts", "a"), row("c", "07", "post-requests", "a"), row("d", "08", "stored-once", "b"), row("e", "05", "snackbar", "outside")}
	blocks := map[string]scenario.Block{
		"a": {Journey: "j", Steps: steps}, "b": {Journey: "j", Steps: steps}, "c": {Journey: "j", Needs: []string{}, Steps: steps},
		"d": {Steps: steps}, "e": {Journey: "j", Steps: steps},
	}
	got, err := scenario.Build(rows, blocks, journeys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "j" || got[1].Name != "d" {
		t.Fatalf("scenarios %v, want the journey j and d on its own", names(got))
	}
	j := got[0]
	if j.Since != "07" || j.FailsKind != "backend-posts" {
		t.Errorf("journey passes from %s and fails with %q before, want 07 and the first such part's backend-posts", j.Since, j.FailsKind)
	}
	wantNeeds := map[string][]string{"a": nil, "b": {"a"}, "c": nil, "e": nil}
	for _, p := range j.Parts {
		if !slices.Equal(p.Needs, wantNeeds[p.Name]) {
			t.Errorf("part %s needs %v, want %v", p.Name, p.Needs, wantNeeds[p.Name])
		}
	}
	if b, _ := j.Part("b"); b.Since != "07" || b.FailsKind != "backend-posts" || b.Purpose.DE != "b (de)" || len(b.Steps) != 1 {
		t.Errorf("part b is %+v, want its row's step, kind and title and its block's steps", b)
	}
	if d := got[1]; d.Since != "08" || d.FailsKind != "stored-once" || len(d.Steps) != 1 || len(d.Parts) != 0 {
		t.Errorf("check d on its own is %+v", d)
	}

	for _, tc := range []struct {
		name   string
		rows   []catalog.Check
		blocks map[string]scenario.Block
		want   string
	}{
		{"a row without steps", []catalog.Check{row("a", "03", "x"), row("b", "07", "x")}, map[string]scenario.Block{"a": {Steps: steps}}, "check b has no steps"},
		{"steps without a row", []catalog.Check{row("a", "03", "x")}, map[string]scenario.Block{"a": {Steps: steps}, "z": {Steps: steps}}, "steps for z, which frontend/checks.json does not list"},
		{"an unknown journey", []catalog.Check{row("a", "03", "x")}, map[string]scenario.Block{"a": {Journey: "nowhere", Steps: steps}}, `check a: no journey "nowhere"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Build(tc.rows, tc.blocks, journeys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func names(scs []scenario.Scenario) []string {
	var out []string
	for _, sc := range scs {
		out = append(out, sc.Name)
	}
	return out
}
