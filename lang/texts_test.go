package lang_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The checks every text of the module passes, wherever it is written.
var (
	// onlyVerbs is a format that only joins other texts ("%s (%s)").
	onlyVerbs = regexp.MustCompile(`^(?:%(?:\[\d+\])?[-+# 0-9.]*[a-zA-Z]|[\s;:,()+|/×-])*$`)
	// englishWords in a German text mean it was left English by mistake.
	englishWords = regexp.MustCompile(`\b(the|and|is|to|it|not|has|holds|with|of)\b`)
	// formal is the formal address (Sie, Ihr …) inside a sentence: the
	// course and the tools say "du" throughout.
	formal = regexp.MustCompile(`[a-zäöüß,] (Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer)\b`)
)

// TestEveryTextHasItsGerman walks every Go file of the module and the
// course's data: each German/English text is written one way, lang.Say
// with its English and German formats as literals, or a lang.Text (or its
// aliases) with DE and EN named; its German is its own (not the English,
// no English words left) and says "du".
func TestEveryTextHasItsGerman(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	says, texts := 0, 0
	check := func(pos, en, de string) {
		switch {
		case de == "":
			t.Errorf("%s: the text has no German", pos)
		case en == de && !onlyVerbs.MatchString(en):
			t.Errorf("%s: the German is the English: %q", pos, en)
		case englishWords.MatchString(stripCode(de)):
			t.Errorf("%s: the German has English words: %q", pos, de)
		case formal.MatchString(de):
			t.Errorf("%s: the German says Sie, not du: %q", pos, de)
		}
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "_scratch", ".git", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Say" || !isIdent(sel.X, "lang") || len(n.Args) < 2 {
					return true
				}
				says++
				pos := fset.Position(n.Pos()).String()
				en, okEN := literal(n.Args[0])
				de, okDE := literal(n.Args[1])
				if !okEN || !okDE {
					t.Errorf("%s: lang.Say takes its two formats as string literals", pos)
					return true
				}
				check(pos, en, de)
			case *ast.CompositeLit:
				if !isTextType(n.Type) {
					return true
				}
				texts++
				pos := fset.Position(n.Pos()).String()
				var en, de string
				literals := true
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						t.Errorf("%s: name the languages of a Text (DE: …, EN: …)", pos)
						return true
					}
					s, ok := literal(kv.Value)
					literals = literals && ok
					switch {
					case isIdent(kv.Key, "DE"):
						de = s
					case isIdent(kv.Key, "EN"):
						en = s
					}
				}
				switch {
				case !literals || len(n.Elts) == 0:
				case en == "" && strings.Contains(filepath.ToSlash(p), "course/diagram/"):
					// A diagram's code-like label reads the same in both.
				case en == "":
					t.Errorf("%s: the text has no English", pos)
				default:
					check(pos, en, de)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if says < 200 || texts < 200 {
		t.Errorf("found only %d calls of lang.Say and %d Text literals: did the texts move?", says, texts)
	}
	for _, name := range []string{"frontend/checks.json", "frontend/steps.json"} {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		walkTexts(doc, func(de, en string) { texts++; check(name, en, de) })
	}
	// The course's German pages and slides say "du" too.
	pages, err := filepath.Glob(filepath.Join(root, "course/content/*de*/*.md"))
	if err != nil {
		t.Fatal(err)
	}
	decks, err := filepath.Glob(filepath.Join(root, "course/content/decks/de/*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 2 || len(decks) < 1 {
		t.Errorf("found %d German pages and %d decks: did the course move?", len(pages), len(decks))
	}
	for _, name := range append(pages, decks...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := formal.FindString(line); m != "" {
				t.Errorf("%s:%d: says Sie, not du: %q", name, i+1, m)
			}
		}
	}
	t.Logf("%d lang.Say calls, %d texts, %d German pages", says, texts, len(pages)+len(decks))
}

// walkTexts calls f with every {"de": …, "en": …} object in v.
func walkTexts(v any, f func(de, en string)) {
	switch v := v.(type) {
	case map[string]any:
		de, okDE := v["de"].(string)
		en, okEN := v["en"].(string)
		if okDE && okEN {
			f(de, en)
		}
		for _, x := range v {
			walkTexts(x, f)
		}
	case []any:
		for _, x := range v {
			walkTexts(x, f)
		}
	}
}

// stripCode removes what a German text quotes as code (`…`, '…', "…", a
// file name): English there is the code's.
func stripCode(s string) string {
	return codeLike.ReplaceAllString(s, "")
}

var codeLike = regexp.MustCompile("`[^`]*`|'[^']*'|\"[^\"]*\"|“[^”]*”|„[^“]*“|\\b[\\w.-]+\\.(js|json|html|go)\\b")

// isTextType reports whether t names lang.Text or one of its aliases
// (frontend.Text, and Text inside lang's users).
func isTextType(t ast.Expr) bool {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name == "Text"
	case *ast.SelectorExpr:
		return t.Sel.Name == "Text" && (isIdent(t.X, "lang") || isIdent(t.X, "frontend"))
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
