package markdown

import (
	"fmt"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindAdmonition is the node kind of an admonition.
var KindAdmonition = ast.NewNodeKind("Admonition")

// Admonition is a call-out box, written as in MkDocs Material:
//
//	!!! hint "Optional title"
//	    Content, indented by four spaces.
//
// Written with "???" instead of "!!!" it is folded: only its title shows
// until the reader opens it (an HTML details element, no script needed);
// "???+" starts it open.
//
//	??? tip "Lösung ansehen"
//	    Content, shown when the title is clicked.
type Admonition struct {
	ast.BaseBlock
	// Variant is note, hint, tip, warning, …
	Variant string
	// Title is the title given; HasTitle tells an empty title ("") from
	// none (the type's default title is used).
	Title    string
	HasTitle bool
	// Fold is FoldNone for a box, FoldClosed or FoldOpen for one that
	// folds.
	Fold Fold
}

// Fold says whether and how an admonition folds.
type Fold int

// The ways an admonition folds.
const (
	// FoldNone: "!!!", always open, cannot be folded.
	FoldNone Fold = iota
	// FoldClosed: "???", folded until clicked.
	FoldClosed
	// FoldOpen: "???+", open, can be folded.
	FoldOpen
)

// Kind implements ast.Node.
func (n *Admonition) Kind() ast.NodeKind { return KindAdmonition }

// Dump implements ast.Node.
func (n *Admonition) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Variant": n.Variant, "Title": n.Title, "Fold": fmt.Sprint(n.Fold)}, nil)
}

var admonitionLine = regexp.MustCompile(`^(!!!|\?\?\?\+?)\s+([A-Za-z][\w-]*)(?:\s+"((?:[^"\\]|\\.)*)")?\s*$`)

// admonitionParser opens an Admonition at "!!! type" ("??? type",
// "???+ type" for a folded one) and keeps every following line indented by
// four spaces (or blank) as its content.
type admonitionParser struct{}

func (admonitionParser) Trigger() []byte { return []byte{'!', '?'} }

func (admonitionParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	m := admonitionLine.FindSubmatch(util.TrimRightSpace(line))
	if m == nil {
		return nil, parser.NoChildren
	}
	n := &Admonition{Variant: string(m[2]), Title: unescapeQuoted(string(m[3])), HasTitle: m[3] != nil}
	switch string(m[1]) {
	case "???":
		n.Fold = FoldClosed
	case "???+":
		n.Fold = FoldOpen
	}
	reader.AdvanceToEOL()
	return n, parser.HasChildren
}

func (admonitionParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return continueIndented(reader)
}

// continueIndented keeps a block open over blank lines and lines indented
// by at least four spaces, consuming the indentation.
func continueIndented(reader text.Reader) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		reader.AdvanceToEOL()
		return parser.Continue | parser.HasChildren
	}
	indent, _ := util.IndentWidth(line, reader.LineOffset())
	if indent < 4 {
		return parser.Close
	}
	pos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

func (admonitionParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (admonitionParser) CanInterruptParagraph() bool                                { return true }
func (admonitionParser) CanAcceptIndentedLine() bool                                { return false }

func unescapeQuoted(s string) string {
	return regexp.MustCompile(`\\(.)`).ReplaceAllString(s, "$1")
}

// admonitionTitles are the default titles by type and language.
var admonitionTitles = map[string][2]string{
	"note":     {"Hinweis", "Note"},
	"hint":     {"Tipp", "Hint"},
	"tip":      {"Tipp", "Tip"},
	"info":     {"Info", "Info"},
	"warning":  {"Achtung", "Warning"},
	"danger":   {"Vorsicht", "Danger"},
	"example":  {"Beispiel", "Example"},
	"question": {"Frage", "Question"},
	"success":  {"Geschafft", "Success"},
}

func (r *nodeRenderer) renderAdmonition(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Admonition)
	if !entering {
		if n.Fold != FoldNone {
			_, _ = w.WriteString("</details>\n")
		} else {
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	}
	title := n.Title
	if !n.HasTitle {
		t, ok := admonitionTitles[n.Variant]
		switch {
		case !ok:
			title = n.Variant
		case r.lang == "en":
			title = t[1]
		default:
			title = t[0]
		}
	}
	if n.Fold != FoldNone {
		open := ""
		if n.Fold == FoldOpen {
			open = " open"
		}
		if title == "" {
			title = n.Variant
		}
		_, _ = w.WriteString(`<details class="admonition ` + escape(n.Variant) + `"` + open + ">\n")
		_, _ = w.WriteString(`<summary class="admonition-title">` + escape(title) + "</summary>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<div class="admonition ` + escape(n.Variant) + `">` + "\n")
	if title != "" {
		_, _ = w.WriteString(`<p class="admonition-title">` + escape(title) + "</p>\n")
	}
	return ast.WalkContinue, nil
}

var _ renderer.NodeRenderer = (*nodeRenderer)(nil)
