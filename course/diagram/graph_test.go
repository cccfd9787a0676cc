package diagram

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// svgText is what a drawn picture says: the content of its text elements,
// German (no lang attribute) and English (lang="en") apart.
type svgText struct {
	root   string
	de, en []string
}

// readSVG decodes the whole document with encoding/xml, failing on
// anything that is not well-formed, and collects its texts.
func readSVG(svg []byte) (svgText, error) {
	var out svgText
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	var inText, english bool
	var cur strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if out.root == "" {
				out.root = t.Name.Local
			}
			if t.Name.Local == "text" {
				inText, english = true, false
				cur.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "lang" && a.Value == "en" {
						english = true
					}
				}
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "text" {
				inText = false
				if english {
					out.en = append(out.en, cur.String())
				} else {
					out.de = append(out.de, cur.String())
				}
			}
		}
	}
	return out, nil
}

func (s svgText) all() string {
	return strings.Join(s.de, "\n") + "\n" + strings.Join(s.en, "\n")
}

// texts lists every text of a graph's description.
func (g Graph) texts() []Text {
	ts := []Text{g.Title}
	for _, b := range g.Boxes {
		ts = append(ts, b.Title)
		ts = append(ts, b.Lines...)
	}
	for _, a := range g.Arrows {
		ts = append(ts, a.Label)
	}
	for _, f := range g.Frames {
		ts = append(ts, f.Label)
	}
	return ts
}

func TestOverviewsDrawValidSVG(t *testing.T) {
	tests := []struct {
		name string
		// words the picture's text must say
		words []string
		// German labels and the English ones they must come with
		german map[string]string
	}{
		{
			name:  "sync-states.svg",
			words: []string{"pending", "firing", "event.waitUntil(promise)", "lastChance", "event.lastChance === true", "register('sync-new-post')"},
			german: map[string]string{
				"erledigt": "done", "gescheitert": "failed", "wartet": "waits", "letzter Versuch": "final attempt",
				"aufgegeben": "given up", "Promise abgelehnt": "promise rejected", "beim nächsten": "on the next",
				"bis das Netz zurück ist": "until the network returns",
			},
		},
		{
			name:  "stores.svg",
			words: []string{"posts", "sync-posts", "dead-letters", "keyPath: '_id'", "keyPath: 'id'", "feed.js", "sw.js", "outbox.js", "writeData", "readAllData", "deleteOneData", "moveData", "clearAllData"},
			german: map[string]string{
				"sync-posts: die Outbox": "sync-posts: the outbox", "endgültig abgelehnt (4xx)": "refused for good (4xx)",
				"Feed ohne Netz": "feed without network", "4xx: in einer Transaktion": "4xx: in one transaction",
			},
		},
		{
			name:  "gridfs.svg",
			words: []string{"POST /posts", "multipart/form-data", "posts.files", "posts.chunks", "GET /posts/:id/image", "image_id = filename", "_id = files_id", "chunkSize: 261120", "255 KiB", "MongoDB"},
			german: map[string]string{
				"ein Dokument je Foto": "one document per photo", "2. der Beitrag": "2. the post",
				":id = _id des Beitrags": ":id = the post's _id", "Foto ansehen": "see a photo",
			},
		},
	}
	graphs := Overviews()
	if len(graphs) != len(tests) {
		t.Errorf("Overviews has %d diagrams, the test knows %d", len(graphs), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := graphs[tt.name]
			if !ok {
				t.Fatalf("Overviews has no %s", tt.name)
			}
			if _, ok := Flows()[tt.name]; !ok {
				t.Errorf("Flows does not hand %s to the picture generator", tt.name)
			}
			svg, err := g.SVG()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := g.SVG()
			if string(again) != string(svg) {
				t.Error("not drawn the same way twice")
			}
			got, err := readSVG(svg)
			if err != nil {
				t.Fatal(err)
			}
			if got.root != "svg" {
				t.Errorf("root element %q, want svg", got.root)
			}
			for _, bad := range []string{"href", "<image", "@import", "@font-face", "url(http", "<script", "<foreignObject"} {
				if strings.Contains(string(svg), bad) {
					t.Errorf("the picture uses %q: it must not need anything from outside", bad)
				}
			}
			text := got.all()
			for _, w := range tt.words {
				if !strings.Contains(text, w) {
					t.Errorf("the picture's text does not say %q", w)
				}
			}
			// Both languages: the German label without lang, the English
			// one marked lang="en".
			for de, en := range tt.german {
				if !containsIn(got.de, de) {
					t.Errorf("no German text says %q", de)
				}
				if !containsIn(got.en, en) {
					t.Errorf("no English text says %q", en)
				}
			}
			// Every text that differs by language is drawn in both.
			for _, tx := range g.texts() {
				if tx.EN == "" || tx.EN == tx.DE {
					continue
				}
				for _, l := range strings.Split(tx.DE, "\n") {
					if !containsIn(got.de, l) {
						t.Errorf("the German line %q is not drawn", l)
					}
				}
				for _, l := range strings.Split(tx.EN, "\n") {
					if !containsIn(got.en, l) {
						t.Errorf("the English line %q is not drawn as English", l)
					}
				}
			}
		})
	}
	for name := range Sequences() {
		if _, clash := graphs[name]; clash {
			t.Errorf("%s is both a sequence and a box diagram", name)
		}
	}
}

func containsIn(texts []string, s string) bool {
	for _, t := range texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func TestGraphRejectsUnreadableLayouts(t *testing.T) {
	two := func() Graph {
		return Graph{
			Cols: []float64{240, 240, 240},
			Rows: []float64{120, 120},
			Boxes: []Box{
				{ID: "a", Col: 0, Row: 0, Title: Text{DE: "A", EN: ""}},
				{ID: "b", Col: 2, Row: 0, Title: Text{DE: "B", EN: ""}},
			},
			Arrows: []Arrow{{From: "a", To: "b", Label: Text{DE: "geht", EN: "goes"}}},
		}
	}
	tests := []struct {
		name   string
		change func(*Graph)
		want   string
	}{
		{"fine", func(*Graph) {}, ""},
		{"unknown box", func(g *Graph) { g.Arrows[0].To = "c" }, `no box "c"`},
		{"arrow to itself", func(g *Graph) { g.Arrows[0].To = "a" }, `starts and ends at "a"`},
		{"outside the grid", func(g *Graph) { g.Boxes[1].Col = 3 }, `box "b" lies outside the grid`},
		{"two boxes with one id", func(g *Graph) { g.Boxes[1].ID = "a"; g.Boxes[1].Row = 1 }, `two boxes are called "a"`},
		{"overlap", func(g *Graph) {
			g.Boxes = append(g.Boxes, Box{ID: "c", Col: 0, Row: 0, ColSpan: 2, Title: Text{DE: "C", EN: ""}})
		}, `boxes "a" and "c" overlap`},
		{"text too wide", func(g *Graph) { g.Boxes[0].Lines = []Text{{DE: strings.Repeat("x", 40), EN: ""}} }, `box "a": its text needs`},
		{"text too tall", func(g *Graph) { g.Boxes[0].Lines = []Text{{DE: "1\n2\n3\n4\n5\n6\n7", EN: ""}} }, `px of height`},
		{"arrow through a box", func(g *Graph) { g.Boxes = append(g.Boxes, Box{ID: "c", Col: 1, Row: 0, Title: Text{DE: "C", EN: ""}}) }, `arrow a → b crosses box "c"`},
		{"label over a box", func(g *Graph) { g.Arrows[0].Label = Text{DE: strings.Repeat("lang ", 30), EN: "long"} }, `label of arrow a → b lies over box`},
		{"labels over each other", func(g *Graph) {
			g.Arrows = append(g.Arrows, Arrow{From: "b", To: "a", Label: Text{DE: "zurück", EN: "back"}})
		}, "over another arrow's label"},
		{"via outside", func(g *Graph) { g.Arrows[0].Via = []Cell{{5, 5}} }, "outside the grid"},
		{"frame of nothing", func(g *Graph) { g.Frames = []Frame{{Label: Text{DE: "F", EN: ""}, Boxes: []string{"x"}}} }, `frames "x"`},
		{"no grid", func(g *Graph) { g.Cols = nil }, "needs columns and rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := two()
			tt.change(&g)
			_, err := g.SVG()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestRoute(t *testing.T) {
	a := rect{0, 0, 100, 50}
	tests := []struct {
		name string
		b    rect
		via  []point
		want []point
	}{
		{"side by side", rect{200, 0, 300, 50}, nil, []point{{100, 25}, {200, 25}}},
		{"right to left", rect{-300, 10, -200, 40}, nil, []point{{0, 25}, {-200, 25}}},
		{"above each other", rect{0, 100, 100, 150}, nil, []point{{50, 50}, {50, 100}}},
		{"a tall neighbour", rect{200, -100, 300, 200}, nil, []point{{100, 25}, {200, 25}}},
		{"diagonal", rect{200, 100, 300, 150}, nil, []point{{100, 50}, {200, 100}}},
		{"through a cell", rect{200, 100, 300, 150}, []point{{250, 25}}, []point{{100, 25}, {250, 25}, {250, 100}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := route(a, tt.b, tt.via)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("route = %v, want %v", got, tt.want)
			}
		})
	}
}
