package markdown

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// ids makes readable heading ids, also from German text ("Über uns" →
// "ueber-uns"), unique in the document and with an optional prefix.
type ids struct {
	prefix string
	used   map[string]bool
}

func newIDs(prefix string) *ids { return &ids{prefix: prefix, used: map[string]bool{}} }

var transliterate = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")

// Slug turns a heading's text into an id (without prefix or numbering).
func Slug(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range transliterate.Replace(strings.ToLower(strings.TrimSpace(text))) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		case unicode.IsSpace(r) || r == '-' || r == '_':
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// Generate implements parser.IDs.
func (d *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	id := d.prefix + base
	for i := 1; d.used[id]; i++ {
		id = fmt.Sprintf("%s%s-%d", d.prefix, base, i)
	}
	d.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (d *ids) Put(value []byte) { d.used[string(value)] = true }
