package frontend

import (
	"testing"
	"testing/fstest"
)

func TestMemFS(t *testing.T) {
	m := memFS{
		"index.html":               []byte("<p>"),
		"src/js/idb.js":            []byte("idb"),
		"src/lib/mdl/material.css": []byte("css"),
	}
	if err := fstest.TestFS(m, "index.html", "src/js/idb.js", "src/lib/mdl/material.css"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Open("nope.js"); err == nil {
		t.Fatal("opened a missing file")
	}
}
