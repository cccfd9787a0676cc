// Package lang holds the two languages every Sync Lab tool speaks: German,
// the course's first language, and English.
package lang

import (
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
