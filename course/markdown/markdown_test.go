package markdown

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"synclab/course/listing"
)

func library(t *testing.T) *listing.Library {
	t.Helper()
	lib, err := listing.New(listing.MapSource{
		"00": fstest.MapFS{"sw.js": {Data: []byte("self.addEventListener('fetch', e => {});\n")}},
		"01": fstest.MapFS{"sw.js": {Data: []byte("self.addEventListener('fetch', e => {});\n// #region sync\nself.addEventListener('sync', e => {});\n// #endregion\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func converter(t *testing.T, slides bool) *Converter {
	return New(Options{
		Listings:    library(t),
		Lang:        "de",
		Slides:      slides,
		PicturesURL: "../pictures/",
		StepURL:     func(s string) string { return "steps/" + s + ".html" },
	})
}

const page = `# Hintergrundsynchronisation

Intro with a [link to the next chapter](02-robust.md#weiter) and a [section](#über-uns).

## Über uns

!!! hint "Gut zu wissen"
    The worker **wakes up**.

    ` + "```listing step=01 file=sw.js region=sync\n    ```" + `

!!! warning
    Careful.

=== "Deutsch"
    Hallo

=== "English"
    Hello

| a | b |
| - | - |
| 1 | 2 |

![Ablauf](pictures/flow-offline.svg)

` + "```sh\ngo run ./backend\n```\n"

func TestRender(t *testing.T) {
	doc, err := converter(t, false).Render("de/01.md", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.HTML)
	for _, want := range []string{
		`<div class="admonition hint">`, `<p class="admonition-title">Gut zu wissen</p>`, `<strong>wakes up</strong>`,
		`<p class="admonition-title">Achtung</p>`,
		`<div class="tabbed-set" data-tabs="2">`, `<label for="tabs-1-2">English</label>`, "<p>Hello</p>",
		`<table>`, `<img src="../pictures/flow-offline.svg" alt="Ablauf">`,
		`href="02-robust.html#weiter"`, `href="#ueber-uns"`, `<h2 id="ueber-uns">Über uns</h2>`,
		`<figure class="listing" data-step="01" data-file="sw.js" data-region="sync"`,
		`<a class="listing-step" href="steps/01.html">Checkpoint 01</a>`,
		`<span class="line hl" data-line="3">`,
		`<div class="code" data-lang="sh">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	// The listing sits inside the admonition.
	if strings.Index(html, `<figure class="listing"`) > strings.Index(html, `<p class="admonition-title">Achtung`) {
		t.Errorf("the listing left its admonition:\n%s", html)
	}
	if doc.Title != "Hintergrundsynchronisation" {
		t.Errorf("title %q", doc.Title)
	}
	o := doc.Outline
	if len(o.Headings) != 2 || o.Headings[1].Level != 2 || o.Headings[1].ID != "ueber-uns" || o.Headings[1].Line != 5 {
		t.Errorf("headings %+v", o.Headings)
	}
	if len(o.Listings) != 1 || o.Listings[0].Line != 10 || len(o.Listings[0].Changed) != 1 {
		t.Errorf("listings %+v", o.Listings)
	}
	if len(o.Pictures) != 1 || o.Pictures[0].Dest != "pictures/flow-offline.svg" {
		t.Errorf("pictures %+v", o.Pictures)
	}
	if len(o.Links) != 2 || o.Links[0].Dest != "02-robust.md#weiter" || o.Links[0].Line != 3 {
		t.Errorf("links %+v", o.Links)
	}
}

func TestListingErrorsNameFileAndLine(t *testing.T) {
	src := "# T\n\ntext\n\n```listing step=01 file=sw.js region=missing\n```\n\n```listing step=07 file=sw.js region=sync\n```\n\n```listing step=01 file=sw.js\n```\n"
	_, err := converter(t, false).Render("de/01.md", []byte(src))
	if err == nil {
		t.Fatal("no error for missing region, step and range")
	}
	var se *SourceError
	if !errors.As(err, &se) || se.File != "de/01.md" || se.Line != 5 {
		t.Errorf("first error %v is not at de/01.md:5", err)
	}
	for _, want := range []string{`de/01.md:5: listing step=01 file=sw.js region=missing: sw.js at checkpoint 01 has no region "missing" (its regions: sync)`, "de/01.md:8:", `no checkpoint "07"`, "de/01.md:11:", "neither a region"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestSlidesStepThroughAndPrefixedIDs(t *testing.T) {
	src := "## Der Handler\n\n```listing step=01 file=sw.js lines=1-3\n```\n\n=== \"A\"\n    a\n"
	doc, err := converter(t, true).Render("deck.md", []byte(src), RenderOptions{IDPrefix: "s4-"})
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.HTML)
	for _, want := range []string{`id="s4-der-handler"`, `data-line-numbers="3"`, `name="s4-tabs-1"`} {
		if !strings.Contains(html, want) {
			t.Errorf("slide HTML lacks %s:\n%s", want, html)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Über die Größe":            "ueber-die-groesse",
		"Checkpoint 07: Senden":     "checkpoint-07-senden",
		"  sync-Ereignis  ":         "sync-ereignis",
		"`POST /posts` and retries": "post-posts-and-retries",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
