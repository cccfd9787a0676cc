// Package lang holds the two languages every Sync Lab tool speaks: German,
// the course's first language, and English.
package lang

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// The languages.
const (
	German  = "de"
	English = "en"
)

// Text is a text in German and English.
type Text struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// In returns the text in lang ("de" or "en"), German by default (and when
// the English text is missing).
func (t Text) In(lang string) string {
	if IsEnglish(lang) && t.EN != "" {
		return t.EN
	}
	return t.DE
}

// Complete reports whether both languages are there.
func (t Text) Complete() bool { return strings.TrimSpace(t.DE) != "" && strings.TrimSpace(t.EN) != "" }

// IsEnglish reports whether lang asks for English ("en", "en_GB", …).
func IsEnglish(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "en") }

// Normalize returns German or English for any language tag.
func Normalize(lang string) string {
	if IsEnglish(lang) {
		return English
	}
	return German
}

// FromEnv picks the language from SYNCLAB_LANG, LC_ALL, LC_MESSAGES or
// LANG: English for an English locale, otherwise German.
func FromEnv() string {
	for _, k := range []string{"SYNCLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		switch {
		case v == "" || v == "C" || v == "POSIX" || strings.HasPrefix(v, "C."):
			continue
		case IsEnglish(v):
			return English
		default:
			return German
		}
	}
	return German
}

// Say formats en and de with the same args into a Text. An arg that is a
// Text is put in each language as its own; German word order may need
// explicit argument indexes (%[2]s). English comes first because it is
// also what errors and the tools' data say.
func Say(en, de string, args ...any) Text {
	return Text{EN: fmt.Sprintf(en, localized(args, English)...), DE: fmt.Sprintf(de, localized(args, German)...)}
}

func localized(args []any, l string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(Text); ok {
			a = t.In(l)
		}
		out[i] = a
	}
	return out
}

// Same is a text that reads the same in both languages (a browser's
// message, a list of names).
func Same(s string) Text { return Text{EN: s, DE: s} }

// Join joins texts with sep, each language on its own.
func Join(texts []Text, sep string) Text {
	var en, de []string
	for _, t := range texts {
		en, de = append(en, t.EN), append(de, t.DE)
	}
	return Text{EN: strings.Join(en, sep), DE: strings.Join(de, sep)}
}

// Saying is an error that says itself in both languages.
type Saying interface {
	error
	Text() Text
}

// OfError returns what err, or an error it wraps, says in both languages:
// the outermost Saying in its chain. Joined errors (errors.Join) are said
// each in its own way, one per line; false when none of them can say
// itself.
func OfError(err error) (Text, bool) {
	if err == nil {
		return Text{}, false
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var parts []Text
		found := false
		for _, e := range j.Unwrap() {
			t, ok := OfError(e)
			if !ok {
				t = Same(e.Error())
			}
			found = found || ok
			parts = append(parts, t)
		}
		return Join(parts, "\n"), found
	}
	var s Saying
	if errors.As(err, &s) {
		return s.Text(), true
	}
	return Text{}, false
}

// ErrorIn is err in language l when it (or an error it wraps) says itself
// in both languages (see OfError), else its own message.
func ErrorIn(err error, l string) string {
	if t, ok := OfError(err); ok {
		return t.In(l)
	}
	return err.Error()
}

// Err is an error that says t: English as its message, both languages
// through Text (see OfError).
func Err(t Text) error { return textError{t} }

type textError struct{ t Text }

func (e textError) Error() string { return e.t.EN }
func (e textError) Text() Text    { return e.t }

// Said is what err says in both languages (see OfError), or its message
// in both when it says itself only in English.
func Said(err error) Text {
	if t, ok := OfError(err); ok {
		return t
	}
	return Same(err.Error())
}
