package listing

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// HTMLOptions says how a listing is written as HTML.
type HTMLOptions struct {
	// StepURL, if set, links the caption to the step browser's page.
	StepURL string
	// StepLabel names the checkpoint in the caption, e.g. "Checkpoint 07".
	StepLabel string
	// Steps adds reveal.js step-through highlighting for slides: the
	// listing first, then each block of changed lines in turn (fragments).
	Steps bool
}

// HTML writes the listing as a figure: a caption naming file and
// checkpoint, then the code with the file's real line numbers; changed
// lines have the class "hl".
func (l *Listing) HTML(o HTMLOptions) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="listing" data-step="%s" data-file="%s"`, esc(l.Spec.Step), esc(l.Spec.File))
	if l.Spec.Region != "" {
		fmt.Fprintf(&b, ` data-region="%s"`, esc(l.Spec.Region))
	}
	fmt.Fprintf(&b, ` data-changed="%s">`, esc(rangesString(l.Blocks())))
	b.WriteString(`<figcaption>`)
	if l.Spec.Title != "" {
		fmt.Fprintf(&b, `<span class="listing-title">%s</span> `, esc(l.Spec.Title))
	}
	fmt.Fprintf(&b, `<code class="listing-file">%s</code> `, esc(l.Spec.File))
	label := o.StepLabel
	if label == "" {
		label = "Checkpoint " + l.Spec.Step
	}
	if o.StepURL != "" {
		fmt.Fprintf(&b, `<a class="listing-step" href="%s">%s</a>`, esc(o.StepURL), esc(label))
	} else {
		fmt.Fprintf(&b, `<span class="listing-step">%s</span>`, esc(label))
	}
	b.WriteString(`</figcaption>`)
	blocks := l.Blocks()
	if !o.Steps || len(blocks) == 0 {
		l.writeCode(&b, "", func(ln Line) string { return lineClass(ln.Changed, false) })
		b.WriteString(`</figure>`)
		return template.HTML(b.String())
	}
	// reveal.js step-through: the whole listing with its changes marked,
	// then one fragment per block of changed lines with the rest dimmed.
	// Each fragment lies over the first (like reveal.js's own code steps)
	// and is visible only while it is the current fragment.
	parts := []string{rangesString(blocks)}
	for _, r := range blocks {
		parts = append(parts, rangesString([]Range{r}))
	}
	if len(blocks) == 1 {
		parts = parts[:1]
	}
	fmt.Fprintf(&b, `<div class="code-steps" data-line-numbers="%s">`, esc(strings.Join(parts, "|")))
	l.writeCode(&b, "", func(ln Line) string { return lineClass(ln.Changed, false) })
	if len(blocks) > 1 {
		for _, r := range blocks {
			l.writeCode(&b, ` class="chroma has-highlights fragment current-visible"`, func(ln Line) string {
				return lineClass(ln.Number >= r.From && ln.Number <= r.To, true)
			})
		}
	}
	b.WriteString(`</div></figure>`)
	return template.HTML(b.String())
}

func lineClass(hl, dim bool) string {
	switch {
	case hl:
		return "line hl"
	case dim:
		return "line dim"
	}
	return "line"
}

// writeCode writes the lines in a <pre>.
func (l *Listing) writeCode(b *strings.Builder, preAttrs string, class func(Line) string) {
	if preAttrs == "" {
		preAttrs = ` class="chroma"`
	}
	width := len(strconv.Itoa(l.Lines[len(l.Lines)-1].Number))
	fmt.Fprintf(b, `<pre%s><code data-lang="%s">`, preAttrs, esc(strings.ToLower(l.Language)))
	for _, ln := range l.Lines {
		fmt.Fprintf(b, `<span class="%s" data-line="%d"><span class="ln">%*d</span><span class="cl">%s`+"\n"+`</span></span>`,
			class(ln), ln.Number, width, ln.Number, ln.HTML)
	}
	b.WriteString(`</code></pre>`)
}

// rangesString writes ranges as reveal.js does: "3-5,9".
func rangesString(rs []Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r.From == r.To {
			parts[i] = strconv.Itoa(r.From)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r.From, r.To)
		}
	}
	return strings.Join(parts, ",")
}

func esc(s string) string { return template.HTMLEscapeString(s) }
