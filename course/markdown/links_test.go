package markdown

import (
	"reflect"
	"testing"
)

func TestExternalLinks(t *testing.T) {
	src := "# T\n\nSee [MDN](https://developer.mozilla.org/en-US/docs/Web/API/SyncManager) and <https://caniuse.com/background-sync>.\n\n" +
		"!!! tip \"More\"\n    In a box: [the spec](https://wicg.github.io/background-sync/spec/).\n\n" +
		"[next chapter](02-robust.md#weiter), [a step](step:07), [a heading](#t), ![a picture](pictures/flow.svg)\n\n" +
		"`[not a link](https://example.com/in-code)`\n\n```sh\ncurl https://example.com/in-a-block\n```\n\n[plain http](http://example.com/)\n"
	got := ExternalLinks([]byte(src))
	want := []Link{
		{"https://developer.mozilla.org/en-US/docs/Web/API/SyncManager", 3},
		{"https://caniuse.com/background-sync", 3},
		{"https://wicg.github.io/background-sync/spec/", 6},
		{"http://example.com/", 16},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ExternalLinks =\n%v\nwant\n%v", got, want)
	}
}
