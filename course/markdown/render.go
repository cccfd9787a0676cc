package markdown

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"synclab/course/listing"
)

// nodeRenderer writes the course's own nodes and highlights ordinary code
// blocks with chroma.
type nodeRenderer struct{ lang string }

// RegisterFuncs implements renderer.NodeRenderer.
func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAdmonition, r.renderAdmonition)
	reg.Register(KindTabSet, r.renderTabSet)
	reg.Register(KindTab, r.renderTab)
	reg.Register(KindListing, r.renderListing)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
}

func (r *nodeRenderer) renderListing(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(node.(*Listing).HTML + "\n")
	}
	return ast.WalkSkipChildren, nil
}

var codeFormatter = chtml.New(chtml.WithClasses(true))

// renderCode highlights a fenced code block (not a listing: those have no
// line numbers to show, e.g. a shell command) in the language its info
// string names.
func (r *nodeRenderer) renderCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	lang := string(n.Language(source))
	lexer := lexers.Get(lang)
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		_, _ = w.WriteString(`<pre class="chroma"><code>` + escape(code.String()) + "</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<div class="code" data-lang="` + escape(lang) + `">`)
	if err := codeFormatter.Format(w, styles.Get(listing.Style), it); err != nil {
		return ast.WalkStop, err
	}
	_, _ = w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}
