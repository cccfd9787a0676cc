package lang_test

import (
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
