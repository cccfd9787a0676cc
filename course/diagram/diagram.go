// Package diagram draws sequence diagrams as SVG from a small declarative
// description: lanes (page, IndexedDB, service worker, backend) and rows
// (messages, answers, actions, dividers). Labels are bilingual: German
// first, English beneath, so one picture serves both languages.
package diagram

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"synclab/lang"
)

// Text is a label in German and English (the module's one bilingual text);
// an empty EN repeats nothing (code-like labels read the same in both).
type Text = lang.Text

// Lane is a participant.
type Lane struct {
	ID    string
	Label Text
}

// Kind is what a row draws.
type Kind int

// The kinds of rows.
const (
	// Message is an arrow from one lane to another.
	Message Kind = iota
	// Reply is a dashed arrow back.
	Reply
	// Failed is an arrow that does not arrive (a red cross at its end).
	Failed
	// Action is a box on one lane: something a participant does.
	Action
	// Divider is a band across all lanes: time passes, the network
	// changes.
	Divider
	// Close ends a lane: from here on it is inactive (a closed tab).
	Close
)

// Row is one step of the sequence.
type Row struct {
	Kind     Kind
	From, To string
	Label    Text
	// Warn draws an action in the colour of a failure.
	Warn bool
}

// Diagram is a whole sequence.
type Diagram struct {
	Title Text
	Lanes []Lane
	Rows  []Row
}

// Layout in pixels.
const (
	laneWidth = 240
	margin    = 20
	titleH    = 62
	headH     = 50
	rowH      = 44
	biRowH    = 58
	fontSize  = 13
	charW     = 7.0 // average width of a character at fontSize, for boxes
)

// SVG draws the diagram. The output depends only on the description.
func (d Diagram) SVG() ([]byte, error) {
	x := map[string]float64{}
	for i, l := range d.Lanes {
		x[l.ID] = margin + float64(i)*laneWidth + laneWidth/2
	}
	for i, r := range d.Rows {
		for _, id := range []string{r.From, r.To} {
			if _, ok := x[id]; id != "" && !ok {
				return nil, fmt.Errorf("row %d names lane %q, which the diagram does not have", i+1, id)
			}
		}
		if (r.Kind == Message || r.Kind == Reply || r.Kind == Failed) && (r.From == "" || r.To == "" || r.From == r.To) {
			return nil, fmt.Errorf("row %d: an arrow needs two different lanes", i+1)
		}
		if (r.Kind == Action || r.Kind == Close) && r.From == "" {
			return nil, fmt.Errorf("row %d: an action needs its lane (From)", i+1)
		}
	}
	width := 2*margin + float64(len(d.Lanes))*laneWidth
	// Rows first, to know the height.
	var body bytes.Buffer
	y := float64(titleH + headH + 16)
	closedAt := map[string]float64{}
	for _, r := range d.Rows {
		h := float64(rowH)
		if r.Label.EN != "" && r.Label.EN != r.Label.DE {
			h = biRowH
		}
		switch r.Kind {
		case Message, Reply, Failed:
			d.arrow(&body, r, x[r.From], x[r.To], y, h)
		case Action:
			d.action(&body, r, x[r.From], y, h, width)
		case Divider:
			fmt.Fprintf(&body, `<rect x="%g" y="%g" width="%g" height="%g" rx="4" class="divider"/>`+"\n", float64(margin), y+6, width-2*margin, h-12)
			label(&body, width/2, y+h/2, r.Label, "divider-text")
		case Close:
			closedAt[r.From] = y + h/2
			cx, cy := x[r.From], y+h/2
			fmt.Fprintf(&body, `<path d="M%g %gl12 12M%g %gl-12 12" class="cross"/>`+"\n", cx-6, cy-6, cx+6, cy-6)
			label(&body, cx+18, cy, r.Label, "note start")
		}
		y += h
	}
	height := y + 16
	var out bytes.Buffer
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`+"\n",
		width, height, width, height, html.EscapeString(d.Title.DE+" / "+d.Title.EN))
	out.WriteString(style)
	fmt.Fprintf(&out, `<rect width="%g" height="%g" class="bg"/>`+"\n", width, height)
	label(&out, width/2, 26, d.Title, "title")
	for _, l := range d.Lanes {
		cx := x[l.ID]
		top := float64(titleH + headH)
		end, closed := closedAt[l.ID]
		if !closed {
			end = height - 12
		}
		fmt.Fprintf(&out, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="life"/>`+"\n", cx, top, cx, end)
		if closed {
			fmt.Fprintf(&out, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="life closed"/>`+"\n", cx, end, cx, height-12)
		}
		fmt.Fprintf(&out, `<rect x="%g" y="%d" width="%d" height="%d" rx="6" class="head"/>`+"\n", cx-laneWidth/2+14, titleH, laneWidth-28, headH-8)
		label(&out, cx, float64(titleH)+(headH-8)/2, l.Label, "head-text")
	}
	out.Write(body.Bytes())
	out.WriteString("</svg>\n")
	return out.Bytes(), nil
}

func (d Diagram) arrow(w *bytes.Buffer, r Row, x1, x2, y, h float64) {
	ly := y + h - 12
	dir := 1.0
	if x2 < x1 {
		dir = -1
	}
	class := "msg"
	if r.Kind == Reply {
		class = "msg reply"
	}
	end := x2 - dir*4
	if r.Kind == Failed {
		class = "msg failed"
		end = x2 - dir*40
	}
	fmt.Fprintf(w, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="%s"/>`+"\n", x1, ly, end, ly, class)
	if r.Kind == Failed {
		fmt.Fprintf(w, `<path d="M%g %gl10 10M%g %gl-10 10" class="cross"/>`+"\n", end-5, ly-5, end+5, ly-5)
	} else {
		fmt.Fprintf(w, `<path d="M%g %gl%g -5v10z" class="%s"/>`+"\n", x2, ly, -dir*10, "head-"+strings.Fields(class)[len(strings.Fields(class))-1])
	}
	label(w, (x1+x2)/2, ly-h/2+8, r.Label, "msg-text")
}

func (d Diagram) action(w *bytes.Buffer, r Row, cx, y, h, width float64) {
	chars := max(len([]rune(r.Label.DE)), len([]rune(r.Label.EN)))
	bw := min(float64(chars)*charW+24, laneWidth*2-40)
	// Keep the box inside the picture.
	cx = max(min(cx, width-margin-bw/2), margin+bw/2)
	class := "action"
	if r.Warn {
		class = "action warn"
	}
	fmt.Fprintf(w, `<rect x="%g" y="%g" width="%g" height="%g" rx="5" class="%s"/>`+"\n", cx-bw/2, y+5, bw, h-10, class)
	label(w, cx, y+h/2, r.Label, "action-text")
}

// label writes a bilingual label centred at (x, y): German, and English
// beneath when it differs.
func label(w *bytes.Buffer, x, y float64, t Text, class string) {
	anchor := "middle"
	if strings.HasSuffix(class, " start") {
		anchor, class = "start", strings.TrimSuffix(class, " start")
	}
	if t.EN == "" || t.EN == t.DE {
		fmt.Fprintf(w, `<text x="%g" y="%g" text-anchor="%s" class="%s">%s</text>`+"\n", x, y+fontSize/2-1, anchor, class, html.EscapeString(t.DE))
		return
	}
	fmt.Fprintf(w, `<text x="%g" y="%g" text-anchor="%s" class="%s">%s</text>`+"\n", x, y-2, anchor, class, html.EscapeString(t.DE))
	fmt.Fprintf(w, `<text x="%g" y="%g" text-anchor="%s" class="%s en" lang="en">%s</text>`+"\n", x, y+fontSize, anchor, class, html.EscapeString(t.EN))
}

// textStyle is the part of the style both kinds of diagram share: the
// fonts, the English line beneath each German one, the title.
const textStyle = `text { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 13px; fill: #1d2430; }
text.en { fill: #5c6675; font-style: italic; font-size: 12px; }
.bg { fill: #ffffff; }
.title { font-size: 16px; font-weight: bold; }
.title.en { font-size: 14px; font-weight: normal; }
`

const style = "<style>\n" + textStyle + `.head { fill: #00796b; }
.head-text { fill: #ffffff; font-weight: bold; }
.head-text.en { fill: #e0f2f1; font-weight: normal; }
.life { stroke: #9aa5b1; stroke-width: 1.5; stroke-dasharray: 6 4; }
.life.closed { stroke: #d5dae1; stroke-dasharray: 2 6; }
.msg { stroke: #1d2430; stroke-width: 1.6; }
.msg.reply { stroke: #00796b; stroke-dasharray: 6 4; }
.msg.failed { stroke: #cf222e; stroke-dasharray: 6 4; }
.head-msg { fill: #1d2430; } .head-reply { fill: #00796b; }
.msg-text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.msg-text.en { font-family: "DejaVu Sans", Arial, sans-serif; }
.action { fill: #e0f2f1; stroke: #00796b; }
.action.warn { fill: #ffebe9; stroke: #cf222e; }
.divider { fill: #fff5c2; stroke: #f2b600; }
.divider-text { font-weight: bold; }
.cross { stroke: #cf222e; stroke-width: 3; fill: none; }
</style>
`
