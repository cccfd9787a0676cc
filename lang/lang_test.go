package lang_test

import (
	"errors"
	"fmt"
	"testing"

	"synclab/lang"
)

func TestIn(t *testing.T) {
	txt := lang.Text{DE: "Hallo", EN: "Hello"}
	for _, tc := range []struct{ lang, want string }{
		{"de", "Hallo"}, {"en", "Hello"}, {"en_GB.UTF-8", "Hello"}, {"fr", "Hallo"}, {"", "Hallo"},
	} {
		if got := txt.In(tc.lang); got != tc.want {
			t.Errorf("In(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := (lang.Text{DE: "nur Deutsch"}).In("en"); got != "nur Deutsch" {
		t.Errorf("a missing English text falls back to German, got %q", got)
	}
	if (lang.Text{DE: "x"}).Complete() || !txt.Complete() {
		t.Error("Complete")
	}
}

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "en_US.UTF-8"}, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "de"},
		{map[string]string{"LANG": "C.UTF-8"}, "de"},
		{map[string]string{"SYNCLAB_LANG": "en", "LANG": "de_DE.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "de"},
	} {
		for _, k := range []string{"SYNCLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(k, tc.env[k])
		}
		if got := lang.FromEnv(); got != tc.want {
			t.Errorf("%v: FromEnv() = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestSay(t *testing.T) {
	inner := lang.Text{DE: "2 Einträge", EN: "2 records"}
	got := lang.Say("it holds %s after %d s", "nach %[2]d s enthält sie %[1]s", inner, 3)
	if got.EN != "it holds 2 records after 3 s" || got.DE != "nach 3 s enthält sie 2 Einträge" {
		t.Errorf("Say = %+v", got)
	}
	if j := lang.Join([]lang.Text{inner, lang.Same("x")}, "; "); j.EN != "2 records; x" || j.DE != "2 Einträge; x" {
		t.Errorf("Join = %+v", j)
	}
}

// busy is an error that says itself in both languages.
type busy struct{}

func (busy) Error() string { return "the port is busy" }
func (busy) Text() lang.Text {
	return lang.Text{EN: "the port is busy", DE: "der Port ist belegt"}
}

func TestErrorIn(t *testing.T) {
	plain := errors.New("disk full")
	for _, tc := range []struct {
		name string
		err  error
		l    string
		want string
	}{
		{"says itself, German", busy{}, "de", "der Port ist belegt"},
		{"says itself, English", busy{}, "en", "the port is busy"},
		{"wrapped: its own words, without the wrapper's English", fmt.Errorf("start the backend: %w", busy{}), "de", "der Port ist belegt"},
		{"English only", plain, "de", "disk full"},
		{"English only, wrapped", fmt.Errorf("save: %w", plain), "de", "save: disk full"},
		{"joined, each its own way", errors.Join(busy{}, plain), "de", "der Port ist belegt\ndisk full"},
		{"made with Err, wrapped", fmt.Errorf("load: %w", lang.Err(lang.Say("no step %q", "kein Schritt %q", "9"))), "de", `kein Schritt "9"`},
		{"joined, none says itself", errors.Join(plain, plain), "de", "disk full\ndisk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lang.ErrorIn(tc.err, tc.l); got != tc.want {
				t.Errorf("ErrorIn = %q, want %q", got, tc.want)
			}
		})
	}
	if _, ok := lang.OfError(nil); ok {
		t.Error("OfError(nil) says something")
	}
}

func TestSaid(t *testing.T) {
	if got := lang.Said(fmt.Errorf("open: %w", busy{})); got.DE != "der Port ist belegt" || got.EN != "the port is busy" {
		t.Errorf("Said of a wrapped error that says itself = %+v", got)
	}
	if got := lang.Said(errors.New("disk full")); got != lang.Same("disk full") {
		t.Errorf("Said of an English error = %+v", got)
	}
}
