package listing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Region markers work in any comment syntax: a line holding "#region NAME"
// opens a region, a line holding "#endregion" (optionally with the name)
// closes the innermost open one. Regions may nest. Marker lines are never
// shown and never count as changes.
var (
	regionStart = regexp.MustCompile(`#region\s+([A-Za-z0-9_.-]+)`)
	regionEnd   = regexp.MustCompile(`#endregion(?:\s+([A-Za-z0-9_.-]+))?`)
)

// IsMarker reports whether a line is a region marker.
func IsMarker(line string) bool {
	return regionStart.MatchString(line) || regionEnd.MatchString(line)
}

// Range is a span of lines, 1-based and inclusive.
type Range struct{ From, To int }

// Regions finds the regions of a file's lines: for each name the lines
// between its markers (the marker lines excluded).
func Regions(lines []string) (map[string]Range, error) {
	type open struct {
		name string
		line int
	}
	var stack []open
	out := map[string]Range{}
	for i, l := range lines {
		n := i + 1
		if m := regionEnd.FindStringSubmatch(l); m != nil {
			if len(stack) == 0 {
				return nil, fmt.Errorf("line %d: #endregion without an open region", n)
			}
			top := stack[len(stack)-1]
			if m[1] != "" && m[1] != top.name {
				return nil, fmt.Errorf("line %d: #endregion %s closes region %q (opened on line %d)", n, m[1], top.name, top.line)
			}
			stack = stack[:len(stack)-1]
			out[top.name] = Range{From: top.line + 1, To: n - 1}
			continue
		}
		if m := regionStart.FindStringSubmatch(l); m != nil {
			name := m[1]
			if _, dup := out[name]; dup || slices.ContainsFunc(stack, func(o open) bool { return o.name == name }) {
				return nil, fmt.Errorf("line %d: region %q is defined twice", n, name)
			}
			stack = append(stack, open{name, n})
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return nil, fmt.Errorf("line %d: region %q is never closed (#endregion missing)", top.line, top.name)
	}
	return out, nil
}

// RegionNames lists the names of the regions found, sorted (for messages).
func RegionNames(regions map[string]Range) string {
	names := make([]string, 0, len(regions))
	for n := range regions {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// SplitLines splits a file into lines without their line endings.
func SplitLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// StripMarkers returns the content without its region marker lines: what
// counts when files are compared (e.g. for hashes).
func StripMarkers(b []byte) []byte {
	lines := SplitLines(b)
	var out strings.Builder
	for _, l := range lines {
		if !IsMarker(l) {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	return []byte(out.String())
}
