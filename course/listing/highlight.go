package listing

import (
	"html/template"
	"path"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Style is the chroma style whose colours CSS writes.
const Style = "github"

// formatter writes tokens as spans with chroma's CSS classes, one line at a
// time (the line wrappers and numbers are ours: numbers may skip lines).
var formatter = chtml.New(chtml.WithClasses(true), chtml.PreventSurroundingPre(true))

// Language returns the name of the chroma lexer used for a file.
func Language(file string) string {
	if l := lexers.Match(path.Base(file)); l != nil {
		return l.Config().Name
	}
	return "plaintext"
}

// highlight tokenises a whole file with chroma (so that constructs spanning
// lines are coloured right) and returns each line as HTML.
func highlight(file string, lines []string) []template.HTML {
	out := make([]template.HTML, len(lines))
	lexer := lexers.Match(path.Base(file))
	if lexer == nil {
		lexer = lexers.Fallback
	}
	lexer = chroma.Coalesce(lexer)
	it, err := lexer.Tokenise(nil, strings.Join(lines, "\n")+"\n")
	if err != nil {
		for i, l := range lines {
			out[i] = template.HTML(template.HTMLEscapeString(l))
		}
		return out
	}
	style := styles.Get(Style)
	for i, toks := range chroma.SplitTokensIntoLines(it.Tokens()) {
		if i >= len(out) {
			break
		}
		if n := len(toks); n > 0 {
			toks[n-1].Value = strings.TrimSuffix(toks[n-1].Value, "\n")
		}
		var b strings.Builder
		if err := formatter.Format(&b, style, chroma.Literator(toks...)); err != nil {
			b.Reset()
			b.WriteString(template.HTMLEscapeString(lines[i]))
		}
		out[i] = template.HTML(b.String())
	}
	return out
}

// CSS returns the style sheet for highlighted code (chroma's classes under
// .chroma).
func CSS() string {
	var b strings.Builder
	_ = formatter.WriteCSS(&b, styles.Get(Style))
	return b.String()
}
