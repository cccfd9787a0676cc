package frontend_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/frontend"
)

// TestLibrariesLookInOrder: an explicit folder, then SYNCLAB_NODE_MODULES,
// then the libraries built into the program (a -tags synclab_embed build),
// then the repository's frontend/node_modules; with none of them the error
// says how to get them.
func TestLibrariesLookInOrder(t *testing.T) {
	ctx := context.Background()
	explicit, fromEnv := t.TempDir(), t.TempDir()
	for dir, content := range map[string]string{explicit: "explicit", fromEnv: "env"} {
		if err := os.MkdirAll(filepath.Join(dir, "idb"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "idb", "package.json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(frontend.NodeModulesEnv, fromEnv)
	for _, tc := range []struct {
		name, wantDir, wantContent string
		o                          frontend.VendorOptions
	}{
		{"the option before the variable", explicit, "explicit", frontend.VendorOptions{NodeModules: explicit}},
		{"the variable", fromEnv, "env", frontend.VendorOptions{}},
	} {
		libs, dir, err := frontend.Libraries(ctx, tc.o, "idb/package.json")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if b, _ := fs.ReadFile(libs, "idb/package.json"); dir != tc.wantDir || string(b) != tc.wantContent {
			t.Errorf("%s: read %q from %q, want %q from %q", tc.name, b, dir, tc.wantContent, tc.wantDir)
		}
	}

	t.Setenv(frontend.NodeModulesEnv, "")
	_, embedded := frontend.EmbeddedLibraries()
	_, dir, err := frontend.Libraries(ctx, frontend.VendorOptions{}, "idb/package.json")
	switch {
	case err != nil:
		t.Fatalf("in the repository: %v", err)
	case embedded && dir != "":
		t.Errorf("a build with the libraries inside read %s instead", dir)
	case !embedded && !strings.HasSuffix(dir, filepath.Join("frontend", "node_modules")):
		t.Errorf("in the repository: dir %q, want frontend/node_modules", dir)
	}

	t.Chdir(t.TempDir())
	_, dir, err = frontend.Libraries(ctx, frontend.VendorOptions{}, "idb/package.json")
	if embedded {
		if err != nil || dir != "" {
			t.Errorf("outside the repository with the libraries inside: %q, %v", dir, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("outside the repository without the libraries inside: found %s", dir)
	}
	for _, want := range []string{"run this from the Sync Lab repository", "go install -tags synclab_embed ./checks/synclab-checks", frontend.NodeModulesEnv} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not say %q", err, want)
		}
	}
}

// TestLibrariesSayWhatIsMissing: a folder without a needed file is refused
// with the file named.
func TestLibrariesSayWhatIsMissing(t *testing.T) {
	_, _, err := frontend.Libraries(context.Background(), frontend.VendorOptions{NodeModules: t.TempDir()}, "workbox-sw/package.json")
	var missing *frontend.MissingLibrariesError
	if !errors.As(err, &missing) || strings.Join(missing.Missing, ",") != "workbox-sw/package.json" {
		t.Fatalf("error = %v, want the missing workbox-sw/package.json", err)
	}
}
