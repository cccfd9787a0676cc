package deck

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"synclab/course/listing"
	"synclab/course/markdown"
)

// A listing on a slide may name the steps it is walked through in, in its
// info string:
//
//	```listing step=07 file=sw.js region=replay steps="FormData: new FormData, formData.append | fetch: fetch( | ok: response.ok"
//	```
//
// Steps are separated by "|"; each is a name, a colon and the texts (comma
// separated) that find its lines in the listing: every shown line holding
// one of the texts. A text ending in "…" (fetch(…) also takes the lines up
// to the one that closes the brackets its line leaves open (a call with a
// callback, an object, a block). Nothing is a line number, so the steps
// follow the checkpoint when it changes; a text no line holds is an error.

// NamedStep is one step of a listing's step-through.
type NamedStep struct {
	Name string
	// Texts find the step's lines.
	Texts []string
	// Lines are the real line numbers the step highlights.
	Lines []int
}

// StepThrough is how a listing on a slide steps through its lines.
type StepThrough struct {
	// Step, File and Region name the listing, as its figure does.
	Step, File, Region string
	// Line is the listing block's line in the Markdown file.
	Line int
	// Shown are the real line numbers shown; Changed those marked as
	// changed in the first view.
	Shown, Changed []int
	// Texts are the shown lines' text by line number.
	Texts map[int]string
	// AllNew says every shown line is new in the step (a file new in the
	// step, or a part added whole): the first view marks nothing, since a
	// listing highlighted in full shows nothing in particular.
	AllNew bool
	// Steps are the named steps; nil when the listing steps through its
	// blocks of changed lines.
	Steps []NamedStep
	// LineNumbers is the data-line-numbers attribute: the first view's
	// ranges, then each step's, separated by "|".
	LineNumbers string
}

// stepsSpec is what a listing block of a slide asks for.
type stepsSpec struct {
	line  int
	steps []NamedStep // nil: the blocks of changed lines
}

var stepsAttrRe = regexp.MustCompile(`\s+steps=`)

// takeSteps removes the steps="…" attribute from every listing block of a
// slide's Markdown (first line of the body is line first of the file) and
// returns the body to render and, in order, what each listing block asks
// for.
func takeSteps(name, body string, first int) (string, []stepsSpec, []error) {
	lines := strings.Split(body, "\n")
	var specs []stepsSpec
	var errs []error
	fence := ""
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		f := fenceOf(trimmed)
		if f == "" {
			continue
		}
		fence = f
		info := strings.TrimSpace(strings.TrimLeft(trimmed, f[:1]))
		if !listing.IsListing(info) {
			continue
		}
		sp := stepsSpec{line: first + i}
		if loc := stepsAttrRe.FindStringIndex(l); loc != nil {
			rest := l[loc[1]:]
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				errs = append(errs, &markdown.SourceError{File: name, Line: sp.line, Err: errors.New(`steps= needs a quoted value: steps="name: text, text | name: text"`)})
				continue
			}
			value, _ := strconv.Unquote(q)
			lines[i] = l[:loc[0]] + rest[len(q):]
			if sp.steps, err = parseSteps(value); err != nil {
				errs = append(errs, &markdown.SourceError{File: name, Line: sp.line, Err: err})
			}
		}
		specs = append(specs, sp)
	}
	return strings.Join(lines, "\n"), specs, errs
}

// parseSteps reads "name: text, text | name: text".
func parseSteps(v string) ([]NamedStep, error) {
	var out []NamedStep
	for _, part := range strings.Split(v, "|") {
		n, texts, ok := strings.Cut(part, ":")
		n = strings.TrimSpace(n)
		if !ok || n == "" {
			return nil, fmt.Errorf("steps=%q: write each step as \"name: text, text\", steps separated by |", v)
		}
		s := NamedStep{Name: n}
		for _, t := range strings.Split(texts, ",") {
			if t = strings.TrimSpace(t); strings.TrimSuffix(t, "…") != "" {
				s.Texts = append(s.Texts, t)
			}
		}
		if len(s.Texts) == 0 {
			return nil, fmt.Errorf("steps=%q: step %q names no text to find its lines by", v, n)
		}
		out = append(out, s)
	}
	return out, nil
}

var (
	// codeLineRe is one line of a listing as course/listing writes it.
	codeLineRe = regexp.MustCompile(`<span class="line(?: hl)?" data-line="(\d+)"><span class="ln">[^<]*</span><span class="cl">(.*)\n</span></span>`)
	codeOpenRe = regexp.MustCompile(`<code data-lang="[^"]*">`)
	tagRe      = regexp.MustCompile(`<[^>]*>`)
)

const figureOpen = `<figure class="listing"`

// codeLine is one shown line of a listing's HTML.
type codeLine struct {
	number  int
	changed bool
	text    string
	rest    string // the span after its class attribute
}

// applySteps rewrites the listings of a slide's HTML (in order, one per
// spec) to step through their named steps, and records how each steps.
func applySteps(name string, doc template.HTML, specs []stepsSpec) (template.HTML, []StepThrough, []error) {
	src := string(doc)
	var b strings.Builder
	var out []StepThrough
	var errs []error
	for i := 0; ; i++ {
		start := strings.Index(src, figureOpen)
		if start < 0 {
			b.WriteString(src)
			break
		}
		end := strings.Index(src[start:], "</figure>")
		if end < 0 {
			b.WriteString(src)
			break
		}
		end += start + len("</figure>")
		b.WriteString(src[:start])
		fig := src[start:end]
		src = src[end:]
		if i >= len(specs) {
			b.WriteString(fig)
			continue
		}
		html, st, err := stepThrough(fig, specs[i])
		if err != nil {
			errs = append(errs, &markdown.SourceError{File: name, Line: specs[i].line, Err: err})
			b.WriteString(fig)
			continue
		}
		b.WriteString(html)
		out = append(out, st)
	}
	return template.HTML(b.String()), out, errs
}

var figureAttrRe = regexp.MustCompile(`\sdata-(step|file|region)="([^"]*)"`)

// stepThrough writes one listing figure with its step-through.
func stepThrough(fig string, sp stepsSpec) (string, StepThrough, error) {
	st := StepThrough{Line: sp.line, Texts: map[int]string{}}
	openEnd := strings.IndexByte(fig, '>')
	capEnd := strings.Index(fig, "</figcaption>")
	preStart := strings.Index(fig, "<pre")
	preEnd := strings.Index(fig, "</pre>")
	code := codeOpenRe.FindString(fig)
	if openEnd < 0 || capEnd < 0 || preStart < capEnd || preEnd < preStart || code == "" {
		return "", st, errors.New("cannot read the listing's HTML (has course/listing changed how it writes listings?)")
	}
	open := fig[:openEnd]
	for _, m := range figureAttrRe.FindAllStringSubmatch(open, -1) {
		v := html.UnescapeString(m[2])
		switch m[1] {
		case "step":
			st.Step = v
		case "file":
			st.File = v
		case "region":
			st.Region = v
		}
	}
	var lines []codeLine
	for _, m := range codeLineRe.FindAllStringSubmatch(fig[preStart:preEnd], -1) {
		n, _ := strconv.Atoi(m[1])
		whole := m[0]
		rest := whole[strings.Index(whole, `" data-line=`)+1:]
		lines = append(lines, codeLine{
			number:  n,
			changed: strings.HasPrefix(whole, `<span class="line hl"`),
			text:    html.UnescapeString(tagRe.ReplaceAllString(m[2], "")),
			rest:    rest,
		})
	}
	if len(lines) == 0 {
		return "", st, errors.New("the listing's HTML holds no lines (has course/listing changed how it writes listings?)")
	}
	st.AllNew = true
	for _, l := range lines {
		st.Shown = append(st.Shown, l.number)
		st.Texts[l.number] = l.text
		st.AllNew = st.AllNew && l.changed
	}
	if !st.AllNew {
		for _, l := range lines {
			if l.changed {
				st.Changed = append(st.Changed, l.number)
			}
		}
	}
	// The steps: named, or each block of changed lines.
	var steps [][]int
	if sp.steps != nil {
		for _, s := range sp.steps {
			idx, err := findStep(lines, s)
			if err != nil {
				return "", st, err
			}
			for _, i := range idx {
				s.Lines = append(s.Lines, lines[i].number)
			}
			st.Steps = append(st.Steps, s)
			steps = append(steps, idx)
		}
	} else if !st.AllNew {
		for _, r := range runs(lines, func(i int) bool { return lines[i].changed }) {
			steps = append(steps, r)
		}
		if len(steps) == 1 {
			steps = nil
		}
	}
	marked := func(i int) bool { return !st.AllNew && lines[i].changed }
	parts := []string{rangesOf(lines, marked)}
	for _, idx := range steps {
		in := map[int]bool{}
		for _, i := range idx {
			in[i] = true
		}
		parts = append(parts, rangesOf(lines, func(i int) bool { return in[i] }))
	}
	st.LineNumbers = strings.Join(parts, "|")

	var b strings.Builder
	b.WriteString(open)
	if st.AllNew {
		// Every line is new: nothing is marked in the first view.
		b.WriteString(` data-new="all"`)
	}
	b.WriteString(fig[openEnd : capEnd+len("</figcaption>")])
	fmt.Fprintf(&b, `<div class="code-steps" data-line-numbers="%s"`, template.HTMLEscapeString(st.LineNumbers))
	if st.Steps != nil {
		names := make([]string, len(st.Steps))
		for i, s := range st.Steps {
			names[i] = s.Name
		}
		fmt.Fprintf(&b, ` data-steps="%s"`, template.HTMLEscapeString(strings.Join(names, "|")))
	}
	b.WriteString(`>`)
	writePre(&b, ` class="chroma"`, code, lines, func(i int) string {
		if marked(i) {
			return "line hl"
		}
		return "line"
	})
	for k, idx := range steps {
		in := map[int]bool{}
		for _, i := range idx {
			in[i] = true
		}
		attrs := ` class="chroma has-highlights fragment current-visible"`
		if st.Steps != nil {
			attrs += fmt.Sprintf(` data-step-name="%s"`, template.HTMLEscapeString(st.Steps[k].Name))
		}
		writePre(&b, attrs, code, lines, func(i int) string {
			if in[i] {
				return "line hl"
			}
			return "line dim"
		})
	}
	b.WriteString(`</div></figure>`)
	return b.String(), st, nil
}

func writePre(b *strings.Builder, attrs, code string, lines []codeLine, class func(int) string) {
	fmt.Fprintf(b, `<pre%s>%s`, attrs, code)
	for i, l := range lines {
		fmt.Fprintf(b, `<span class="%s"%s`, class(i), l.rest)
	}
	b.WriteString(`</code></pre>`)
}

// findStep returns the indexes of the lines a step names: each line that
// holds one of its texts, and for a text ending in "…" the lines up to
// where the brackets its line opens close.
func findStep(lines []codeLine, s NamedStep) ([]int, error) {
	in := map[int]bool{}
	for _, t := range s.Texts {
		t, extend := strings.CutSuffix(t, "…")
		found := false
		for i, l := range lines {
			if !strings.Contains(l.text, t) {
				continue
			}
			found = true
			in[i] = true
			depth := 0
			if extend {
				depth = bracketDepth(l.text)
			}
			for j := i + 1; depth > 0 && j < len(lines); j++ {
				in[j] = true
				depth += bracketDepth(lines[j].text)
			}
		}
		if !found {
			return nil, fmt.Errorf("step %q: no line of the listing holds %q", s.Name, t)
		}
	}
	var out []int
	for i := range lines {
		if in[i] {
			out = append(out, i)
		}
	}
	return out, nil
}

// bracketDepth is how many brackets a line of JavaScript (or HTML) opens
// and leaves open: (, [ and { count up, their partners down; strings and
// // comments are skipped.
func bracketDepth(line string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			quote = c
		case '/':
			if i+1 < len(line) && line[i+1] == '/' {
				return depth
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
	}
	return depth
}

// runs groups the indexes for which in is true into runs of neighbouring
// shown lines.
func runs(lines []codeLine, in func(int) bool) [][]int {
	var out [][]int
	for i := range lines {
		if !in(i) {
			continue
		}
		if i > 0 && in(i-1) {
			out[len(out)-1] = append(out[len(out)-1], i)
			continue
		}
		out = append(out, []int{i})
	}
	return out
}

// rangesOf writes the lines for which in is true as reveal.js ranges,
// "3-5,9" (a hidden marker line between two shown lines does not split a
// range).
func rangesOf(lines []codeLine, in func(int) bool) string {
	var parts []string
	for _, r := range runs(lines, in) {
		from, to := lines[r[0]].number, lines[r[len(r)-1]].number
		if from == to {
			parts = append(parts, strconv.Itoa(from))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", from, to))
		}
	}
	return strings.Join(parts, ",")
}
