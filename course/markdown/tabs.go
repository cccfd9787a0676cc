package markdown

import (
	"fmt"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Node kinds of content tabs.
var (
	KindTab    = ast.NewNodeKind("Tab")
	KindTabSet = ast.NewNodeKind("TabSet")
)

// Tab is one content tab, written as in MkDocs Material:
//
//	=== "Deutsch"
//	    Content, indented by four spaces.
//
// Consecutive tabs form one TabSet.
type Tab struct {
	ast.BaseBlock
	Title string
}

// Kind implements ast.Node.
func (n *Tab) Kind() ast.NodeKind { return KindTab }

// Dump implements ast.Node.
func (n *Tab) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Title": n.Title}, nil)
}

// TabSet holds consecutive tabs; the first is selected.
type TabSet struct {
	ast.BaseBlock
	// ID names the set's radio buttons, unique in the page.
	ID string
}

// Kind implements ast.Node.
func (n *TabSet) Kind() ast.NodeKind { return KindTabSet }

// Dump implements ast.Node.
func (n *TabSet) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

var tabLine = regexp.MustCompile(`^===\s+"((?:[^"\\]|\\.)*)"\s*$`)

type tabParser struct{}

func (tabParser) Trigger() []byte { return []byte{'='} }

func (tabParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	m := tabLine.FindSubmatch(util.TrimRightSpace(line))
	if m == nil {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Tab{Title: unescapeQuoted(string(m[1]))}, parser.HasChildren
}

func (tabParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return continueIndented(reader)
}

func (tabParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (tabParser) CanInterruptParagraph() bool                                { return true }
func (tabParser) CanAcceptIndentedLine() bool                                { return false }

// groupTabs wraps each run of consecutive Tab siblings in a TabSet.
func groupTabs(doc *ast.Document, st *state) {
	var tabs []*Tab
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*Tab); ok && entering {
			tabs = append(tabs, t)
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tabs {
		if _, grouped := t.Parent().(*TabSet); grouped {
			continue
		}
		st.tabSets++
		set := &TabSet{ID: fmt.Sprintf("%stabs-%d", st.idPrefix, st.tabSets)}
		parent := t.Parent()
		parent.InsertBefore(parent, t, set)
		for cur := ast.Node(t); cur != nil; {
			next := cur.NextSibling()
			if _, ok := cur.(*Tab); !ok {
				break
			}
			parent.RemoveChild(parent, cur)
			set.AppendChild(set, cur)
			cur = next
		}
	}
}

func (r *nodeRenderer) renderTabSet(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*TabSet)
	if !entering {
		_, _ = w.WriteString("</div>\n</div>\n")
		return ast.WalkContinue, nil
	}
	fmt.Fprintf(w, `<div class="tabbed-set" data-tabs="%d">`+"\n", n.ChildCount())
	i := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		i++
		checked := ""
		if i == 1 {
			checked = " checked"
		}
		id := fmt.Sprintf("%s-%d", n.ID, i)
		fmt.Fprintf(w, `<input type="radio" name="%s" id="%s"%s><label for="%s">%s</label>`+"\n",
			n.ID, id, checked, id, escape(c.(*Tab).Title))
	}
	_, _ = w.WriteString(`<div class="tabbed-content">` + "\n")
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderTab(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="tabbed-block">` + "\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}
