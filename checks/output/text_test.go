package output_test

import (
	"strings"
	"testing"

	"synclab/checks/output"
	"synclab/checks/runner"
	"synclab/lang"
)

// A failure without an expectation (a step the app broke) is shown in the
// student's language when the checks can say it, else as it came.
func TestFailureMessageInTheStudentsLanguage(t *testing.T) {
	// Message is the error as it came (runner.go keeps err.Error() there);
	// Said is what the checks can say about it in either language. The two
	// differ, so the English case shows that Said.EN is used, not Message.
	said := runner.Result{ID: "x", Status: runner.Failed, Message: "step click(#save): boom",
		Said: lang.Text{EN: "press Speichern: boom", DE: "Speichern drücken: boom"}}
	plain := runner.Result{ID: "y", Status: runner.Failed, Message: "DevTools: boom"}
	for _, tc := range []struct {
		r       runner.Result
		l, want string
	}{
		{said, lang.German, "Speichern drücken: boom"},
		{said, lang.English, "press Speichern: boom"},
		{plain, lang.German, "DevTools: boom"},
	} {
		var text strings.Builder
		output.Check(&text, tc.r, output.Options{Lang: tc.l})
		if !strings.Contains(text.String(), tc.want) {
			t.Errorf("%s in %s: text says\n%s\nwant %q", tc.r.ID, tc.l, text.String(), tc.want)
		}
		var page strings.Builder
		if err := output.HTML(&page, "app", runner.Report{Results: []runner.Result{tc.r}}, output.Options{Lang: tc.l}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page.String(), tc.want) {
			t.Errorf("%s in %s: the page lacks %q", tc.r.ID, tc.l, tc.want)
		}
		var junit strings.Builder
		if err := output.JUnit(&junit, runner.Report{Results: []runner.Result{tc.r}}, output.Options{Lang: tc.l}); err != nil {
			t.Fatal(err)
		}
		if want := `message="` + tc.want + `"`; !strings.Contains(junit.String(), want) {
			t.Errorf("%s in %s: the JUnit failure lacks %s:\n%s", tc.r.ID, tc.l, want, junit.String())
		}
	}
}

// TestSummarySaysWhatWasLeftOutAndTheVersions: the student learns which
// checks did not run (shown only after the deadline) and how to run them,
// and every output names the Sync Lab and browser.
func TestSummarySaysWhatWasLeftOutAndTheVersions(t *testing.T) {
	rep := runner.Report{Results: []runner.Result{{ID: "a", Status: runner.Passed, Points: 1, Max: 1}}, Points: 1, Max: 1}
	v := output.Versions{SyncLab: "0123456789abcdef0123456789abcdef01234567+modified", Browser: "Chrome/156.0.1"}
	for l, wants := range map[string][]string{
		lang.German:  {"2 Check(s) nicht gelaufen, weil sie erst nach dem Abgabetermin oder gar nicht gezeigt werden: replay, fallback (-all lässt alle laufen).", "Sync Lab 0123456789ab+modified, Chrome/156.0.1"},
		lang.English: {"2 check(s) not run because they are shown only after the deadline or not at all: replay, fallback (-all runs them all).", "Sync Lab 0123456789ab+modified, Chrome/156.0.1"},
	} {
		var b strings.Builder
		output.Summary(&b, rep, output.Options{Lang: l, LeftOut: []string{"replay", "fallback"}, Versions: v})
		for _, w := range wants {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the summary does not say %q:\n%s", l, w, b.String())
			}
		}
	}
	var js, page, junit strings.Builder
	o := output.Options{Lang: lang.English, Versions: v}
	if err := output.JSON(&js, "app", rep, o); err != nil {
		t.Fatal(err)
	}
	if err := output.HTML(&page, "app", rep, o); err != nil {
		t.Fatal(err)
	}
	if err := output.JUnit(&junit, rep, o); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"JSON": `"synclab": "` + v.SyncLab + `"`, "HTML": "Sync Lab 0123456789ab&#43;modified, Chrome/156.0.1", "JUnit": `name="browser.version" value="Chrome/156.0.1"`} {
		got := map[string]string{"JSON": js.String(), "HTML": page.String(), "JUnit": junit.String()}[name]
		if !strings.Contains(got, want) {
			t.Errorf("%s does not say %q:\n%s", name, want, got)
		}
	}
}
