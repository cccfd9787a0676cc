package grading

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestAdmission: the cores' worth of submissions start at once; one more
// starts only while the processor idles enough, never two in one spacing,
// never beyond Most; a finished one makes room; a cancelled wait says so.
func TestAdmission(t *testing.T) {
	type step struct {
		idle    float64 // what the processor reports from now on
		known   bool
		release int           // submissions that finish first
		wait    time.Duration // how long Acquire may take (it returns once admitted)
		admit   bool
		atOnce  bool // without polling
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"the cores start at once, busy or not", []step{
			{idle: 0, known: true, wait: 2 * time.Second, admit: true, atOnce: true},
			{idle: 0, known: true, wait: 2 * time.Second, admit: true, atOnce: true},
		}},
		{"a third waits while the processor is busy", []step{
			{known: true, wait: 2 * time.Second, admit: true},
			{known: true, wait: 2 * time.Second, admit: true},
			{idle: 0.1, known: true, wait: 300 * time.Millisecond, admit: false},
		}},
		{"a third starts when the processor idles", []step{
			{known: true, wait: 2 * time.Second, admit: true},
			{known: true, wait: 2 * time.Second, admit: true},
			{idle: 0.6, known: true, wait: 2 * time.Second, admit: true},
		}},
		{"not while the load cannot be read", []step{
			{known: false, wait: 2 * time.Second, admit: true},
			{known: false, wait: 2 * time.Second, admit: true},
			{idle: 0.9, known: false, wait: 300 * time.Millisecond, admit: false},
		}},
		{"never beyond Most", []step{
			{idle: 1, known: true, wait: 2 * time.Second, admit: true},
			{idle: 1, known: true, wait: 2 * time.Second, admit: true},
			{idle: 1, known: true, wait: 2 * time.Second, admit: true},
			{idle: 1, known: true, wait: 2 * time.Second, admit: true},
			{idle: 1, known: true, wait: 300 * time.Millisecond, admit: false},
		}},
		{"a finished submission makes room", []step{
			{known: true, wait: 2 * time.Second, admit: true},
			{known: true, wait: 2 * time.Second, admit: true},
			{idle: 0, known: true, release: 1, wait: 2 * time.Second, admit: true, atOnce: true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu    sync.Mutex
				idle  float64
				known bool
			)
			a := &Admission{Base: 2, Most: 4, MinIdle: 0.25, Spacing: 100 * time.Millisecond, Poll: 10 * time.Millisecond,
				Idle: func() (float64, bool) { mu.Lock(); defer mu.Unlock(); return idle, known }}
			var starts []time.Time
			for i, st := range tc.steps {
				mu.Lock()
				idle, known = st.idle, st.known
				mu.Unlock()
				for range st.release {
					a.Release()
				}
				ctx, cancel := context.WithTimeout(context.Background(), st.wait)
				began := time.Now()
				err := a.Acquire(ctx)
				took := time.Since(began)
				cancel()
				if st.atOnce && took >= a.Spacing {
					t.Errorf("start %d took %v: it should not wait for the processor", i+1, took)
				}
				if got := err == nil; got != st.admit {
					t.Fatalf("start %d: admitted=%v (%v), want %v", i+1, got, err, st.admit)
				}
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("start %d: a cancelled wait says %v", i+1, err)
				}
				if err == nil {
					a.mu.Lock()
					starts = append(starts, a.last) // when it was admitted
					a.mu.Unlock()
				}
			}
			// Starts beyond the cores keep their spacing.
			for i := 3; i < len(starts); i++ {
				if gap := starts[i].Sub(starts[i-1]); gap < a.Spacing {
					t.Errorf("starts %d and %d came %v apart, less than the spacing %v", i, i+1, gap, a.Spacing)
				}
			}
		})
	}
}

// TestProcStat reads the idle share between two samples of /proc/stat's
// first line (user nice system idle iowait …).
func TestProcStat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stat")
	write := func(line string) {
		if err := os.WriteFile(path, []byte(line+"\ncpu0 1 2 3 4\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := &procStat{path: path}
	write("cpu  100 0 50 800 50 0 0 0 0 0")
	if _, ok := p.idle(); ok {
		t.Fatal("the first sample has nothing to compare with")
	}
	// 100 more jiffies: 30 user, 10 system, 50 idle, 10 waiting.
	write("cpu  130 0 60 850 60 0 0 0 0 0")
	share, ok := p.idle()
	if !ok || share < 0.599 || share > 0.601 {
		t.Fatalf("idle share %v (%v), want 0.6", share, ok)
	}
	if _, ok := p.idle(); ok {
		t.Fatal("no time passed, yet an idle share was given")
	}
	write("garbage")
	if _, ok := p.idle(); ok {
		t.Fatal("an unreadable line gave an idle share")
	}
	// On this machine (Linux) the real file reads.
	if _, err := os.Stat("/proc/stat"); err == nil {
		real := &procStat{path: "/proc/stat"}
		real.idle()
		time.Sleep(50 * time.Millisecond)
		if share, ok := real.idle(); !ok || share < 0 || share > 1 {
			t.Fatalf("/proc/stat gave %v (%v)", share, ok)
		}
	}
}

// TestNewAdmission: the admission reads the machine's load only where it
// is this process's: not in a container limited to fewer cores than the
// machine shows, not without a readable /proc/stat.
func TestNewAdmission(t *testing.T) {
	stat := filepath.Join(t.TempDir(), "stat")
	if err := os.WriteFile(stat, []byte("cpu  100 0 50 800 50 0 0 0 0 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name              string
		cores, cpus       int
		stat              string
		ok                bool
		wantBase, wantMax int
	}{
		{"two cores", 2, 2, stat, true, 2, 4},
		{"eight cores", 8, 8, stat, true, 8, 10},
		{"a container limited to 2 of 64", 2, 64, stat, false, 0, 0},
		{"no /proc/stat", 2, 2, filepath.Join(t.TempDir(), "missing"), false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := newAdmission(tc.cores, tc.cpus, tc.stat)
			if ok != tc.ok {
				t.Fatalf("ok=%v, want %v", ok, tc.ok)
			}
			if ok && (a.Base != tc.wantBase || a.Most != tc.wantMax) {
				t.Errorf("base %d, most %d; want %d, %d", a.Base, a.Most, tc.wantBase, tc.wantMax)
			}
		})
	}
}
