package markdown

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"synclab/course/listing"
)

// KindListing is the node kind of a resolved listing.
var KindListing = ast.NewNodeKind("Listing")

// Listing is a listing block after it was resolved: ready HTML.
type Listing struct {
	ast.BaseBlock
	HTML string
}

// Kind implements ast.Node.
func (n *Listing) Kind() ast.NodeKind { return KindListing }

// Dump implements ast.Node.
func (n *Listing) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// PicturesPrefix starts the destination of every course picture.
const PicturesPrefix = "pictures/"

// StepScheme starts a link to a checkpoint's page in the step browser,
// e.g. [checkpoint 07](step:07).
const StepScheme = "step:"

// transformer resolves listings, groups tabs, rewrites destinations and
// fills the outline.
type transformer struct{ c *Converter }

// Transform implements parser.ASTTransformer.
func (t transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := pc.Get(stateKey).(*state)
	groupTabs(doc, st)
	var fenced []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			t.heading(n, st)
		case *ast.FencedCodeBlock:
			if n.Info != nil && listing.IsListing(string(n.Info.Segment.Value(st.src))) {
				fenced = append(fenced, n)
			}
		case *ast.Image:
			n.Destination = t.destination(n, n.Destination, st, &st.doc.Outline.Pictures)
		case *ast.Link:
			n.Destination = t.destination(n, n.Destination, st, &st.doc.Outline.Links)
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fenced {
		t.listing(f, st)
	}
}

func (t transformer) heading(n *ast.Heading, st *state) {
	h := Heading{Level: n.Level, Text: plainText(n, st.src), Line: st.nodeLine(n)}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			h.ID = string(b)
		}
	}
	if n.Level == 1 && st.doc.Title == "" {
		st.doc.Title = h.Text
	}
	st.doc.Outline.Headings = append(st.doc.Outline.Headings, h)
}

// listing resolves a listing block into a Listing node.
func (t transformer) listing(f *ast.FencedCodeBlock, st *state) {
	line := st.nodeLine(f)
	info := string(f.Info.Segment.Value(st.src))
	if f.Lines().Len() > 0 {
		st.fail(line, fmt.Errorf("a listing block must be empty (the code comes from the checkpoint), this one holds %d line(s)", f.Lines().Len()))
	}
	spec, err := listing.ParseSpec(info)
	if err != nil {
		st.fail(line, fmt.Errorf("%s: %w", info, err))
		return
	}
	node := &Listing{}
	if t.c.o.Listings == nil {
		st.fail(line, fmt.Errorf("%s: no checkpoints to take listings from", info))
	} else if l, err := t.c.o.Listings.Load(spec); err != nil {
		st.fail(line, fmt.Errorf("listing %s: %w", spec, err))
	} else {
		ho := listing.HTMLOptions{Steps: t.c.o.Slides}
		if t.c.o.StepURL != nil {
			ho.StepURL = t.c.o.StepURL(spec.Step)
		}
		if t.c.o.StepLabel != nil {
			ho.StepLabel = t.c.o.StepLabel(spec.Step)
		}
		node.HTML = string(l.HTML(ho))
		st.doc.Outline.Listings = append(st.doc.Outline.Listings, ListingRef{Spec: spec, Changed: l.Changed(), Line: line})
	}
	f.Parent().ReplaceChild(f.Parent(), f, node)
}

// destination records a picture or link and returns where it points in
// the site.
func (t transformer) destination(n ast.Node, dest []byte, st *state, into *[]Ref) []byte {
	d := string(dest)
	*into = append(*into, Ref{Dest: d, Line: st.nodeLine(n)})
	switch {
	case strings.HasPrefix(d, PicturesPrefix):
		return []byte(t.c.o.PicturesURL + strings.TrimPrefix(d, PicturesPrefix))
	case strings.HasPrefix(d, StepScheme):
		if t.c.o.StepURL != nil {
			return []byte(t.c.o.StepURL(strings.TrimPrefix(d, StepScheme)))
		}
	case IsInternal(d):
		p, frag, _ := strings.Cut(d, "#")
		if strings.HasSuffix(p, ".md") {
			p = t.c.o.ChaptersURL + strings.TrimSuffix(p, ".md") + ".html"
		}
		if frag != "" {
			// Anchors may be written as the heading reads ("#über-uns").
			if f, err := url.PathUnescape(frag); err == nil {
				frag = Slug(f)
			}
			return []byte(p + "#" + frag)
		}
		return []byte(p)
	}
	return dest
}

// IsInternal reports whether a destination points into the course (not
// to another site, not a picture, not a step).
func IsInternal(d string) bool {
	if strings.HasPrefix(d, PicturesPrefix) || strings.HasPrefix(d, StepScheme) {
		return false
	}
	u, err := url.Parse(d)
	return err == nil && u.Scheme == "" && u.Host == "" && !path.IsAbs(u.Path)
}
