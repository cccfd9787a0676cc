// Package markdown renders the course's Markdown with goldmark: GFM
// (tables, …), admonitions ("!!! hint"), content tabs ("=== \"Deutsch\""),
// listings taken from the checkpoints (```listing step=07 file=sw.js
// region=…```), ordinary code highlighted by chroma, and pictures and links
// rewritten for the site. It also records an outline of each document
// (headings, listings, pictures, links) so that languages can be compared
// and every reference checked.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"synclab/course/listing"
)

// Options configure a Converter.
type Options struct {
	// Listings resolves listing blocks.
	Listings *listing.Library
	// Lang is "de" or "en": default admonition titles.
	Lang string
	// Slides renders listings with reveal.js step-through highlighting.
	Slides bool
	// PicturesURL replaces the "pictures/" prefix of image and link
	// destinations, e.g. "../pictures/".
	PicturesURL string
	// ChaptersURL is put before links to other chapters (NN-name.md
	// becomes ChaptersURL + NN-name.html).
	ChaptersURL string
	// StepURL returns the step browser's URL for a checkpoint (for the
	// listings' captions and "step:NN" links); nil means no links.
	StepURL func(step string) string
	// StepLabel names a checkpoint in captions (default "Checkpoint NN").
	StepLabel func(step string) string
}

// Converter turns course Markdown into HTML.
type Converter struct {
	o  Options
	md goldmark.Markdown
}

// New returns a converter.
func New(o Options) *Converter {
	c := &Converter{o: o}
	c.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithBlockParsers(
				util.Prioritized(admonitionParser{}, 90),
				util.Prioritized(tabParser{}, 90),
			),
			parser.WithASTTransformers(util.Prioritized(transformer{c}, 100)),
		),
		goldmark.WithRendererOptions(
			html.WithUnsafe(),
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{lang: o.Lang}, 100)),
		),
	)
	return c
}

// Document is a rendered Markdown file.
type Document struct {
	// Name is the file's name as given to Render (used in messages).
	Name string
	// Title is the text of the first level-1 heading.
	Title string
	HTML  template.HTML
	// Outline lists what the document holds, in order.
	Outline Outline
}

// Outline is what a document holds, for comparing languages and checking
// references.
type Outline struct {
	Headings []Heading
	Listings []ListingRef
	Pictures []Ref
	Links    []Ref
}

// Heading is a section heading.
type Heading struct {
	Level int
	Text  string
	ID    string
	Line  int
}

// ListingRef is a listing block.
type ListingRef struct {
	Spec listing.Spec
	// Changed are the line numbers the listing marks as changed.
	Changed []int
	Line    int
}

// Ref is a picture or link destination as written in the Markdown.
type Ref struct {
	Dest string
	Line int
}

// SourceError is a problem at a line of a Markdown file.
type SourceError struct {
	File string
	Line int
	Err  error
}

// Error says file:line: problem.
func (e *SourceError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the problem.
func (e *SourceError) Unwrap() error { return e.Err }

// RenderOptions are per-document settings.
type RenderOptions struct {
	// IDPrefix is put before every generated id (for several documents in
	// one page, as slides are).
	IDPrefix string
}

// Render converts one file. Every listing is resolved; all problems are
// returned together, each naming name and its line.
func (c *Converter) Render(name string, src []byte, ro ...RenderOptions) (*Document, error) {
	var opts RenderOptions
	if len(ro) > 0 {
		opts = ro[0]
	}
	st := &state{name: name, src: src, idPrefix: opts.IDPrefix, doc: &Document{Name: name}}
	pc := parser.NewContext(parser.WithIDs(newIDs(opts.IDPrefix)))
	pc.Set(stateKey, st)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	if err := c.md.Renderer().Render(&buf, src, root); err != nil {
		st.errs = append(st.errs, &SourceError{File: name, Line: 1, Err: err})
	}
	st.doc.HTML = template.HTML(buf.String())
	return st.doc, errors.Join(st.errs...)
}

var stateKey = parser.NewContextKey()

// state is what one Render call collects.
type state struct {
	name     string
	src      []byte
	idPrefix string
	doc      *Document
	errs     []error
	tabSets  int
}

func (s *state) fail(line int, err error) {
	s.errs = append(s.errs, &SourceError{File: s.name, Line: line, Err: err})
}

// lineOf returns the 1-based line of a byte offset in the source.
func (s *state) lineOf(offset int) int {
	return bytes.Count(s.src[:min(offset, len(s.src))], []byte("\n")) + 1
}

// nodeLine finds the source line of a node (of its nearest block with a
// position).
func (s *state) nodeLine(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
			return s.lineOf(f.Info.Segment.Start)
		}
		if n.Type() == ast.TypeBlock {
			if lines := n.Lines(); lines != nil && lines.Len() > 0 {
				return s.lineOf(lines.At(0).Start)
			}
		}
		if h, ok := n.(*ast.Heading); ok && h.Lines().Len() > 0 {
			return s.lineOf(h.Lines().At(0).Start)
		}
	}
	return 1
}

// plainText returns the text of a node's inline children.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func escape(s string) string { return template.HTMLEscapeString(s) }
