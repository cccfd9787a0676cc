package reveal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadReadsTheDistFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range Files() {
		p := filepath.Join(dir, "reveal.js", "dist", filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("/* "+f+" */"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Load(context.Background(), Options{NodeModules: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files["plugin/notes.js"]); got != "/* plugin/notes.js */" {
		t.Errorf("notes.js = %q", got)
	}
}

func TestLoadSaysHowToInstall(t *testing.T) {
	_, err := Load(context.Background(), Options{NodeModules: t.TempDir()})
	var missing *MissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), `"npm ci" in the slides folder`) {
		t.Errorf("error = %v", err)
	}
}

func TestTheRepositorysRevealJSIsInstalled(t *testing.T) {
	files, err := Load(context.Background(), Options{})
	if err != nil {
		if os.Getenv("CI") != "" {
			// In CI a missing dependency is a failure, never a skip.
			t.Fatalf("reveal.js is not installed (scripts/test.sh installs it): %v", err)
		}
		t.Skipf("reveal.js not installed here (scripts/test.sh installs it): %v", err)
	}
	if !strings.Contains(string(files["reveal.js"]), "Reveal") {
		t.Error("reveal.js does not define Reveal")
	}
}
