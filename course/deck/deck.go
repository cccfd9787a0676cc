// Package deck turns a slide deck written in Markdown into a reveal.js
// presentation: slides separated by a line "---", speaker notes after a
// line "Note:", listings from the checkpoints that step through their
// changes or through named steps (steps="…", see NamedStep), and one live-demo slide ("<!-- demo -->" as its first line)
// that names the simulator command.
package deck

import (
	"errors"
	"fmt"
	"html/template"
	"strings"

	"synclab/course/markdown"
)

// DemoMarker is the first line of the live-demo slide.
const DemoMarker = "<!-- demo -->"

// DemoCommand must appear on the live-demo slide.
const DemoCommand = "go run ./simulator"

// Slide is one rendered slide.
type Slide struct {
	// Line is where the slide starts in the Markdown file.
	Line  int
	HTML  template.HTML
	Notes template.HTML
	// Demo marks the live-demo slide.
	Demo bool
	// Outline is what the slide holds.
	Outline markdown.Outline
	// Listings says how each listing of the slide steps through its
	// lines, in order.
	Listings []StepThrough
}

// Deck is a rendered deck.
type Deck struct {
	Name   string
	Title  string
	Slides []Slide
}

// chunk is a slide's Markdown before rendering.
type chunk struct {
	line        int // first line of the slide (1-based)
	body, notes string
	notesLine   int
}

// split cuts a deck into slides at lines "---" and each slide into body
// and notes at a line "Note:". Lines inside fenced code blocks never split.
func split(src string) []chunk {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var out []chunk
	cur := chunk{line: 1}
	var body, notes []string
	inNotes := false
	fence := ""
	flush := func() {
		cur.body = strings.Join(body, "\n")
		cur.notes = strings.Join(notes, "\n")
		out = append(out, cur)
	}
	for i, l := range lines {
		n := i + 1
		trimmed := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
		} else if f := fenceOf(trimmed); f != "" {
			fence = f
		} else if trimmed == "---" && strings.TrimRight(l, " \t") == "---" {
			flush()
			cur, body, notes, inNotes = chunk{line: n + 1}, nil, nil, false
			continue
		} else if !inNotes && (trimmed == "Note:" || strings.HasPrefix(l, "Note: ")) {
			inNotes = true
			cur.notesLine = n
			if rest := strings.TrimSpace(strings.TrimPrefix(trimmed, "Note:")); rest != "" {
				notes = append(notes, rest)
			}
			continue
		}
		if inNotes {
			notes = append(notes, l)
		} else {
			body = append(body, l)
		}
	}
	flush()
	return out
}

// fenceOf returns the fence a line opens ("```" or "~~~", as long as
// written), or "".
func fenceOf(trimmed string) string {
	for _, c := range []string{"`", "~"} {
		if strings.HasPrefix(trimmed, c+c+c) {
			n := len(trimmed) - len(strings.TrimLeft(trimmed, c))
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// Converters render a deck: Slides for slide bodies (listings step
// through their changes), Notes for speaker notes.
type Converters struct {
	Slides, Notes *markdown.Converter
}

// Build renders a deck. name is used in messages. Every problem is
// returned, each naming the file and line.
func Build(name string, src []byte, c Converters) (*Deck, error) {
	d := &Deck{Name: name}
	var errs []error
	demos := 0
	for i, ch := range split(string(src)) {
		// Blank lines in front keep goldmark's line numbers equal to the
		// file's.
		pad := strings.Repeat("\n", ch.line-1)
		body, specs, serrs := takeSteps(name, ch.body, ch.line)
		errs = append(errs, serrs...)
		doc, err := c.Slides.Render(name, []byte(pad+body), markdown.RenderOptions{IDPrefix: fmt.Sprintf("s%d-", i+1)})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		html, listings, serrs := applySteps(name, doc.HTML, specs)
		errs = append(errs, serrs...)
		s := Slide{Line: ch.line, HTML: html, Outline: doc.Outline, Listings: listings}
		if strings.TrimSpace(ch.body) == "" {
			errs = append(errs, &markdown.SourceError{File: name, Line: ch.line, Err: errors.New("the slide is empty (two \"---\" lines in a row?)")})
		}
		if first, _, _ := strings.Cut(strings.TrimLeft(ch.body, "\n"), "\n"); strings.TrimSpace(first) == DemoMarker {
			s.Demo = true
			demos++
			if !strings.Contains(ch.body, DemoCommand) {
				errs = append(errs, &markdown.SourceError{File: name, Line: ch.line, Err: fmt.Errorf("the live-demo slide must name the simulator command (%s …)", DemoCommand)})
			}
		}
		if d.Title == "" && doc.Title != "" {
			d.Title = doc.Title
		}
		if strings.TrimSpace(ch.notes) != "" {
			npad := strings.Repeat("\n", ch.notesLine)
			notes, err := c.Notes.Render(name, []byte(npad+ch.notes), markdown.RenderOptions{IDPrefix: fmt.Sprintf("n%d-", i+1)})
			if err != nil {
				errs = append(errs, err)
			} else {
				s.Notes = notes.HTML
			}
		}
		d.Slides = append(d.Slides, s)
	}
	if demos != 1 {
		errs = append(errs, &markdown.SourceError{File: name, Line: 1, Err: fmt.Errorf("the deck has %d live-demo slides (first line %s), want exactly 1", demos, DemoMarker)})
	}
	return d, errors.Join(errs...)
}
