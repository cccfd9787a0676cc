package grading_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"synclab/checks/catalog"
	"synclab/checks/grading"
	"synclab/checks/runner"
	"synclab/frontend"
	"synclab/frontend/mirror"
	"synclab/frontend/studentapp"
	"synclab/simulator/browser"
	"synclab/simulator/session"
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
	for _, f := range seededMistakes() {
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
	for _, jobs := range benchJobs(b) {
		b.Run(jobs.String(), func(b *testing.B) {
			for b.Loop() {
				grades, d, cpu, mem := gradeInFreshBrowser(ctx, b, m, checks, dir, jobs)
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
				b.ReportMetric(cpu.Total().Seconds(), "CPU-s-class")
				b.ReportMetric(cpu.Go.Seconds(), "CPU-s-go-class")
				b.ReportMetric(mem, "MiB-browser-peak")
				b.ReportMetric(float64(notGraded), "not-graded")
				b.ReportMetric(float64(flaky), "flaky-checks")
			}
		})
	}
}

// BenchmarkGradeCost grades six correct apps (three checkpoint 07 with the
// course's CDN links, three of the course's own app) and ten apps with one
// seeded mistake each, as separate classes, and reports what each
// submission costs: wall time, CPU-seconds of the whole process tree (the
// test process and the browser with every renderer), the slowest
// submission and the browser's peak memory. SYNCLAB_BENCH_JOBS lists the
// -j values to measure (default: 1 and the default -j). Run it alone:
// go test -run '^$' -bench GradeCost -benchtime 1x -timeout 30m ./checks/grading
func BenchmarkGradeCost(b *testing.B) {
	ctx := context.Background()
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
	classes := map[string]func(dir string) error{
		"correct": func(dir string) error {
			for i := range 3 {
				if err := studentapp.Write(filepath.Join(dir, fmt.Sprintf("checkpoint-%d", i)), "07", studentapp.CDN()); err != nil {
					return err
				}
				if err := studentapp.Write(filepath.Join(dir, fmt.Sprintf("course-app-%d", i)), studentapp.CourseApp); err != nil {
					return err
				}
			}
			return nil
		},
		"faults": func(dir string) error {
			for i, f := range seededMistakes() {
				if err := studentapp.Write(filepath.Join(dir, fmt.Sprintf("fault-%02d", i)), "07", studentapp.CDN(), f); err != nil {
					return err
				}
			}
			return nil
		},
	}
	for _, name := range []string{"correct", "faults"} {
		dir := b.TempDir()
		if err := classes[name](dir); err != nil {
			b.Fatal(err)
		}
		for _, jobs := range benchJobs(b) {
			b.Run(name+"/"+jobs.String(), func(b *testing.B) {
				for b.Loop() {
					grades, d, cpu, mem := gradeInFreshBrowser(ctx, b, m, checks, dir, jobs)
					var slowest time.Duration
					for _, g := range grades {
						slowest = max(slowest, g.Duration)
						if g.Status != grading.Graded {
							b.Errorf("%s: %s (%s)", g.Submission.Name, g.Status, g.Reason.EN)
						}
						b.Logf("%-12s %5.1f s  %v of %v points  flaky %v", g.Submission.Name, g.Duration.Seconds(), g.Points, g.Max, g.FlakyIDs())
					}
					n := float64(len(grades))
					b.ReportMetric(d.Seconds(), "s-class")
					b.ReportMetric(cpu.Total().Seconds()/n, "CPU-s/submission")
					b.ReportMetric(cpu.Go.Seconds()/n, "CPU-s-go/submission")
					b.ReportMetric(slowest.Seconds(), "s-slowest")
					b.ReportMetric(mem, "MiB-browser-peak")
				}
			})
		}
	}
}

// seededMistakes are the ten apps with one mistake each that the class
// holds.
func seededMistakes() []studentapp.Variant {
	return []studentapp.Variant{studentapp.TagMismatch(), studentapp.WrongTagRegistered(), studentapp.KeyPathDiffers(),
		studentapp.NoFallback(), studentapp.NoSnackbar(), studentapp.FormDataWithoutFile(), studentapp.RecordWithoutPhoto(),
		studentapp.WrongStoreInWorker(), studentapp.DeleteWithoutOK(), studentapp.NoRegister()}
}

// benchJob is one way to run submissions side by side: a fixed -j, or
// the default (the admission, at most jobs at once).
type benchJob struct {
	jobs int
	auto bool
}

func (j benchJob) String() string {
	if j.auto {
		return "j=auto"
	}
	return fmt.Sprintf("j=%d", j.jobs)
}

// config is the grading's way to run submissions side by side.
func (j benchJob) config(b *testing.B, cfg grading.Config) grading.Config {
	cfg.Jobs = j.jobs
	if j.auto {
		a, ok := grading.NewAdmission()
		if !ok {
			b.Skip("the processor's load cannot be read here: no admission")
		}
		// SYNCLAB_BENCH_ADMIT="0.35,1s" tries another idle share and
		// spacing than the default's.
		if v := os.Getenv("SYNCLAB_BENCH_ADMIT"); v != "" {
			idle, spacing, _ := strings.Cut(v, ",")
			var err error
			if a.MinIdle, err = strconv.ParseFloat(idle, 64); err != nil {
				b.Fatalf("SYNCLAB_BENCH_ADMIT=%q: %v", v, err)
			}
			if a.Spacing, err = time.ParseDuration(spacing); err != nil {
				b.Fatalf("SYNCLAB_BENCH_ADMIT=%q: %v", v, err)
			}
		}
		cfg.Admit = a
	}
	return cfg
}

// benchJobs are the -j values to measure: SYNCLAB_BENCH_JOBS ("1,3,auto")
// or 1 and the default (auto).
func benchJobs(b *testing.B) []benchJob {
	v := os.Getenv("SYNCLAB_BENCH_JOBS")
	if v == "" {
		v = "1,auto"
	}
	var out []benchJob
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "auto" {
			out = append(out, benchJob{jobs: grading.DefaultJobs(), auto: true})
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			b.Fatalf("SYNCLAB_BENCH_JOBS=%q: %q is neither a number of jobs nor auto", v, f)
		}
		out = append(out, benchJob{jobs: n})
	}
	return out
}

// cpuSplit is the processor time of a grading: Chromium's processes and
// this Go process (sessions, backends, the embedded database, CDP).
type cpuSplit struct{ Browser, Go time.Duration }

// Total is the processor time of both.
func (c cpuSplit) Total() time.Duration { return c.Browser + c.Go }

// selfCPU is the processor time this process has used (user and system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gradeInFreshBrowser grades the submissions in dir with jobs at once in
// a browser started for it (as the command does) and returns the grades,
// the wall time, the CPU time of the browser and this process, and the
// browser's peak memory in MiB.
func gradeInFreshBrowser(ctx context.Context, b *testing.B, m *mirror.Mirror, checks []catalog.Check, dir string, jobs benchJob) ([]grading.Grade, time.Duration, cpuSplit, float64) {
	b.Helper()
	br, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	stop := br.PeakPSS(time.Second)
	env := runner.Env{Session: session.Config{Browser: br, Mirror: m}, Parallel: 1, CloseLater: runner.CloseInBackground}
	if jobs.jobs == 1 && !jobs.auto {
		env.Parallel = runner.DefaultParallel()
	}
	subs, err := grading.Collect(ctx, []string{dir}, b.TempDir(), grading.CollectOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cpu0, self0 := br.CPUTime(), selfCPU()
	start := time.Now()
	grades, err := grading.GradeAll(ctx, jobs.config(b, grading.Config{Env: env, Checks: checks, Retries: 2, FlakyReruns: 1}), subs)
	d := time.Since(start)
	cpu := cpuSplit{Browser: br.CPUTime() - cpu0, Go: selfCPU() - self0}
	mem := float64(stop()) / (1 << 20)
	br.Close()
	if err != nil {
		b.Fatal(err)
	}
	return grades, d, cpu, mem
}
