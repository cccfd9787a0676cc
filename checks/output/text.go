// Package output renders the checks' results: text for a terminal (live,
// with a spinner and colours when it is one), JSON, JUnit XML and HTML.
package output

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"synclab/checks/runner"
	"synclab/simulator/report"
)

// Options tune the text output.
type Options struct {
	Lang string
	// Verbose shows the hints and help of passed checks too.
	Verbose bool
	// Color uses ANSI colours (on a terminal).
	Color bool
	// Robust says whether the robust group ran (for the next step).
	Robust bool
	// Versions names the Sync Lab and browser that ran the checks; every
	// output records them.
	Versions Versions
	// LeftOut lists the checks the run left out because the student does
	// not see them yet (their visibility is not "visible").
	LeftOut []string
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func paint(on bool, code, s string) string {
	if !on {
		return s
	}
	return "\033[" + code + "m" + s + "\033[0m"
}

func points(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// Check writes one check's verdict: a line, and for a failure what was
// expected and seen, the hint and the evidence.
func Check(w io.Writer, r runner.Result, o Options) {
	t := lines()
	l := o.Lang
	mark, colour := "✓", "32"
	switch r.Status {
	case runner.Failed:
		mark, colour = "✗", "31"
	case runner.Skipped:
		mark, colour = "–", "33"
	case runner.Error:
		mark, colour = "!", "35"
	}
	score := fmt.Sprintf("%s/%s", points(r.Points), points(r.Max))
	fmt.Fprintf(w, "  %s %s %-72s %5s\n", paint(o.Color, colour, mark), r.Step, r.Title.In(l), score)
	indent := "      "
	switch r.Status {
	case runner.Skipped:
		fmt.Fprintf(w, indent+t.needs.In(l)+"\n", r.SkippedFor)
	case runner.Error:
		fmt.Fprintf(w, indent+"%s: %s\n", t.errored.In(l), r.MessageIn(l))
	case runner.Failed:
		if r.Expected.EN != "" {
			fmt.Fprintf(w, indent+"%-10s %s\n", t.expected.In(l)+":", r.Expected.In(l))
			fmt.Fprintf(w, indent+"%-10s %s\n", t.seen.In(l)+":", r.Seen.In(l))
		} else {
			fmt.Fprintf(w, indent+"%s\n", r.MessageIn(l))
		}
		if r.Hint != nil {
			fmt.Fprintf(w, indent+"%-10s %s\n", paint(o.Color, "1", t.hint.In(l)+":"), r.Hint.In(l))
		}
		if r.Observed != nil {
			fmt.Fprintf(w, indent+"%s:\n", t.observed.In(l))
			for _, ev := range report.EvidenceOf(*r.Observed, l) {
				fmt.Fprintf(w, indent+"  %s: %s\n", ev.Label, strings.Join(ev.Lines, " | "))
			}
		}
	}
	if o.Verbose && r.Status != runner.Failed {
		fmt.Fprintf(w, indent+"%s: %s\n", t.help.In(l), r.Help.In(l))
	}
}

// Summary writes the points, the counts, the notes and the next thing to do.
func Summary(w io.Writer, rep runner.Report, o Options) {
	t := lines()
	l := o.Lang
	var passed, failed, skipped int
	var first *runner.Result
	for i, r := range rep.Results {
		switch r.Status {
		case runner.Passed:
			passed++
		case runner.Error:
			// The checks could not run (the command says why): no next
			// step in the app's code follows from that.
			failed++
		case runner.Failed:
			failed++
			// The next thing to do is the earliest step that fails.
			if first == nil || r.Step < first.Step {
				first = &rep.Results[i]
			}
		case runner.Skipped:
			skipped++
		}
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w, t.notes.In(l))
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "  - %s\n", n.In(l))
		}
	}
	fmt.Fprintf(w, t.points.In(l)+" · "+t.summary.In(l)+"\n", paint(o.Color, "1", points(rep.Points)), points(rep.Max),
		passed, failed, skipped, rep.Duration.Round(100*time.Millisecond))
	switch {
	case rep.EnvironmentFailed():
	case first != nil && first.Hint != nil:
		fmt.Fprintf(w, t.next.In(l)+"\n", first.Title.In(l)+" — "+first.Hint.In(l))
	case first != nil:
		fmt.Fprintf(w, t.next.In(l)+"\n", first.Title.In(l)+" — "+first.Help.In(l))
	case skipped > 0:
	case o.Robust:
		fmt.Fprintln(w, t.allPassed.In(l))
	default:
		fmt.Fprintln(w, t.allRobust.In(l))
	}
	if len(o.LeftOut) > 0 {
		fmt.Fprintf(w, t.leftOut.In(l)+"\n", len(o.LeftOut), strings.Join(o.LeftOut, ", "))
	}
	if o.Versions.SyncLab != "" {
		fmt.Fprintln(w, paint(o.Color, "2", o.Versions.String()))
	}
}

// Live prints each verdict as it is known and, on a terminal, a spinner
// naming the check that is still running.
type Live struct {
	w       io.Writer
	o       Options
	tty     bool
	mu      sync.Mutex
	waiting string
	stop    chan struct{}
	done    sync.WaitGroup
}

// NewLive starts live output to w; waiting lists the checks' titles in order.
func NewLive(w io.Writer, o Options) *Live {
	lv := &Live{w: w, o: o, tty: IsTerminal(w), stop: make(chan struct{})}
	if lv.tty {
		lv.done.Add(1)
		go lv.spin()
	}
	return lv
}

// Waiting names the check the run waits for now.
func (lv *Live) Waiting(title string) {
	lv.mu.Lock()
	lv.waiting = title
	lv.mu.Unlock()
}

// Done prints a verdict.
func (lv *Live) Done(r runner.Result) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.tty {
		fmt.Fprint(lv.w, "\r\033[K")
	}
	Check(lv.w, r, lv.o)
}

// Stop ends the spinner.
func (lv *Live) Stop() {
	close(lv.stop)
	lv.done.Wait()
	if lv.tty {
		fmt.Fprint(lv.w, "\r\033[K")
	}
}

func (lv *Live) spin() {
	defer lv.done.Done()
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	for i := 0; ; i++ {
		select {
		case <-lv.stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
		lv.mu.Lock()
		if lv.waiting != "" {
			fmt.Fprintf(lv.w, "\r\033[K  %s "+lines().running.In(lv.o.Lang), frames[i%len(frames)], lv.waiting)
		}
		lv.mu.Unlock()
	}
}
