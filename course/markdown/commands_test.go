package markdown

import (
	"slices"
	"testing"
)

func TestCommands(t *testing.T) {
	src := "# Checks\n" + // 1
		"\n" + // 2
		"Run `synclab-checks` in your folder, or `synclab-checks -step 04`; `synclab-checksum` is another program.\n" + // 3
		"\n" + // 4
		"```sh\n" + // 5
		"synclab-checks -watch            # reruns on save\n" + // 6
		"$ synclab-checks -lang en\n" + // 7
		"go run ./simulator -list\n" + // 8
		"```\n" + // 9
		"\n" + // 10
		"!!! note \"In a box\"\n" + // 11
		"    Also `synclab-checks -robust` here:\n" + // 12
		"\n" + // 13
		"    ```sh\n" + // 14
		"    synclab-checks -only replay\n" + // 15
		"    ```\n" + // 16
		"\n" + // 17
		"=== \"Tab\"\n" + // 18
		"\n" + // 19
		"    ```\n" + // 20
		"    synclab-checks -only snackbar -v\n" + // 21
		"    ```\n" + // 22
		"\n" + // 23
		"```listing step=07 file=sw.js region=sync-handler\n" + // 24
		"synclab-checks -not-a-command\n" + // 25
		"```\n" + // 26
		"\n" + // 27
		"    synclab-checks -step 03\n" // 28 (indented code)
	got := Commands([]byte(src), "synclab-checks")
	want := []Command{
		{Text: "synclab-checks", Line: 3, Inline: true},
		{Text: "synclab-checks -step 04", Line: 3, Inline: true},
		{Text: "synclab-checks -watch", Line: 6},
		{Text: "synclab-checks -lang en", Line: 7},
		{Text: "synclab-checks -robust", Line: 12, Inline: true},
		{Text: "synclab-checks -only replay", Line: 15},
		{Text: "synclab-checks -only snackbar -v", Line: 21},
		{Text: "synclab-checks -step 03", Line: 28},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Commands:\n got %+v\nwant %+v", got, want)
	}
	if got := Commands([]byte("`go run ./checks -robust` and\n\n```\ngo run ./checks\n```\n"), "go run ./checks"); len(got) != 2 {
		t.Errorf("a program of several words: %+v", got)
	}
}
