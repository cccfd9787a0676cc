package grading

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Admission starts submissions as the processor has room for them: as
// many as the machine has cores at any time, and more, up to Most, only
// while the processor has been idle for at least MinIdle of the last
// moment (a failing app waiting for its verdict, a correct one waiting
// for its sync). A fixed number above the cores keeps the processor as
// busy but makes every submission share it more; below, it idles while
// the submissions wait.
type Admission struct {
	// Base submissions always run; Most at most.
	Base, Most int
	// MinIdle is the processor's idle share (0–1) over the last Poll that
	// lets one more than Base start.
	MinIdle float64
	// Spacing is the least time between two starts beyond Base: a new
	// submission's own start shows in the load only after a moment.
	Spacing time.Duration
	// Poll is how often a waiting start looks at the processor again.
	Poll time.Duration
	// Idle returns the processor's idle share since its last call, or
	// false when it cannot tell.
	Idle func() (float64, bool)

	mu      sync.Mutex
	running int
	last    time.Time
}

// NewAdmission returns the admission measured on two cores (see
// GRADING.md): the cores always, up to DefaultJobs while the processor
// idles at least a quarter of the time, a start beyond the cores at most
// every 0.75 s. It returns false where the processor's load cannot be read
// (not Linux) or is not this process's to read (a container limited to
// fewer cores than the machine has, where /proc/stat shows the whole
// machine): grading then takes DefaultJobs at once.
func NewAdmission() (*Admission, bool) {
	return newAdmission(runtime.GOMAXPROCS(0), runtime.NumCPU(), "/proc/stat")
}

// newAdmission is NewAdmission for cores usable by this process (Go's
// GOMAXPROCS follows a container's limit), cpus on the machine and the
// file the load is read from.
func newAdmission(cores, cpus int, stat string) (*Admission, bool) {
	if cores < cpus {
		return nil, false
	}
	cpu := &procStat{path: stat}
	if _, _, err := cpu.read(); err != nil {
		return nil, false
	}
	return &Admission{
		Base:    cores,
		Most:    jobsFor(cores),
		MinIdle: 0.25,
		Spacing: 750 * time.Millisecond,
		Poll:    200 * time.Millisecond,
		Idle:    cpu.idle,
	}, true
}

// Acquire waits until one more submission may start; it returns ctx's
// error when ctx ends first.
func (a *Admission) Acquire(ctx context.Context) error {
	for {
		a.mu.Lock()
		admit := a.running < a.Base
		if !admit && a.running < a.Most && time.Since(a.last) >= a.Spacing {
			share, ok := a.Idle()
			admit = ok && share >= a.MinIdle
		}
		if admit {
			a.running++
			a.last = time.Now()
			// What the processor did before this start says nothing
			// about the load with it.
			a.Idle()
		}
		a.mu.Unlock()
		if admit {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(a.Poll):
		}
	}
}

// Release says that a submission finished.
func (a *Admission) Release() {
	a.mu.Lock()
	a.running--
	a.mu.Unlock()
}

// procStat reads the processor's time from /proc/stat.
type procStat struct {
	path                string
	mu                  sync.Mutex
	lastTotal, lastIdle uint64
	primed              bool
}

// read returns the jiffies all cores spent in total and idle (waiting for
// input or output counts as idle).
func (p *procStat) read() (total, idle uint64, err error) {
	b, err := os.ReadFile(p.path)
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 6 || fields[0] != "cpu" {
		return 0, 0, fmt.Errorf("%s: no cpu line", p.path)
	}
	// user nice system idle iowait irq softirq steal (guest time is
	// already in user).
	for i, f := range fields[1:min(len(fields), 9)] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", p.path, err)
		}
		total += n
		if i == 3 || i == 4 {
			idle += n
		}
	}
	return total, idle, nil
}

// idle returns the idle share since the last call (false on the first
// call, when nothing passed, or when /proc/stat cannot be read).
func (p *procStat) idle() (float64, bool) {
	total, idle, err := p.read()
	if err != nil {
		return 0, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	lastTotal, lastIdle, primed := p.lastTotal, p.lastIdle, p.primed
	p.lastTotal, p.lastIdle, p.primed = total, idle, true
	if !primed || total <= lastTotal || idle < lastIdle {
		return 0, false
	}
	return float64(idle-lastIdle) / float64(total-lastTotal), true
}
