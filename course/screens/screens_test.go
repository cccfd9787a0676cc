package screens

import (
	"bytes"
	"context"
	"image"
	_ "image/png"
	"strings"
	"testing"

	"synclab/frontend"
	"synclab/simulator/browser"
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
	for _, w := range []string{"sync-posts", "<th>id</th><th>title</th><th>location</th><th>image_id</th>", "Hörsaal", `src="data:image/jpeg;base64,AAAA"`, "File myFile.jpg, image/jpeg, 4.2 kB", "1 Datensatz wartet auf das sync-Ereignis", `<i lang="en">1 record waiting for the sync event</i>`} {
		if !strings.Contains(html, w) {
			t.Errorf("inspector lacks %q:\n%s", w, html)
		}
	}
}

// TestTakePhotographsTheApp takes the feed's picture in a real browser:
// a PNG of the page's size. It fails when the app's tab is hidden while the
// picture is taken (the screenshot then never comes: "context deadline
// exceeded").
func TestTakePhotographsTheApp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := context.Background()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	scenes, err := Scenes()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenes {
		if sc.Name != "00-feed.png" {
			continue
		}
		app, err := frontend.App(sc.Step, vendor)
		if err != nil {
			t.Fatal(err)
		}
		png, err := Take(ctx, b, app, sc)
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(png))
		if err != nil || format != "png" {
			t.Fatalf("the picture is not a PNG (%s): %v", format, err)
		}
		if cfg.Width < 300 || cfg.Height < 300 {
			t.Errorf("the picture is %d×%d, not the page", cfg.Width, cfg.Height)
		}
		return
	}
	t.Fatal("no scene 00-feed.png")
}
