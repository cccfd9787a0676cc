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
	said := runner.Result{ID: "x", Status: runner.Failed, Message: "press Speichern: boom",
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
	}
}
