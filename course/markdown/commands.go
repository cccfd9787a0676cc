package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"synclab/course/listing"
)

// Command is a command line a page shows: a line of a code block or an
// inline code span that starts with the program's name.
type Command struct {
	// Text is the command line, without a shell prompt ("$ ") or a
	// trailing comment ("   # in your app folder").
	Text string
	// Line is the line of the Markdown file it is on.
	Line int
	// Inline tells an inline code span from a line of a code block.
	Inline bool
}

// commandParser parses the course's Markdown as Render does (GFM,
// admonitions, tabs), without resolving listings.
var commandParser = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList),
	goldmark.WithParserOptions(parser.WithBlockParsers(
		util.Prioritized(admonitionParser{}, 90),
		util.Prioritized(tabParser{}, 90),
	)),
).Parser()

// Commands returns every command line of src that runs program: each line
// of a code block (fenced or indented, also inside admonitions and tabs)
// and each inline code span whose text starts with program followed by a
// space or nothing. Listings are not looked into: they show the app's
// code, not commands.
func Commands(src []byte, program string) []Command {
	lineOf := func(offset int) int { return bytes.Count(src[:min(offset, len(src))], []byte("\n")) + 1 }
	runs := func(s string) bool {
		rest, ok := strings.CutPrefix(s, program)
		return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
	}
	var out []Command
	root := commandParser.Parse(text.NewReader(src))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
				if listing.IsListing(string(f.Info.Segment.Value(src))) {
					return ast.WalkSkipChildren, nil
				}
			}
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				line := commandLine(string(seg.Value(src)))
				if runs(line) {
					out = append(out, Command{Text: line, Line: lineOf(seg.Start)})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			var b strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			s := strings.TrimSpace(b.String())
			if runs(s) {
				line := 1
				if t, ok := n.FirstChild().(*ast.Text); ok {
					line = lineOf(t.Segment.Start)
				}
				out = append(out, Command{Text: s, Line: line, Inline: true})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// commandLine trims a code line to the command: no indentation, no shell
// prompt, no trailing comment.
func commandLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "$ ")
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
