package screens

import (
	"context"
	"io/fs"
	"testing"

	"synclab/course/listing"
	"synclab/frontend"
)

// BenchmarkScreenshots makes every picture as go run ./course -pictures
// does (browser start included), into a temporary folder. Target: under
// 60 s. Run it alone: go test -run '^$' -bench Screenshots -benchtime 1x
// ./course/screens
func BenchmarkScreenshots(b *testing.B) {
	ctx := context.Background()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		err := Generate(ctx, b.TempDir(), GenerateOptions{
			Source: listing.Frontend(),
			App:    func(step string) (fs.FS, error) { return frontend.App(step, vendor) },
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/all-pictures")
}
