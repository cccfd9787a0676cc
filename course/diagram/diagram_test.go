package diagram

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestFlowsDrawValidSVG(t *testing.T) {
	for name, d := range Flows() {
		svg, err := d.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dec := xml.NewDecoder(strings.NewReader(string(svg)))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s is not well-formed XML: %v", name, err)
				}
				break
			}
		}
		if _, ok := d.(Diagram); ok {
			for _, lane := range []string{"Seite", "IndexedDB", "Service Worker", "Backend"} {
				if !strings.Contains(string(svg), lane) {
					t.Errorf("%s lacks the lane %s", name, lane)
				}
			}
		}
		again, _ := d.SVG()
		if string(again) != string(svg) {
			t.Errorf("%s is not drawn the same way twice", name)
		}
	}
	flows := Flows()
	for name, want := range map[string][]string{
		"flow-offline.svg":    {"sync-posts", "sync-new-post", "POST /posts", "deleteOneData", "response.ok"},
		"flow-app-closed.svg": {"Tab geschlossen", "tab closed", "deleteOneData"},
		"flow-robust.svg":     {"Idempotency-Key", "503", "waitUntil", "no duplicate"},
		"flow-online.svg":     {"POST /posts", "201"},
	} {
		svg, _ := flows[name].SVG()
		for _, w := range want {
			if !strings.Contains(string(svg), w) {
				t.Errorf("%s does not say %q", name, w)
			}
		}
	}
}

func TestSVGRejectsUnknownLanes(t *testing.T) {
	d := Diagram{Lanes: []Lane{{ID: "a"}}, Rows: []Row{{Kind: Message, From: "a", To: "b"}}}
	if _, err := d.SVG(); err == nil || !strings.Contains(err.Error(), `lane "b"`) {
		t.Errorf("error = %v", err)
	}
}
