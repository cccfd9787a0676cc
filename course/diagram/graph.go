package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"math"
	"strings"
)

// Picture is anything that draws itself as SVG: a sequence Diagram or a
// Graph of boxes.
type Picture interface {
	SVG() ([]byte, error)
}

// Graph is the second layout next to the sequence diagrams: boxes on a
// grid, joined by labelled arrows, optionally framed in groups. It draws
// states (of a sync registration) and data (stores, collections). Texts
// are bilingual like the sequence diagrams': German, English beneath.
// Text that reads the same in both languages counts as code and is set in
// a monospaced font. A newline in a text breaks the line.
type Graph struct {
	Title Text
	// Cols and Rows are the widths and heights of the grid's cells in
	// pixels.
	Cols, Rows []float64
	Boxes      []Box
	Arrows     []Arrow
	Frames     []Frame
}

// Style is how a box looks.
type Style int

// The styles of boxes.
const (
	// State is a state or a step.
	State Style = iota
	// Actor is a participant (page, worker, backend), drawn like a lane's
	// head in the sequence diagrams.
	Actor
	// Good is an end that is fine.
	Good
	// Bad is a failure.
	Bad
	// Data is a store or collection: its title above a rule, its fields
	// beneath, left-aligned.
	Data
)

// Box is a box on the grid: in cell (Col, Row), spanning ColSpan columns
// and RowSpan rows (0 means 1).
type Box struct {
	ID               string
	Col, Row         int
	ColSpan, RowSpan int
	Title            Text
	Lines            []Text
	Style            Style
	// Fill widens the box to its cells (less a gap) instead of its text.
	Fill bool
}

// Cell names the centre of a grid cell, a point an arrow passes.
type Cell struct{ Col, Row int }

// Arrow joins two boxes. Between boxes that face each other it runs
// straight (horizontally or vertically); otherwise from centre to centre,
// or through the centres of the Via cells.
type Arrow struct {
	From, To string
	// Code is a code label (monospaced), Label the words beneath it.
	Code  string
	Label Text
	Via   []Cell
	// Both draws a head at both ends (a read and a write).
	Both bool
	// Dashed is for what happens later, Warn for a failure.
	Dashed, Warn bool
}

// Frame draws a dashed group around boxes, labelled at its top left.
type Frame struct {
	Label Text
	Boxes []string
	// Pad is the room between the boxes and the frame (12 if zero).
	Pad float64
}

// Layout of graphs, in pixels.
const (
	graphMargin = 20
	graphTitleH = 72
	lineH       = 16
	boxPad      = 10
	boxGap      = 12 // the least room between a box and its cells' edges
	chipLineH   = 15
)

// Estimated advance per character of each kind of text, generous for
// DejaVu Sans, the widest font of the style's list.
const (
	wTitle   = 8.0 // bold, 13px
	wText    = 7.3 // 13px
	wEN      = 6.8 // italic, 12px
	wCode    = 7.4 // monospaced, 12px
	wChip    = 7.0 // 12px
	wChipEN  = 6.6 // italic, 11.5px
	textRise = 4.5 // from a line's middle to its baseline
)

type rect struct{ x1, y1, x2, y2 float64 }

func (r rect) cx() float64 { return (r.x1 + r.x2) / 2 }
func (r rect) cy() float64 { return (r.y1 + r.y2) / 2 }

func (r rect) overlaps(o rect) bool {
	return r.x1 < o.x2 && o.x1 < r.x2 && r.y1 < o.y2 && o.y1 < r.y2
}

func (r rect) inset(d float64) rect { return rect{r.x1 + d, r.y1 + d, r.x2 - d, r.y2 - d} }

type point struct{ x, y float64 }

// line is one line of text in a box or a chip.
type line struct {
	text  string
	class string
	w     float64 // estimated width
}

func lines(s, class string, perChar float64) []line {
	var out []line
	for _, l := range strings.Split(s, "\n") {
		out = append(out, line{l, class, float64(len([]rune(l))) * perChar})
	}
	return out
}

// bilingual splits a text into its lines: the German ones, then the
// English ones when they differ; a text that reads the same is code.
func bilingual(t Text, de, en, code string, wDE, wENx float64) []line {
	if t.EN == "" || t.EN == t.DE {
		return lines(t.DE, code, wCode)
	}
	return append(lines(t.DE, de, wDE), lines(t.EN, en, wENx)...)
}

func widest(ls []line) float64 {
	w := 0.0
	for _, l := range ls {
		w = max(w, l.w)
	}
	return w
}

// placed is a box with its rectangle and its text.
type placed struct {
	Box
	r            rect
	title, lines []line
}

// SVG draws the graph. It fails when the description names a box it does
// not have, or when the drawing would not be readable: a text wider than
// its cells, boxes that overlap, an arrow through a box that is not its
// end, or an arrow's label over a box or another label.
func (g Graph) SVG() ([]byte, error) {
	if len(g.Cols) == 0 || len(g.Rows) == 0 {
		return nil, errors.New("a graph needs columns and rows")
	}
	colX := edges(graphMargin, g.Cols)
	rowY := edges(graphTitleH, g.Rows)
	width := colX[len(colX)-1] + graphMargin
	height := rowY[len(rowY)-1] + graphMargin

	boxes := map[string]*placed{}
	var order []*placed
	for _, b := range g.Boxes {
		p, err := place(b, colX, rowY)
		if err != nil {
			return nil, err
		}
		if _, dup := boxes[b.ID]; dup {
			return nil, fmt.Errorf("two boxes are called %q", b.ID)
		}
		for _, o := range order {
			if p.r.overlaps(o.r) {
				return nil, fmt.Errorf("boxes %q and %q overlap", o.ID, b.ID)
			}
		}
		boxes[b.ID] = p
		order = append(order, p)
	}

	var body bytes.Buffer
	// Frames first, beneath everything else.
	for i, f := range g.Frames {
		if err := drawFrame(&body, f, boxes); err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
	}
	for _, p := range order {
		drawBox(&body, p)
	}
	var chips []rect
	var chipSVG bytes.Buffer
	for i, a := range g.Arrows {
		from, to := boxes[a.From], boxes[a.To]
		switch {
		case from == nil || to == nil:
			return nil, fmt.Errorf("arrow %d joins %q and %q, but the graph has no box %q", i+1, a.From, a.To, missing(boxes, a.From, a.To))
		case a.From == a.To:
			return nil, fmt.Errorf("arrow %d starts and ends at %q", i+1, a.From)
		}
		var via []point
		for _, c := range a.Via {
			if c.Col < 0 || c.Col >= len(g.Cols) || c.Row < 0 || c.Row >= len(g.Rows) {
				return nil, fmt.Errorf("arrow %d (%s → %s) passes cell %v outside the grid", i+1, a.From, a.To, c)
			}
			via = append(via, point{(colX[c.Col] + colX[c.Col+1]) / 2, (rowY[c.Row] + rowY[c.Row+1]) / 2})
		}
		pts := route(from.r, to.r, via)
		for _, p := range order {
			if p == from || p == to {
				continue
			}
			for k := 1; k < len(pts); k++ {
				if crosses(pts[k-1], pts[k], p.r.inset(-2)) {
					return nil, fmt.Errorf("arrow %s → %s crosses box %q", a.From, a.To, p.ID)
				}
			}
		}
		drawArrow(&body, a, pts)
		chip, ok := drawChip(&chipSVG, a, pts)
		if !ok {
			continue
		}
		for _, p := range order {
			if chip.overlaps(p.r) {
				return nil, fmt.Errorf("the label of arrow %s → %s lies over box %q", a.From, a.To, p.ID)
			}
		}
		for _, c := range chips {
			if chip.overlaps(c) {
				return nil, fmt.Errorf("the label of arrow %s → %s lies over another arrow's label", a.From, a.To)
			}
		}
		chips = append(chips, chip)
	}
	// Labels last, above every line.
	body.Write(chipSVG.Bytes())

	var out bytes.Buffer
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`+"\n",
		width, height, width, height, html.EscapeString(g.Title.DE+" / "+g.Title.EN))
	out.WriteString(graphStyle)
	fmt.Fprintf(&out, `<rect width="%g" height="%g" class="bg"/>`+"\n", width, height)
	out.WriteString(markers)
	label(&out, width/2, 26, g.Title, "title")
	out.Write(body.Bytes())
	out.WriteString("</svg>\n")
	return out.Bytes(), nil
}

func missing(boxes map[string]*placed, ids ...string) string {
	for _, id := range ids {
		if boxes[id] == nil {
			return id
		}
	}
	return ""
}

// edges returns the positions of the grid lines, starting at start.
func edges(start float64, sizes []float64) []float64 {
	out := []float64{start}
	for _, s := range sizes {
		out = append(out, out[len(out)-1]+s)
	}
	return out
}

func place(b Box, colX, rowY []float64) (*placed, error) {
	cs, rs := max(b.ColSpan, 1), max(b.RowSpan, 1)
	if b.Col < 0 || b.Row < 0 || b.Col+cs >= len(colX) || b.Row+rs >= len(rowY) {
		return nil, fmt.Errorf("box %q lies outside the grid", b.ID)
	}
	p := &placed{Box: b}
	// A title is bold, also when it reads the same in both languages.
	p.title = bilingual(b.Title, "box-title", "box-title en", "box-title", wTitle, wEN)
	for i := range p.title {
		if p.title[i].class == "box-title" {
			p.title[i].w = float64(len([]rune(p.title[i].text))) * wTitle
		}
	}
	for _, t := range b.Lines {
		p.lines = append(p.lines, bilingual(t, "box-text", "box-text en", "box-code", wText, wEN)...)
	}
	cellW := colX[b.Col+cs] - colX[b.Col]
	room := cellW - 2*boxGap
	w := max(widest(p.title), widest(p.lines)) + 2*boxPad + 4
	if w > room {
		return nil, fmt.Errorf("box %q: its text needs %.0fpx, its cells leave %.0fpx", b.ID, w, room)
	}
	w = max(w, min(140, room))
	if b.Fill {
		w = room
	}
	h := float64(len(p.title)+len(p.lines))*lineH + 2*boxPad
	if b.Style == Data && len(p.lines) > 0 {
		h += 8 // the rule under the title
	}
	top, bottom := rowY[b.Row], rowY[b.Row+rs]
	if rs > 1 {
		// A box over several rows reaches from its first row's middle to its
		// last row's, and a little beyond, so that arrows meet it straight.
		first := (rowY[b.Row] + rowY[b.Row+1]) / 2
		last := (rowY[b.Row+rs-1] + rowY[b.Row+rs]) / 2
		h = max(h, last-first+60)
	}
	if h > bottom-top-boxGap {
		return nil, fmt.Errorf("box %q: its text needs %.0fpx of height, its cells leave %.0fpx", b.ID, h, bottom-top-boxGap)
	}
	cx, cy := (colX[b.Col]+colX[b.Col+cs])/2, (top+bottom)/2
	p.r = rect{cx - w/2, cy - h/2, cx + w/2, cy + h/2}
	return p, nil
}

func drawBox(w *bytes.Buffer, p *placed) {
	class := [...]string{State: "box", Actor: "box actor", Good: "box good", Bad: "box bad", Data: "box data"}[p.Style]
	r := p.r
	fmt.Fprintf(w, `<rect x="%g" y="%g" width="%g" height="%g" rx="6" class="%s"/>`+"\n", r.x1, r.y1, r.x2-r.x1, r.y2-r.y1, class)
	n := len(p.title) + len(p.lines)
	contentH := float64(n) * lineH
	if p.Style == Data && len(p.lines) > 0 {
		contentH += 8
	}
	y := r.cy() - contentH/2 + lineH/2
	for _, l := range p.title {
		text(w, r.cx(), y, "middle", l, p.Style == Actor)
		y += lineH
	}
	x, anchor := r.cx(), "middle"
	if p.Style == Data && len(p.lines) > 0 {
		fmt.Fprintf(w, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="rule"/>`+"\n", r.x1, y-lineH/2+4, r.x2, y-lineH/2+4)
		y += 8
		x, anchor = r.x1+boxPad+2, "start"
	}
	for _, l := range p.lines {
		text(w, x, y, anchor, l, p.Style == Actor)
		y += lineH
	}
}

func text(w *bytes.Buffer, x, y float64, anchor string, l line, onDark bool) {
	class := l.class
	if onDark {
		class += " on-dark"
	}
	lang := ""
	if strings.HasSuffix(l.class, " en") {
		lang = ` lang="en"`
	}
	fmt.Fprintf(w, `<text x="%g" y="%g" text-anchor="%s" class="%s"%s>%s</text>`+"\n", round(x), round(y+textRise), anchor, class, lang, html.EscapeString(l.text))
}

func round(v float64) float64 { return math.Round(v*10) / 10 }

func drawFrame(w *bytes.Buffer, f Frame, boxes map[string]*placed) error {
	if len(f.Boxes) == 0 {
		return errors.New("it frames no box")
	}
	pad := f.Pad
	if pad == 0 {
		pad = 12
	}
	var r rect
	for i, id := range f.Boxes {
		p := boxes[id]
		if p == nil {
			return fmt.Errorf("it frames %q, which the graph does not have", id)
		}
		if i == 0 {
			r = p.r
			continue
		}
		r = rect{min(r.x1, p.r.x1), min(r.y1, p.r.y1), max(r.x2, p.r.x2), max(r.y2, p.r.y2)}
	}
	ls := bilingual(f.Label, "frame-text", "frame-text en", "frame-text", wTitle, wEN)
	r = rect{r.x1 - pad, r.y1 - pad - float64(len(ls))*lineH - 4, r.x2 + pad, r.y2 + pad}
	fmt.Fprintf(w, `<rect x="%g" y="%g" width="%g" height="%g" rx="10" class="frame"/>`+"\n", r.x1, r.y1, r.x2-r.x1, r.y2-r.y1)
	y := r.y1 + 4 + lineH/2
	for _, l := range ls {
		text(w, r.x1+10, y, "start", l, false)
		y += lineH
	}
	return nil
}

// route returns the points of an arrow from box a to box b.
func route(a, b rect, via []point) []point {
	if len(via) > 0 {
		pts := []point{clip(a, via[0])}
		pts = append(pts, via...)
		return append(pts, clip(b, via[len(via)-1]))
	}
	const slack = 12 // boxes must face each other by this much
	if lo, hi := max(a.x1, b.x1), min(a.x2, b.x2); hi-lo >= slack {
		x := facing(a.cx(), a.x2-a.x1, b.cx(), b.x2-b.x1, lo, hi)
		if a.cy() < b.cy() {
			return []point{{x, a.y2}, {x, b.y1}}
		}
		return []point{{x, a.y1}, {x, b.y2}}
	}
	if lo, hi := max(a.y1, b.y1), min(a.y2, b.y2); hi-lo >= slack {
		y := facing(a.cy(), a.y2-a.y1, b.cy(), b.y2-b.y1, lo, hi)
		if a.cx() < b.cx() {
			return []point{{a.x2, y}, {b.x1, y}}
		}
		return []point{{a.x1, y}, {b.x2, y}}
	}
	return []point{clip(a, point{b.cx(), b.cy()}), clip(b, point{a.cx(), a.cy()})}
}

// facing picks where a straight arrow runs within the span [lo, hi] both
// boxes share: through the centre of the smaller box (size sa or sb along
// that axis), else of the other, else the span's middle.
func facing(ca, sa, cb, sb, lo, hi float64) float64 {
	if sb < sa {
		ca, cb = cb, ca
	}
	switch {
	case ca > lo && ca < hi:
		return ca
	case cb > lo && cb < hi:
		return cb
	}
	return (lo + hi) / 2
}

// clip returns where the line from r's centre towards p leaves r.
func clip(r rect, p point) point {
	cx, cy := r.cx(), r.cy()
	dx, dy := p.x-cx, p.y-cy
	t := math.Inf(1)
	if dx != 0 {
		t = min(t, (r.x2-r.x1)/2/math.Abs(dx))
	}
	if dy != 0 {
		t = min(t, (r.y2-r.y1)/2/math.Abs(dy))
	}
	if math.IsInf(t, 1) {
		return p
	}
	return point{cx + dx*t, cy + dy*t}
}

// crosses reports whether the segment p–q passes through r
// (Liang–Barsky).
func crosses(p, q point, r rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := q.x-p.x, q.y-p.y
	for _, c := range [4][2]float64{{-dx, p.x - r.x1}, {dx, r.x2 - p.x}, {-dy, p.y - r.y1}, {dy, r.y2 - p.y}} {
		pp, qq := c[0], c[1]
		if pp == 0 {
			if qq < 0 {
				return false
			}
			continue
		}
		t := qq / pp
		if pp < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

func drawArrow(w *bytes.Buffer, a Arrow, pts []point) {
	class := "arrow"
	switch {
	case a.Warn:
		class += " warn"
	case a.Dashed:
		class += " later"
	}
	if a.Dashed {
		class += " dashed"
	}
	marker := "url(#head)"
	switch {
	case a.Warn:
		marker = "url(#head-warn)"
	case a.Dashed:
		marker = "url(#head-later)"
	}
	var d strings.Builder
	for i, p := range pts {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&d, "%s%g %g", cmd, round(p.x), round(p.y))
	}
	start := ""
	if a.Both {
		start = fmt.Sprintf(` marker-start="%s"`, marker)
	}
	fmt.Fprintf(w, `<path d="%s" class="%s" marker-end="%s"%s/>`+"\n", d.String(), class, marker, start)
}

// drawChip writes an arrow's label on a white ground in the middle of its
// longest segment and returns the ground's rectangle.
func drawChip(w *bytes.Buffer, a Arrow, pts []point) (rect, bool) {
	var ls []line
	if a.Code != "" {
		ls = lines(a.Code, "chip-code", wCode)
	}
	if a.Label.DE != "" {
		ls = append(ls, bilingual(a.Label, "chip-text", "chip-text en", "chip-code", wChip, wChipEN)...)
	}
	if len(ls) == 0 {
		return rect{}, false
	}
	best, at := -1.0, point{}
	for k := 1; k < len(pts); k++ {
		if l := math.Hypot(pts[k].x-pts[k-1].x, pts[k].y-pts[k-1].y); l > best {
			best, at = l, point{(pts[k].x + pts[k-1].x) / 2, (pts[k].y + pts[k-1].y) / 2}
		}
	}
	cw := widest(ls) + 12
	ch := float64(len(ls))*chipLineH + 6
	r := rect{at.x - cw/2, at.y - ch/2, at.x + cw/2, at.y + ch/2}
	fmt.Fprintf(w, `<rect x="%g" y="%g" width="%g" height="%g" rx="4" class="chip"/>`+"\n", round(r.x1), round(r.y1), round(cw), round(ch))
	y := r.y1 + 3 + chipLineH/2
	for _, l := range ls {
		lang := ""
		if strings.HasSuffix(l.class, " en") {
			lang = ` lang="en"`
		}
		fmt.Fprintf(w, `<text x="%g" y="%g" text-anchor="middle" class="%s"%s>%s</text>`+"\n", round(at.x), round(y+4), l.class, lang, html.EscapeString(l.text))
		y += chipLineH
	}
	return r, true
}

const markers = `<defs>
<marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head"/></marker>
<marker id="head-warn" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head warn"/></marker>
<marker id="head-later" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head later"/></marker>
</defs>
`

const graphStyle = "<style>\n" + textStyle + `.box { fill: #e0f2f1; stroke: #00796b; stroke-width: 1.2; }
.box.actor { fill: #00796b; }
.box.good { fill: #e6f4ea; stroke: #1a7f37; }
.box.bad { fill: #ffebe9; stroke: #cf222e; }
.box.data { fill: #ffffff; stroke: #00796b; }
.rule { stroke: #00796b; stroke-width: 1; }
.box-title { font-weight: bold; }
.box-title.en { font-weight: normal; }
.box-code, .chip-code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.on-dark { fill: #ffffff; }
text.en.on-dark { fill: #e0f2f1; }
.frame { fill: #f6f8fa; stroke: #9aa5b1; stroke-width: 1.2; stroke-dasharray: 6 4; }
.frame-text { font-weight: bold; fill: #3d4756; }
.arrow { fill: none; stroke: #1d2430; stroke-width: 1.6; }
.arrow.warn { stroke: #cf222e; }
.arrow.later { stroke: #00796b; }
.arrow.dashed { stroke-dasharray: 6 4; }
.head { fill: #1d2430; }
.head.warn { fill: #cf222e; }
.head.later { fill: #00796b; }
.chip { fill: #ffffff; fill-opacity: 0.94; }
.chip-text { font-size: 12px; }
.chip-text.en { font-size: 11.5px; }
</style>
`
