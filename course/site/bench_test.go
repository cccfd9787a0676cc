package site

import (
	"context"
	"testing"
)

// BenchmarkBuildSite builds the whole site as go run ./course -out does:
// both languages, the step browser with its ZIPs, both decks, the
// pictures (already made). Target: under 3 s per build.
func BenchmarkBuildSite(b *testing.B) {
	ctx := context.Background()
	files := 0
	for b.Loop() {
		src, err := RepoSources(ctx, RepoOptions{})
		if err != nil {
			b.Fatal(err)
		}
		s, err := Build(ctx, src, Options{})
		if err != nil {
			b.Fatal(err)
		}
		files = len(s.Paths())
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	b.ReportMetric(float64(files), "files")
}
