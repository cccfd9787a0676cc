package screens

import (
	"strings"
	"testing"

	"synclab/frontend"
	"synclab/simulator/session"
)

func TestScenesCoverTheCourse(t *testing.T) {
	scenes, err := Scenes()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"00-feed.png": "00", "03-form.png": "03", "04-snackbar.png": "04",
		"06-outbox.png": "06", "07-feed-after-replay.png": "07", "08-last-chance.png": "08",
	}
	for _, sc := range scenes {
		if want[sc.Name] != sc.Step {
			t.Errorf("scene %s shows checkpoint %s", sc.Name, sc.Step)
		}
		if _, err := frontend.FindStep(sc.Step); err != nil {
			t.Errorf("scene %s: %v", sc.Name, err)
		}
		if len(sc.Steps) == 0 {
			t.Errorf("scene %s does nothing before its picture", sc.Name)
		}
		delete(want, sc.Name)
	}
	if len(want) > 0 {
		t.Errorf("no scenes for %v", want)
	}
}

func TestInspectorShowsFieldsAndPhotos(t *testing.T) {
	recs := []session.Record{
		{"id": "2025-01-01T10:00:00Z", "title": "Hörsaal", "location": "Berlin",
			"image_id": map[string]any{"__blob": true, "type": "image/jpeg", "size": 4200.0, "name": "myFile.jpg", "base64": "AAAA"}},
	}
	html, err := inspectorHTML(recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"sync-posts", "<th>id</th><th>title</th><th>location</th><th>image_id</th>", "Hörsaal", `src="data:image/jpeg;base64,AAAA"`, "File myFile.jpg, image/jpeg, 4.2 kB", "1 record waiting"} {
		if !strings.Contains(html, w) {
			t.Errorf("inspector lacks %q:\n%s", w, html)
		}
	}
}
