package grading_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/frontend/studentapp"
	"synclab/simulator/browser"
)

// class writes 30 mixed submissions: checkpoints 00–08 in the course's
// layout, seeded faults, course-style apps and hostile or broken ones.
func class(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	steps, err := frontend.Steps()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	add := func(name, step string, variants ...studentapp.Variant) {
		n++
		if err := studentapp.Write(filepath.Join(dir, fmt.Sprintf("%02d-%s", n, name)), step, variants...); err != nil {
			b.Fatal(err)
		}
	}
	for _, st := range steps {
		add("checkpoint-"+st.ID, st.ID)
	}
	for _, f := range []studentapp.Variant{studentapp.TagMismatch(), studentapp.WrongTagRegistered(), studentapp.KeyPathDiffers(),
		studentapp.NoFallback(), studentapp.NoSnackbar(), studentapp.FormDataWithoutFile(), studentapp.RecordWithoutPhoto(),
		studentapp.WrongStoreInWorker(), studentapp.DeleteWithoutOK(), studentapp.NoRegister()} {
		add("fault", "07", studentapp.CDN(), f)
	}
	for range 3 {
		add("course-style", "07", studentapp.CDN())
	}
	for _, runaway := range []studentapp.Variant{studentapp.LoopingWorker(), studentapp.RequestFlood(), studentapp.MemoryHog()} {
		add("runaway", "07", studentapp.CDN(), runaway)
	}
	writeZip(b, filepath.Join(dir, "27-escape.zip"), entry{name: "../../x.txt", body: []byte("x")})
	writeZip(b, filepath.Join(dir, "28-bomb.zip"), entry{name: "index.html", body: make([]byte, 8<<20)})
	mkfile(b, filepath.Join(dir, "29-empty", "README.md"), "nothing")
	mkfile(b, filepath.Join(dir, "30-garbage.zip"), "\x00\x01\x02")
	return dir
}

// BenchmarkGradeClass grades 30 mixed submissions (the whole chapter's
// checks) with one submission at a time and with the default number at
// once, and reports seconds per submission and the browser's peak memory.
func BenchmarkGradeClass(b *testing.B) {
	ctx := context.Background()
	dir := class(b)
	cat, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	checks, err := cat.Select(catalog.Selection{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := mirror.Load(ctx, frontend.VendorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	for _, jobs := range []int{1, runner.DefaultParallel()} {
		b.Run(fmt.Sprintf("j=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				br, err := browser.Launch(ctx, browser.Options{})
				if err != nil {
					b.Fatal(err)
				}
				stop := br.PeakPSS(time.Second)
				env := runner.Env{Browser: br, Mirror: m, Parallel: 1, CloseLater: runner.CloseInBackground}
				if jobs == 1 {
					env.Parallel = runner.DefaultParallel()
				}
				subs, err := grading.Collect(ctx, []string{dir}, b.TempDir(), grading.CollectOptions{})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				grades, err := grading.GradeAll(ctx, grading.Config{Env: env, Checks: checks, Jobs: jobs, Retries: 2, FlakyReruns: 1}, subs)
				d := time.Since(start)
				mem := float64(stop()) / (1 << 20)
				br.Close()
				if err != nil {
					b.Fatal(err)
				}
				notGraded, flaky := 0, 0
				for _, g := range grades {
					if g.Status == grading.NotGraded {
						notGraded++
					}
					flaky += len(g.Flaky)
					for _, f := range g.Flaky {
						b.Logf("flaky in %s: %s", g.Submission.Name, f)
					}
				}
				b.ReportMetric(d.Seconds(), "s-class")
				b.ReportMetric(d.Seconds()/float64(len(grades)), "s/submission")
				b.ReportMetric(mem, "MiB-browser-peak")
				b.ReportMetric(float64(notGraded), "not-graded")
				b.ReportMetric(float64(flaky), "flaky-checks")
			}
		})
	}
}
