package pictures

import (
	"strings"
	"testing"
	"testing/fstest"

	"synclab/course/diagram"
	"synclab/course/listing"
)

// TestPicturesAreCurrent fails when a checkpoint changed after its
// screenshots were made, or a diagram's description changed after it was
// drawn.
func TestPicturesAreCurrent(t *testing.T) {
	stale, err := Stale(FS(), listing.Frontend())
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("the pictures are out of date:\n  %s\nmake them again with: %s (and commit course/pictures)", strings.Join(stale, "\n  "), Command)
	}
}

func TestEveryPictureOfTheManifestExists(t *testing.T) {
	m, err := ReadManifest(FS())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"screens/00-feed.png", "screens/03-form.png", "screens/04-snackbar.png", "screens/06-outbox.png", "screens/07-feed-after-replay.png", "screens/08-last-chance.png"}
	for _, w := range want {
		if _, ok := m.Screens[w]; !ok {
			t.Errorf("the manifest lacks %s", w)
		}
	}
	for _, d := range []string{"flow-online.svg", "flow-offline.svg", "flow-app-closed.svg", "flow-robust.svg", "sync-states.svg", "stores.svg", "gridfs.svg"} {
		if _, ok := diagram.Flows()[d]; !ok {
			t.Errorf("no description of %s", d)
		}
	}
}

func TestStaleNoticesAChangedCheckpoint(t *testing.T) {
	src := listing.MapSource{"07": fstest.MapFS{"sw.js": {Data: []byte("a\n")}}}
	hash, err := CheckpointHash(src, "07")
	if err != nil {
		t.Fatal(err)
	}
	pics := fstest.MapFS{"screens/07.png": {Data: []byte("png")}}
	for name, d := range diagram.Flows() {
		svg, err := d.SVG()
		if err != nil {
			t.Fatal(err)
		}
		pics[name] = &fstest.MapFile{Data: svg}
	}
	m := Manifest{Command: Command, Checkpoints: map[string]string{"07": hash}, Screens: map[string]string{"screens/07.png": "07"}}
	b, _ := m.Marshal()
	pics[ManifestName] = &fstest.MapFile{Data: b}

	if stale, err := Stale(pics, src); err != nil || len(stale) != 0 {
		t.Fatalf("fresh pictures reported stale: %v %v", stale, err)
	}
	// A region marker is no change.
	src["07"] = fstest.MapFS{"sw.js": {Data: []byte("// #region r\na\n// #endregion\n")}}
	if stale, _ := Stale(pics, src); len(stale) != 0 {
		t.Errorf("adding a marker made pictures stale: %v", stale)
	}
	src["07"] = fstest.MapFS{"sw.js": {Data: []byte("b\n")}}
	stale, err := Stale(pics, src)
	if err != nil || len(stale) != 1 || !strings.Contains(stale[0], "checkpoint 07 changed since screens/07.png was made") {
		t.Errorf("a changed checkpoint: %v %v", stale, err)
	}
	pics["flow-online.svg"] = &fstest.MapFile{Data: []byte("<svg/>")}
	if stale, _ := Stale(pics, src); len(stale) != 2 {
		t.Errorf("a changed diagram not noticed: %v", stale)
	}
}
