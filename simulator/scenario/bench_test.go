package scenario_test

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"synclab/frontend"
	"synclab/frontend/studentapp"
	"testing"
	"time"

	"synclab/simulator/browser"
	"synclab/simulator/scenario"
	"synclab/simulator/session"
)

func reportMedian(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	if len(durations) > 0 {
		b.ReportMetric(float64(durations[len(durations)/2].Milliseconds()), "ms-median")
	}
}

// BenchmarkOfflineReplayWithBrowserStart: the replay check (with the parts it builds on) end to
// end, browser start and shutdown included.
func BenchmarkOfflineReplayWithBrowserStart(b *testing.B) {
	ctx := context.Background()
	app := checkpoint(b, "07")
	sc, _ := scenario.Find("replay")
	var durations []time.Duration
	var peak float64
	for b.Loop() {
		start := time.Now()
		br, err := browser.Launch(ctx, browser.Options{})
		if err != nil {
			b.Fatal(err)
		}
		stop := br.PeakPSS(500 * time.Millisecond)
		r := scenario.Run(ctx, br, app, sc, scenario.Options{})
		peak = max(peak, float64(stop())/(1<<20))
		br.Close()
		if !r.Passed {
			b.Fatal(r.Err)
		}
		durations = append(durations, time.Since(start))
	}
	reportMedian(b, durations)
	b.ReportMetric(peak, "MiB-browser-peak")
}

// BenchmarkOfflineReplaySharedBrowser: the same scenario in a fresh browser
// context of a browser that is already running.
func BenchmarkOfflineReplaySharedBrowser(b *testing.B) {
	ctx := context.Background()
	app := checkpoint(b, "07")
	sc, _ := scenario.Find("replay")
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		r := scenario.Run(ctx, shared, app, sc, scenario.Options{})
		if !r.Passed {
			b.Fatal(r.Err)
		}
		durations = append(durations, time.Since(start))
	}
	reportMedian(b, durations)
}

// BenchmarkMatrix: every scenario on every checkpoint with one browser and
// an isolated context per run, three at a time.
func BenchmarkMatrix(b *testing.B) {
	ctx := context.Background()
	steps := checkpoints(b)
	var peak float64
	runs := 0
	for b.Loop() {
		stop := shared.PeakPSS(500 * time.Millisecond)
		sem := make(chan struct{}, 3)
		var wg sync.WaitGroup
		for _, sc := range scenarios(b) {
			for _, st := range steps {
				app := checkpoint(b, st.ID)
				wg.Add(1)
				runs++
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					r := scenario.Run(ctx, shared, app, sc, scenario.Options{Session: session.Config{Timeout: 3 * time.Second}})
					if r.Passed != sc.ShouldPass(st.ID) || r.Environment {
						b.Errorf("%s on %s: passed=%v: %v", sc.Name, st.ID, r.Passed, r.Err)
					}
				}()
			}
		}
		wg.Wait()
		peak = max(peak, float64(stop())/(1<<20))
	}
	b.ReportMetric(float64(runs)/float64(b.N), "runs/op")
	b.ReportMetric(peak, "MiB-browser-peak")
}

// BenchmarkOfflineReplayCourseStyle runs the replay check on checkpoint 07
// and on the course-style app made from it (CDN links answered by the
// mirror, the course's layout) in turns, in one browser, and reports both
// medians and how much longer the course-style app takes.
func BenchmarkOfflineReplayCourseStyle(b *testing.B) {
	ctx := context.Background()
	cdn := loadMirror(b)
	clean := checkpoint(b, "07")
	v, err := vendor()
	if err != nil {
		b.Fatal(err)
	}
	course, _, err := frontend.StudentFolder(studentApp(b, "07", studentapp.CDN()), v)
	if err != nil {
		b.Fatal(err)
	}
	sc, _ := scenario.Find("replay")
	var onClean, onCourse []time.Duration
	run := func(app fs.FS) time.Duration {
		start := time.Now()
		r := scenario.Run(ctx, shared, app, sc, scenario.Options{Session: session.Config{Mirror: cdn}})
		d := time.Since(start)
		if !r.Passed {
			b.Fatalf("replay failed: %v", r.Err)
		}
		return d
	}
	for b.Loop() {
		onClean = append(onClean, run(clean))
		onCourse = append(onCourse, run(course))
	}
	slices.Sort(onClean)
	slices.Sort(onCourse)
	mc, mo := onClean[len(onClean)/2], onCourse[len(onCourse)/2]
	b.ReportMetric(float64(mc.Milliseconds()), "ms-median-07")
	b.ReportMetric(float64(mo.Milliseconds()), "ms-median-course-style")
	b.ReportMetric(100*(float64(mo)/float64(mc)-1), "%-longer")
}
