package listing

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Spec is what a listing block asks for: a checkpoint file and either a
// region (named by marker comments) or a range of the file's real line
// numbers. It is written as the info string of an empty fenced code block:
//
//	```listing step=07 file=sw.js region=sync-handler title="The sync handler"
//	```
type Spec struct {
	Step   string
	File   string
	Region string
	// From and To are the first and last line (1-based, inclusive) when the
	// listing names lines instead of a region.
	From, To int
	Title    string
}

// Keyword is the first word of a listing block's info string.
const Keyword = "listing"

// IsListing reports whether a fenced code block's info string asks for a
// listing.
func IsListing(info string) bool {
	f := strings.Fields(info)
	return len(f) > 0 && f[0] == Keyword
}

// String writes the spec as it appears in Markdown (without the keyword).
func (s Spec) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step=%s file=%s", s.Step, s.File)
	if s.Region != "" {
		fmt.Fprintf(&b, " region=%s", s.Region)
	} else {
		fmt.Fprintf(&b, " lines=%d-%d", s.From, s.To)
	}
	if s.Title != "" {
		fmt.Fprintf(&b, " title=%q", s.Title)
	}
	return b.String()
}

// ParseSpec reads a listing block's info string: "listing" followed by
// key=value attributes (values may be double-quoted): step and file are
// required, then region=NAME or lines=FROM-TO, and optionally title.
func ParseSpec(info string) (Spec, error) {
	info = strings.TrimSpace(info)
	rest, ok := strings.CutPrefix(info, Keyword)
	if !ok || (rest != "" && !unicode.IsSpace(rune(rest[0]))) {
		return Spec{}, fmt.Errorf("a listing block starts with %q, not %q", Keyword, info)
	}
	attrs, err := parseAttrs(rest)
	if err != nil {
		return Spec{}, err
	}
	var s Spec
	for _, a := range attrs {
		switch a.key {
		case "step":
			s.Step = a.value
		case "file":
			s.File = a.value
		case "region":
			s.Region = a.value
		case "lines":
			from, to, ok := strings.Cut(a.value, "-")
			if !ok {
				to = from
			}
			f, err1 := strconv.Atoi(from)
			t, err2 := strconv.Atoi(to)
			if err1 != nil || err2 != nil || f < 1 || t < f {
				return Spec{}, fmt.Errorf("lines=%s: write lines=FROM-TO with 1 <= FROM <= TO", a.value)
			}
			s.From, s.To = f, t
		case "title":
			s.Title = a.value
		default:
			return Spec{}, fmt.Errorf("unknown attribute %q (a listing knows step, file, region, lines and title)", a.key)
		}
	}
	switch {
	case s.Step == "":
		return Spec{}, fmt.Errorf("the listing names no step (step=NN)")
	case s.File == "":
		return Spec{}, fmt.Errorf("the listing names no file (file=PATH)")
	case s.Region == "" && s.From == 0:
		return Spec{}, fmt.Errorf("the listing names neither a region (region=NAME) nor lines (lines=FROM-TO)")
	case s.Region != "" && s.From != 0:
		return Spec{}, fmt.Errorf("the listing names both a region and lines; choose one")
	}
	return s, nil
}

type attr struct{ key, value string }

// parseAttrs splits key=value pairs separated by spaces; a value may be
// double-quoted (with Go escapes).
func parseAttrs(s string) ([]attr, error) {
	var out []attr
	seen := map[string]bool{}
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out, nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.ContainsFunc(s[:eq], unicode.IsSpace) {
			word, _, _ := strings.Cut(s, " ")
			return nil, fmt.Errorf("attribute %q is not key=value", word)
		}
		key := s[:eq]
		s = s[eq+1:]
		var value string
		if strings.HasPrefix(s, `"`) {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("attribute %s: unterminated quoted value", key)
			}
			value, _ = strconv.Unquote(q)
			s = s[len(q):]
		} else {
			end := strings.IndexFunc(s, unicode.IsSpace)
			if end < 0 {
				end = len(s)
			}
			value, s = s[:end], s[end:]
		}
		if seen[key] {
			return nil, fmt.Errorf("attribute %s is given twice", key)
		}
		seen[key] = true
		out = append(out, attr{key, value})
	}
}
