package content_test

import (
	"net/url"
	"strings"
	"testing"

	"synclab/course/markdown"
)

// minLinksPerLanguage is how many different pages outside the course each
// language's chapters point to at least (MDN, the specification, Chrome's
// articles, Workbox, …).
const minLinksPerLanguage = 10

// TestExternalLinksAreWellFormed treats the chapters' links to other sites
// as data, without the network: each is a well-formed absolute https URL
// with a host and no spaces, none appears twice in one chapter, and each
// language links to at least minLinksPerLanguage different pages.
func TestExternalLinksAreWellFormed(t *testing.T) {
	perLang := map[string]map[string]bool{}
	for _, p := range pages(t) {
		if !p.chapter {
			continue
		}
		if perLang[p.lang] == nil {
			perLang[p.lang] = map[string]bool{}
		}
		seen := map[string]int{}
		for _, l := range markdown.ExternalLinks([]byte(p.text)) {
			if prev, ok := seen[l.Dest]; ok {
				t.Errorf("%s:%d links %s again (first at line %d); one link per page and chapter", p.name, l.Line, l.Dest, prev)
				continue
			}
			seen[l.Dest] = l.Line
			perLang[p.lang][l.Dest] = true
			if err := wellFormed(l.Dest); err != "" {
				t.Errorf("%s:%d links %q: %s", p.name, l.Line, l.Dest, err)
			}
		}
	}
	for _, lang := range []string{"de", "en"} {
		if n := len(perLang[lang]); n < minLinksPerLanguage {
			t.Errorf("the %s chapters link to %d pages outside the course, want at least %d", lang, n, minLinksPerLanguage)
		} else {
			t.Logf("%s: %d pages outside the course", lang, n)
		}
	}
}

// wellFormed says what is wrong with an external link, or "".
func wellFormed(dest string) string {
	if strings.ContainsAny(dest, " \t\n<>\"") {
		return "holds a space or a character a URL cannot hold"
	}
	u, err := url.Parse(dest)
	switch {
	case err != nil:
		return err.Error()
	case u.Scheme != "https":
		return "not https (a page outside the course is linked with https://)"
	case u.Host == "" || !strings.Contains(u.Hostname(), ".") || u.Port() != "":
		return "no host name of a public site"
	case u.User != nil:
		return "holds user information"
	}
	return ""
}

// TestWellFormed checks the rules on a few URLs.
func TestWellFormed(t *testing.T) {
	for dest, ok := range map[string]bool{
		"https://developer.mozilla.org/en-US/docs/Web/API/SyncManager#browser_compatibility": true,
		"https://wicg.github.io/background-sync/spec/":                                       true,
		"http://developer.mozilla.org/":                                                      false,
		"https://localhost:8080/":                                                            false,
		"https:///docs":                                                                      false,
		"https://example.com/a b":                                                            false,
		"mailto:someone@example.com":                                                         false,
		"ftp://example.com/":                                                                 false,
	} {
		if got := wellFormed(dest) == ""; got != ok {
			t.Errorf("wellFormed(%q) = %q, want ok=%v", dest, wellFormed(dest), ok)
		}
	}
}
