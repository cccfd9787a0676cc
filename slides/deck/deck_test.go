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
