package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCourseCommand(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		code  int
		wants string // every case says something; "" would match any output
		files []string
	}{
		{name: "check only", args: nil, code: 0, wants: "Nothing written"},
		{name: "write the site", args: []string{"-out", dir}, code: 0, wants: "Wrote the site", files: []string{"index.html", "de/01-hintergrundsynchronisation.html", "en/steps/07.html", "slides/en/index.html", "sw.js", ".nojekyll"}},
		{name: "unknown language", args: []string{"-lang", "fr"}, code: 1, wants: "chapters in fr"},
		{name: "bad flag", args: []string{"-nope"}, code: 2, wants: "flag provided but not defined: -nope\nUsage: go run ./course"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wants == "" {
				t.Fatal("the case names no output it expects")
			}
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errOut)
			if code != tt.code || !strings.Contains(out.String()+errOut.String(), tt.wants) {
				t.Fatalf("exit %d (want %d), output:\n%s%s", code, tt.code, out.String(), errOut.String())
			}
			for _, f := range tt.files {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("%s not written", f)
				}
			}
		})
	}
}
