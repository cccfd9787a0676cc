package markdown

import (
	"strings"
	"testing"
)

// TestFoldedAdmonitions: "???" folds a box (a details element, closed),
// "???+" folds it open; the content, a listing too, stays inside, and the
// commands in a folded box are found like any other.
func TestFoldedAdmonitions(t *testing.T) {
	src := "# T\n\n??? tip \"Lösung ansehen\"\n    The **solution**:\n\n    ```listing step=01 file=sw.js region=sync\n    ```\n\n" +
		"???+ question \"Frage 1\"\n    ```sh\n    synclab-checks -only replay\n    ```\n\n??? warning\n    Careful.\n\n!!! note\n    Open box.\n\nAfter ??? a paragraph.\n"
	doc, err := converter(t, false).Render("de/01.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.HTML)
	for _, want := range []string{
		"<details class=\"admonition tip\">\n<summary class=\"admonition-title\">Lösung ansehen</summary>",
		"<strong>solution</strong>",
		"<details class=\"admonition question\" open>\n<summary class=\"admonition-title\">Frage 1</summary>",
		"<details class=\"admonition warning\">\n<summary class=\"admonition-title\">Achtung</summary>",
		`<div class="admonition note">`,
		"<p>After ??? a paragraph.</p>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
	if n, m := strings.Count(html, "<details"), strings.Count(html, "</details>"); n != 3 || m != 3 {
		t.Errorf("%d <details> and %d </details>, want 3 each:\n%s", n, m, html)
	}
	listing := strings.Index(html, `<figure class="listing"`)
	if listing < 0 || listing > strings.Index(html, "</details>") {
		t.Errorf("the listing is not inside the first fold:\n%s", html)
	}
	if len(doc.Outline.Listings) != 1 {
		t.Errorf("listings %+v", doc.Outline.Listings)
	}
	cmds := Commands([]byte(src), "synclab-checks")
	if len(cmds) != 1 || cmds[0].Text != "synclab-checks -only replay" || cmds[0].Line != 11 {
		t.Errorf("commands %+v", cmds)
	}
}
