package listing

// Kind says what a diff line is.
type Kind byte

// The kinds of diff lines.
const (
	Same    Kind = ' '
	Removed Kind = '-'
	Added   Kind = '+'
)

// Op is one line of a diff: a line kept, removed from the old file or added
// in the new one, with its real (1-based) line numbers; Old is 0 for an
// added line and New is 0 for a removed one.
type Op struct {
	Kind     Kind
	Old, New int
}

// Diff compares two versions of a file line by line. Region marker lines
// are left out on both sides: adding or moving a marker is never a change.
// The script keeps the longest common subsequence of lines.
func Diff(old, new []string) []Op {
	oi, ni := contentLines(old), contentLines(new)
	// Common prefix and suffix need no table.
	pre := 0
	for pre < len(oi) && pre < len(ni) && old[oi[pre]] == new[ni[pre]] {
		pre++
	}
	suf := 0
	for suf < len(oi)-pre && suf < len(ni)-pre && old[oi[len(oi)-1-suf]] == new[ni[len(ni)-1-suf]] {
		suf++
	}
	var ops []Op
	for k := 0; k < pre; k++ {
		ops = append(ops, Op{Same, oi[k] + 1, ni[k] + 1})
	}
	a, b := oi[pre:len(oi)-suf], ni[pre:len(ni)-suf]
	ops = append(ops, lcs(old, new, a, b)...)
	for k := suf; k > 0; k-- {
		ops = append(ops, Op{Same, oi[len(oi)-k] + 1, ni[len(ni)-k] + 1})
	}
	return ops
}

// lcs diffs the lines old[a[i]] against new[b[j]] with a table of common
// subsequence lengths.
func lcs(old, new []string, a, b []int) []Op {
	n, m := len(a), len(b)
	// t[i][j] is the length of the longest common subsequence of a[i:], b[j:].
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[a[i]] == new[b[j]] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var ops []Op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && old[a[i]] == new[b[j]]:
			ops = append(ops, Op{Same, a[i] + 1, b[j] + 1})
			i++
			j++
		case j == m || (i < n && t[i+1][j] >= t[i][j+1]):
			ops = append(ops, Op{Removed, a[i] + 1, 0})
			i++
		default:
			ops = append(ops, Op{Added, 0, b[j] + 1})
			j++
		}
	}
	return ops
}

// contentLines returns the indexes of the lines that are not markers.
func contentLines(lines []string) []int {
	out := make([]int, 0, len(lines))
	for i, l := range lines {
		if !IsMarker(l) {
			out = append(out, i)
		}
	}
	return out
}

// ChangedLines returns the line numbers of new that differ from old (a
// file that did not exist before, old == nil, is changed everywhere).
// Marker lines are never changed.
func ChangedLines(old, new []string, existed bool) map[int]bool {
	changed := map[int]bool{}
	if !existed {
		for _, i := range contentLines(new) {
			changed[i+1] = true
		}
		return changed
	}
	for _, op := range Diff(old, new) {
		if op.Kind == Added {
			changed[op.New] = true
		}
	}
	return changed
}

// Hunk is a run of diff lines with some unchanged lines around the changes.
type Hunk []Op

// Hunks groups a diff into hunks with up to context unchanged lines before
// and after each change; changes closer than 2*context+1 lines share a
// hunk. A diff without changes has no hunks.
func Hunks(ops []Op, context int) []Hunk {
	var changes []int
	for i, op := range ops {
		if op.Kind != Same {
			changes = append(changes, i)
		}
	}
	var out []Hunk
	for k := 0; k < len(changes); {
		first, last := changes[k], changes[k]
		k++
		for k < len(changes) && changes[k]-last <= 2*context+1 {
			last = changes[k]
			k++
		}
		from, to := max(first-context, 0), min(last+context+1, len(ops))
		out = append(out, Hunk(ops[from:to]))
	}
	return out
}
