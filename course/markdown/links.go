package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Link is a link a page shows: its destination as written and its line.
type Link struct {
	Dest string
	Line int
}

// ExternalLinks returns every link of src that leaves the course: link and
// autolink destinations (also inside admonitions and tabs) that are not a
// picture, a step or a link into the course. Code (blocks, spans,
// listings) is not looked into.
func ExternalLinks(src []byte) []Link {
	lineOf := func(offset int) int { return bytes.Count(src[:min(offset, len(src))], []byte("\n")) + 1 }
	var out []Link
	root := commandParser.Parse(text.NewReader(src))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest string
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			dest = string(n.Destination)
		case *ast.AutoLink:
			dest = string(n.URL(src))
		default:
			return ast.WalkContinue, nil
		}
		if IsInternal(dest) || bytes.HasPrefix([]byte(dest), []byte(PicturesPrefix)) || bytes.HasPrefix([]byte(dest), []byte(StepScheme)) {
			return ast.WalkContinue, nil
		}
		out = append(out, Link{Dest: dest, Line: lineOf(linkStart(n))})
		return ast.WalkContinue, nil
	})
	return out
}

// linkStart finds an offset in the source for a link: its first text, or
// the block it is in.
func linkStart(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines() != nil && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
