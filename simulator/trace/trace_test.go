package trace_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"synclab/simulator/trace"
)

func TestWriteJSONAndSequenceDiagram(t *testing.T) {
	tl := trace.New()
	base := time.Now()
	tl.AddEvent(trace.Event{Time: base.Add(30 * time.Millisecond), Lane: trace.Worker, To: trace.Backend, Kind: "request", Text: "POST http://localhost:3000/posts"})
	tl.AddEvent(trace.Event{Time: base.Add(10 * time.Millisecond), Lane: trace.Sim, Kind: "step", Text: "go online"})
	tl.AddEvent(trace.Event{Time: base.Add(20 * time.Millisecond), Lane: trace.Page, Kind: "asset", Text: "GET http://localhost:8080/src/js/app.js"})
	tl.AddEvent(trace.Event{Time: base.Add(40 * time.Millisecond), Lane: trace.Page, Kind: "screenshot", Text: "after: go online", Data: "data:image/png;base64,iVBORw0KGgo="})
	tl.AddEvent(trace.Event{Time: base.Add(50 * time.Millisecond), Lane: trace.Page, Kind: "console", Text: "<script>alert(1)</script>"})

	if got := tl.Tail(trace.Sim, "step", 5); len(got) != 1 || got[0] != "go online" {
		t.Fatalf("Tail = %v", got)
	}
	events := tl.Events()
	if events[0].Text != "go online" || events[len(events)-1].Kind != "console" {
		t.Fatalf("events are not in time order: %v", events)
	}

	dir := t.TempDir()
	if err := tl.Write(dir, "offline-replay on checkpoint 07"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Title  string        `json:"title"`
		Events []trace.Event `json:"events"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Events) != 5 || doc.Title == "" {
		t.Fatalf("trace.json: %v, %d events", err, len(doc.Events))
	}
	html, err := os.ReadFile(filepath.Join(dir, "trace.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	for _, want := range []string{"offline-replay on checkpoint 07", "service-worker", "indexeddb", "→ backend", "← service-worker",
		`src="data:image/png;base64,iVBORw0KGgo="`, "&lt;script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("trace.html lacks %q", want)
		}
	}
	if strings.Contains(page, "src/js/app.js") {
		t.Error("the app's own files should stay out of the diagram")
	}
	if strings.Contains(page, "<script>alert(1)</script>") {
		t.Error("console text is not escaped")
	}
}
