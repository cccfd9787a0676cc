package listing

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		info    string
		want    Spec
		wantErr string
	}{
		{info: "listing step=07 file=sw.js region=sync-handler", want: Spec{Step: "07", File: "sw.js", Region: "sync-handler"}},
		{info: `listing step=03 file=src/js/feed.js lines=12-40 title="Das Formular"`, want: Spec{Step: "03", File: "src/js/feed.js", From: 12, To: 40, Title: "Das Formular"}},
		{info: "listing step=03 file=a.js lines=7", want: Spec{Step: "03", File: "a.js", From: 7, To: 7}},
		{info: "listing file=sw.js region=x", wantErr: "no step"},
		{info: "listing step=07 region=x", wantErr: "no file"},
		{info: "listing step=07 file=sw.js", wantErr: "neither a region"},
		{info: "listing step=07 file=sw.js region=a lines=1-2", wantErr: "both"},
		{info: "listing step=07 file=sw.js lines=9-3", wantErr: "FROM-TO"},
		{info: "listing step=07 file=sw.js region=a colour=red", wantErr: "unknown attribute"},
		{info: `listing step=07 file=sw.js region=a title="open`, wantErr: "unterminated"},
		{info: "listing step=07 step=08 file=sw.js region=a", wantErr: "twice"},
		{info: "listings step=07", wantErr: "starts with"},
	}
	for _, tt := range tests {
		t.Run(tt.info, func(t *testing.T) {
			got, err := ParseSpec(tt.info)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSpec(%q) error = %v, want one containing %q", tt.info, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", tt.info, got, err, tt.want)
			}
			// The spec writes itself back as it was read.
			again, err := ParseSpec(Keyword + " " + got.String())
			if err != nil || again != got {
				t.Errorf("round trip of %q gave %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    map[string]Range
		wantErr string
	}{
		{
			name: "js and html comments, nested",
			file: "a\n// #region outer\nb\n<!-- #region inner -->\nc\n<!-- #endregion inner -->\nd\n// #endregion\ne",
			want: map[string]Range{"outer": {3, 7}, "inner": {5, 5}},
		},
		{name: "unclosed", file: "// #region a\nx", wantErr: `"a" is never closed`},
		{name: "stray end", file: "x\n// #endregion", wantErr: "without an open region"},
		{name: "wrong name", file: "// #region a\n// #endregion b", wantErr: `closes region "a"`},
		{name: "duplicate", file: "// #region a\n// #endregion\n// #region a\n// #endregion", wantErr: "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Regions(SplitLines([]byte(tt.file)))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Regions = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestChangedLinesIgnoresMarkers(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		existed  bool
		want     []int
	}{
		{name: "one line changed", old: "a\nb\nc", new: "a\nB\nc", existed: true, want: []int{2}},
		{name: "lines inserted", old: "a\nc", new: "a\nb1\nb2\nc", existed: true, want: []int{2, 3}},
		{name: "only a removal", old: "a\nb\nc", new: "a\nc", existed: true, want: nil},
		{name: "markers added around code", old: "a\nb", new: "// #region r\na\nb\n// #endregion", existed: true, want: nil},
		{name: "markers and a change", old: "a\nb", new: "a\n// #region r\nB\n// #endregion", existed: true, want: []int{3}},
		{name: "new file", new: "x\n// #region r\ny\n// #endregion", existed: false, want: []int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ChangedLines(SplitLines([]byte(tt.old)), SplitLines([]byte(tt.new)), tt.existed)
			var nums []int
			for n := range got {
				nums = append(nums, n)
			}
			slices.Sort(nums)
			if !slices.Equal(nums, tt.want) {
				t.Errorf("changed lines = %v, want %v", nums, tt.want)
			}
		})
	}
}

func TestHunksKeepThreeLinesOfContext(t *testing.T) {
	old := SplitLines([]byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20"))
	new := slices.Clone(old)
	new[1] = "two"  // line 2
	new[16] = "17!" // line 17: far away, a second hunk
	hunks := Hunks(Diff(old, new), 3)
	if len(hunks) != 2 {
		t.Fatalf("got %d hunks, want 2: %v", len(hunks), hunks)
	}
	if first := hunks[0]; first[0].Old != 1 || first[len(first)-1].Old != 5 {
		t.Errorf("first hunk spans old lines %d-%d, want 1-5", first[0].Old, first[len(first)-1].Old)
	}
	if second := hunks[1]; second[0].New != 14 || second[len(second)-1].New != 20 {
		t.Errorf("second hunk spans new lines %d-%d, want 14-20", second[0].New, second[len(second)-1].New)
	}
	new[7], new[11] = "8!", "12!" // no more than 6 unchanged lines between changes: one hunk
	if hunks := Hunks(Diff(old, new), 3); len(hunks) != 1 {
		t.Errorf("changes 2, 8, 12 and 17 gave %d hunks, want 1", len(hunks))
	}
}

// fixture is a small chapter: a worker file that grows over three steps.
func fixture() MapSource {
	v0 := "self.addEventListener('fetch', e => {});\n"
	v1 := v0 + "// #region sync-handler\nself.addEventListener('sync', event => {\n  console.log(event.tag);\n});\n// #endregion\n"
	v2 := v0 + "// #region sync-handler\nself.addEventListener('sync', event => {\n  if (event.tag === 'sync-new-post') {\n    console.log(event.tag);\n  }\n});\n// #endregion sync-handler\n"
	return MapSource{
		"00": fstest.MapFS{"sw.js": {Data: []byte(v0)}, "index.html": {Data: []byte("<p>hi</p>\n")}},
		"01": fstest.MapFS{"sw.js": {Data: []byte(v1)}, "index.html": {Data: []byte("<p>hi</p>\n")}, "new.js": {Data: []byte("let a = 1;\nlet b = 2;\n")}},
		"02": fstest.MapFS{"sw.js": {Data: []byte(v2)}, "index.html": {Data: []byte("<p>hi</p>\n")}, "new.js": {Data: []byte("let a = 1;\nlet b = 2;\n")}},
	}
}

func TestLoad(t *testing.T) {
	lib, err := New(fixture())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		spec        Spec
		wantLines   []int
		wantChanged []int
		wantErr     string
	}{
		{name: "region, all new in its step", spec: Spec{Step: "01", File: "sw.js", Region: "sync-handler"}, wantLines: []int{3, 4, 5}, wantChanged: []int{3, 4, 5}},
		{name: "region, changed lines only", spec: Spec{Step: "02", File: "sw.js", Region: "sync-handler"}, wantLines: []int{3, 4, 5, 6, 7}, wantChanged: []int{4, 5, 6}},
		{name: "lines skip markers", spec: Spec{Step: "02", File: "sw.js", From: 1, To: 4}, wantLines: []int{1, 3, 4}, wantChanged: []int{4}},
		{name: "first checkpoint changes nothing", spec: Spec{Step: "00", File: "sw.js", From: 1, To: 1}, wantLines: []int{1}},
		{name: "new file", spec: Spec{Step: "01", File: "new.js", From: 1, To: 2}, wantLines: []int{1, 2}, wantChanged: []int{1, 2}},
		{name: "unchanged file", spec: Spec{Step: "02", File: "new.js", From: 1, To: 2}, wantLines: []int{1, 2}},
		{name: "missing region", spec: Spec{Step: "02", File: "sw.js", Region: "nope"}, wantErr: `no region "nope" (its regions: sync-handler)`},
		{name: "missing file", spec: Spec{Step: "00", File: "new.js", From: 1, To: 1}, wantErr: "checkpoint 00 has no file new.js"},
		{name: "missing step", spec: Spec{Step: "09", File: "sw.js", From: 1, To: 1}, wantErr: `no checkpoint "09"`},
		{name: "lines past the end", spec: Spec{Step: "00", File: "sw.js", From: 1, To: 5}, wantErr: "has 1 lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := lib.Load(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var nums []int
			for _, ln := range l.Lines {
				nums = append(nums, ln.Number)
				if IsMarker(ln.Text) {
					t.Errorf("line %d is a marker and is shown: %q", ln.Number, ln.Text)
				}
			}
			if !slices.Equal(nums, tt.wantLines) {
				t.Errorf("lines %v, want %v", nums, tt.wantLines)
			}
			if got := l.Changed(); !slices.Equal(got, tt.wantChanged) {
				t.Errorf("changed %v, want %v", got, tt.wantChanged)
			}
		})
	}
}

func TestStepDiffAgreesWithListings(t *testing.T) {
	lib, err := New(fixture())
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range lib.Steps() {
		diffs, err := lib.StepDiff(step)
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]FileDiff{}
		for _, d := range diffs {
			byPath[d.Path] = d
		}
		if step == "02" && len(diffs) != 1 {
			t.Errorf("step 02 changes %d files, want 1 (sw.js)", len(diffs))
		}
		l, err := lib.Load(Spec{Step: step, File: "sw.js", From: 1, To: len(SplitLines(mustRead(t, lib, step, "sw.js")))})
		if err != nil {
			t.Fatal(err)
		}
		added := byPath["sw.js"].AddedLines()
		for _, ln := range l.Lines {
			if ln.Changed != added[ln.Number] {
				t.Errorf("step %s line %d: listing marks changed=%v, diff adds it=%v", step, ln.Number, ln.Changed, added[ln.Number])
			}
		}
	}
}

func mustRead(t *testing.T, lib *Library, step, name string) []byte {
	t.Helper()
	f, err := lib.read(step, name)
	if err != nil {
		t.Fatal(err)
	}
	return f.raw
}

func TestHTMLStepsThroughChangedBlocks(t *testing.T) {
	lib, err := New(MapSource{
		"00": fstest.MapFS{"a.js": {Data: []byte("a\nb\nc\nd\ne\n")}},
		"01": fstest.MapFS{"a.js": {Data: []byte("A\nb\nc\nD\nE\n")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := lib.Load(Spec{Step: "01", File: "a.js", From: 1, To: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rangesString(l.Blocks()), "1,4-5"; got != want {
		t.Fatalf("blocks %s, want %s", got, want)
	}
	course := string(l.HTML(HTMLOptions{}))
	if strings.Contains(course, "fragment") || strings.Count(course, `class="line hl"`) != 3 {
		t.Errorf("course listing: want 3 marked lines and no fragments:\n%s", course)
	}
	slides := string(l.HTML(HTMLOptions{Steps: true}))
	if !strings.Contains(slides, `data-line-numbers="1,4-5|1|4-5"`) {
		t.Errorf("slide listing lacks the step list:\n%s", slides)
	}
	if n := strings.Count(slides, "fragment current-visible"); n != 2 {
		t.Errorf("slide listing has %d fragments, want 2 (one per block)", n)
	}
	if !strings.Contains(course, `<span class="ln">1</span>`) || !strings.Contains(course, `data-line="5"`) {
		t.Errorf("line numbers missing:\n%s", course)
	}
}

func TestHighlightUsesChroma(t *testing.T) {
	got := highlight("sw.js", []string{"const x = 'a';", "// note"})
	if !strings.Contains(string(got[0]), `">const</span>`) || !strings.Contains(string(got[1]), `class="c1"`) {
		t.Errorf("highlighted = %q", got)
	}
	if Language("index.html") != "HTML" || Language("sw.js") != "JavaScript" {
		t.Errorf("languages: %s, %s", Language("index.html"), Language("sw.js"))
	}
}
