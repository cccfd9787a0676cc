package deck

import (
	"strings"
	"testing"
	"testing/fstest"

	"synclab/course/listing"
	"synclab/course/markdown"
)

func converters(t *testing.T) Converters {
	t.Helper()
	lib, err := listing.New(listing.MapSource{
		"00": fstest.MapFS{"sw.js": {Data: []byte("a\nb\nc\nd\n")}},
		"01": fstest.MapFS{"sw.js": {Data: []byte("A\nb\nc\nD\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return Converters{
		Slides: markdown.New(markdown.Options{Listings: lib, Slides: true, PicturesURL: "../../pictures/"}),
		Notes:  markdown.New(markdown.Options{Listings: lib}),
	}
}

const deckSrc = "# Hintergrundsynchronisation\n\nSync Lab\n\nNote:\nWelcome everyone.\n\n---\n\n## Code\n\n```listing step=01 file=sw.js lines=1-4\n```\n\n```yaml\n---\nnot: a separator\n```\n\nNote: Explain the changes.\n---\n<!-- demo -->\n## Live\n\n    go run ./simulator -headful -step 07 -scenario replay-app-closed\n"

func TestBuildSplitsSlidesAndNotes(t *testing.T) {
	d, err := Build("de/deck.md", []byte(deckSrc), converters(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Slides) != 3 {
		t.Fatalf("%d slides, want 3", len(d.Slides))
	}
	if d.Title != "Hintergrundsynchronisation" {
		t.Errorf("title %q", d.Title)
	}
	s := d.Slides
	if !strings.Contains(string(s[0].Notes), "Welcome everyone.") || strings.Contains(string(s[0].HTML), "Welcome") {
		t.Errorf("notes of slide 1 not separated: %q / %q", s[0].HTML, s[0].Notes)
	}
	if !strings.Contains(string(s[1].HTML), `data-line-numbers="1,4|1|4"`) || !strings.Contains(string(s[1].HTML), "a separator") {
		t.Errorf("slide 2: %s", s[1].HTML)
	}
	if !strings.Contains(string(s[1].Notes), "Explain the changes.") {
		t.Errorf("slide 2 notes: %q", s[1].Notes)
	}
	if !s[2].Demo || s[0].Demo || s[2].Line != 22 {
		t.Errorf("demo flags %v %v %v, line %d", s[0].Demo, s[1].Demo, s[2].Demo, s[2].Line)
	}
	html, err := d.HTML(Page{Lang: "de", Assets: "../../assets/", Root: "../../", Back: "Kurs"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(html), "<section"); n != 3 {
		t.Errorf("%d sections in the page, want 3", n)
	}
	for _, want := range []string{`<aside class="notes">`, `class="demo"`, `../../assets/reveal/reveal.js`, `RevealNotes`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no demo", "# A\n---\n## B\n", "has 0 live-demo slides"},
		{"demo without the command", "# A\n---\n<!-- demo -->\n## Live\n", "de/deck.md:3: the live-demo slide must name the simulator command"},
		{"missing region, right line", "# A\n---\n<!-- demo -->\ngo run ./simulator\n---\n## B\n\n```listing step=01 file=sw.js region=nope\n```\n", `de/deck.md:8: listing step=01 file=sw.js region=nope`},
		{"empty slide", "# A\n---\n---\n<!-- demo -->\ngo run ./simulator\n", "de/deck.md:3: the slide is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build("de/deck.md", []byte(tt.src), converters(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNamedStepsFindTheirLinesByText(t *testing.T) {
	lib, err := listing.New(listing.MapSource{
		"00": fstest.MapFS{"sw.js": {Data: []byte("x\n")}},
		"01": fstest.MapFS{
			"sw.js":     {Data: []byte("x\nfetch(url, {\n  body: 1,\n})\n.catch(e => {\n  log(e);\n});\n")},
			"outbox.js": {Data: []byte("// #region send\nconst a = 1;\nfetch(b);\n// #endregion\n")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := Converters{
		Slides: markdown.New(markdown.Options{Listings: lib, Slides: true}),
		Notes:  markdown.New(markdown.Options{Listings: lib}),
	}
	src := "# A\n---\n```listing step=01 file=sw.js lines=1-7 steps=\"fetch: fetch(… | catch: .catch(…\"\n```\n\n" +
		"```listing step=01 file=outbox.js region=send steps=\"a: const a | fetch: fetch(\"\n```\n---\n<!-- demo -->\ngo run ./simulator\n"
	d, err := Build("de/deck.md", []byte(src), c)
	if err != nil {
		t.Fatal(err)
	}
	ls := d.Slides[1].Listings
	if len(ls) != 2 {
		t.Fatalf("%d listings recorded, want 2", len(ls))
	}
	if got := ls[0].LineNumbers; got != "2-7|2-4|5-7" {
		t.Errorf("sw.js steps %q, want 2-7|2-4|5-7 (the changed lines, then fetch( to its closing line, then .catch( to its)", got)
	}
	// A new file marks nothing in its first view and steps through its parts.
	if !ls[1].AllNew || ls[1].LineNumbers != "|2|3" || len(ls[1].Changed) != 0 {
		t.Errorf("outbox.js: %+v", ls[1])
	}
	html := string(d.Slides[1].HTML)
	for _, want := range []string{`data-steps="fetch|catch"`, `data-step-name="catch"`, `data-new="all"`} {
		if !strings.Contains(html, want) {
			t.Errorf("slide lacks %s: %s", want, html)
		}
	}
	if strings.Contains(html, "steps=") && !strings.Contains(html, "data-steps=") {
		t.Error("the steps attribute leaked into the page")
	}

	for _, tt := range []struct{ name, steps, want string }{
		{"text not in the listing", `fetch: fetch( | ok: response.ok`, `de/deck.md:3: step "ok": no line of the listing holds "response.ok"`},
		{"no name", `fetch(`, `de/deck.md:3: steps="fetch(": write each step as "name: text, text"`},
		{"no text", `fetch: …`, `step "fetch" names no text`},
	} {
		src := "# A\n---\n```listing step=01 file=sw.js lines=1-7 steps=\"" + tt.steps + "\"\n```\n---\n<!-- demo -->\ngo run ./simulator\n"
		if _, err := Build("de/deck.md", []byte(src), c); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestBracketDepth(t *testing.T) {
	for line, want := range map[string]int{
		"fetch(url, {":                1 + 1,
		"})":                          -2,
		"}).then(() => {":             0,
		"log('a ( in a string', x);":  0,
		"f(a); // opens ( in comment": 0,
		"`${a}(` + g(":                1,
	} {
		if got := bracketDepth(line); got != want {
			t.Errorf("bracketDepth(%q) = %d, want %d", line, got, want)
		}
	}
}
