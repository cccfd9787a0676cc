// Package browser finds and starts Chrome or Chromium for the simulator:
// headless by default, a fresh profile, no request leaving the machine, and
// isolated browser contexts that each route the app's origins to their own
// servers.
package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"synclab/lang"
)

// JSHeapLimitMB is how much JavaScript memory a page or worker may hold
// before it runs out of memory and crashes (V8's old space).
const JSHeapLimitMB = 256

// PathEnv overrides which browser is started.
const PathEnv = "CHROME_PATH"

// NotFoundError says no browser could be found.
type NotFoundError struct{ Tried []string }

func (e *NotFoundError) Error() string { return e.Text().EN }

// Text is the error in both languages of the tools, with how to install a
// browser on this system.
func (e *NotFoundError) Text() lang.Text {
	hint := lang.Say("install Chrome or Chromium", "installiere Chrome oder Chromium")
	switch runtime.GOOS {
	case "linux":
		hint = lang.Say("install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or Google Chrome", "installiere Chromium (Debian/Ubuntu: sudo apt-get install chromium) oder Google Chrome")
	case "darwin":
		hint = lang.Say("install Google Chrome or Chromium (brew install --cask chromium)", "installiere Google Chrome oder Chromium (brew install --cask chromium)")
	case "windows":
		hint = lang.Say("install Google Chrome or use Microsoft Edge", "installiere Google Chrome oder nimm Microsoft Edge")
	}
	tried := strings.Join(e.Tried, ", ")
	return lang.Text{
		EN: fmt.Sprintf("no Chrome, Chromium or Edge found (looked at %s); %s, or set %s to the browser's executable", tried, hint.EN, PathEnv),
		DE: fmt.Sprintf("kein Chrome, Chromium oder Edge gefunden (gesucht: %s); %s oder setze %s auf das Programm des Browsers", tried, hint.DE, PathEnv),
	}
}

// BadPathError says CHROME_PATH names no executable.
type BadPathError struct{ Path string }

func (e *BadPathError) Error() string { return e.Text().EN }

// Text is the error in both languages of the tools.
func (e *BadPathError) Text() lang.Text {
	return lang.Say("%s=%s: no executable there; fix or unset it", "%s=%s: dort ist kein ausführbares Programm; korrigiere oder entferne die Variable", PathEnv, e.Path)
}

// candidates lists where browsers live on each system, best first.
func candidates(goos string) []string {
	switch goos {
	case "darwin":
		return []string{
			"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
			"/Applications/Chromium.app/Contents/MacOS/Chromium",
			"/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
			"/Applications/Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary",
		}
	case "windows":
		var out []string
		for _, env := range []string{"ProgramFiles", "ProgramFiles(x86)", "LocalAppData"} {
			base := os.Getenv(env)
			if base == "" {
				continue
			}
			out = append(out,
				filepath.Join(base, `Google\Chrome\Application\chrome.exe`),
				filepath.Join(base, `Chromium\Application\chrome.exe`),
				filepath.Join(base, `Microsoft\Edge\Application\msedge.exe`))
		}
		return append(out, "chrome.exe", "msedge.exe")
	default:
		return []string{
			"chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
			"microsoft-edge", "microsoft-edge-stable",
			"/usr/bin/chromium", "/snap/bin/chromium",
		}
	}
}

// Find returns the browser to start: CHROME_PATH if set, else the first
// browser found in the usual places.
func Find() (string, error) {
	if p := os.Getenv(PathEnv); p != "" {
		if resolved, err := exec.LookPath(p); err == nil {
			return resolved, nil
		}
		return "", &BadPathError{Path: p}
	}
	tried := candidates(runtime.GOOS)
	for _, c := range tried {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", &NotFoundError{Tried: tried}
}

// Options configures Launch.
type Options struct {
	// ExecPath is the browser to start (default: Find).
	ExecPath string
	// Headful shows a window (for a live demo in class).
	Headful bool
	// NormalSyncRetries keeps Chromium's own retry delays (5 min × 3^n);
	// by default the browser makes Chromium's three attempts, but the
	// retries come after 1 and 2 s (at +1 and +3 s, the last with
	// lastChance) so that the checks watch them in seconds.
	NormalSyncRetries bool
	// Logger receives the browser's own errors at debug level.
	Logger *slog.Logger
}

// Browser is a running browser.
type Browser struct {
	// ExecPath is the executable that runs.
	ExecPath string

	ctx       context.Context // the browser's root chromedp context
	cancel    context.CancelFunc
	allocStop context.CancelFunc
	userDir   string
	certs     *Certs
	headful   bool
	probe     syncProbe // what BackgroundSync found out
}

// Certs are the TLS certificates this browser accepts from its contexts'
// proxies (for the CDN mirror).
func (b *Browser) Certs() *Certs { return b.certs }

// Launch starts a browser with a fresh profile.
func Launch(ctx context.Context, o Options) (*Browser, error) {
	path := o.ExecPath
	if path == "" {
		var err error
		if path, err = Find(); err != nil {
			return nil, err
		}
	}
	certs, err := NewCerts()
	if err != nil {
		return nil, err
	}
	removeStaleProfiles()
	userDir, err := os.MkdirTemp("", "synclab-chrome-*")
	if err != nil {
		return nil, fmt.Errorf("browser profile: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDir),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// A fake camera: getUserMedia delivers a test pattern, no prompt.
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		// Nothing the browser itself wants leaves the machine.
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		// The contexts' proxies answer https:// CDN addresses from the local
		// mirror with certificates of this one key, trusted by no one else.
		chromedp.Flag("ignore-certificate-errors-spki-list", certs.SPKI()),
		chromedp.Flag("disable-gpu", true),
		// Autofill asks a Google service about every form; nothing to ask
		// here. Headless Chromium also preloads the omnibox popups' WebUI
		// pages, one renderer per browser context (Chromium 156: ≈0.8 s of
		// CPU each on a small machine; seen with Target.getTargets as
		// chrome://omnibox-popup.top-chrome/…), and keeps a spare renderer
		// process waiting; none of them is ever used here.
		chromedp.Flag("disable-features", "AutofillServerCommunication,OptimizationHints,MediaRouter,WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess"),
		// Every context is its own browser profile already: one renderer per
		// site instance is isolation enough and spares process starts.
		chromedp.Flag("disable-site-isolation-trials", true),
		// A page or worker that allocates without end runs out of memory
		// (and crashes) at 256 MB instead of taking the machine's memory (a
		// correct course app holds about 5 MB; at 512 MB the crash took 8 s of
		// garbage collection under -race, 15 s and more on a loaded machine).
		chromedp.Flag("js-flags", fmt.Sprintf("--max-old-space-size=%d", JSHeapLimitMB)),
		// performance.memory exact and current: the checks' pages watch
		// their heap with it (a page that allocates without end is stopped
		// at 64 MB, long before the garbage collector struggles).
		chromedp.Flag("enable-precise-memory-info", true),
		chromedp.WindowSize(1100, 850),
		// Tabs opened in the background (NewTab) keep their timers and
		// their process's priority: hidden, they only skip drawing.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	}
	if !o.Headful {
		opts = append(opts, chromedp.Headless)
	}
	for _, f := range strings.Fields(os.Getenv("SYNCLAB_BROWSER_FLAGS")) {
		name, value, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if hasValue {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	if !o.NormalSyncRetries {
		opts = append(opts,
			chromedp.Flag("force-fieldtrials", "BackgroundSync/Test"),
			chromedp.Flag("force-fieldtrial-params", "BackgroundSync.Test:initial_retry_delay_sec/1/retry_delay_factor/2/max_sync_attempts/3"))
	}
	allocCtx, allocStop := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	bctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{ExecPath: path, ctx: bctx, cancel: cancel, allocStop: allocStop, userDir: userDir, certs: certs, headful: o.Headful}
	start := make(chan error, 1)
	go func() { _, err := chromedp.Run(bctx, chromedp.Evaluate[chromedp.Void](`1`)); start <- err }()
	select {
	case err = <-start:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(30 * time.Second):
		err = errors.New("the browser did not start within 30 s")
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return b, nil
}

// Context is an isolated browser context (its own cookies, storage, service
// workers and proxy), with one page.
type Context struct {
	// Page is the chromedp context of the context's first tab.
	Page context.Context
	// ID identifies the browser context.
	ID     string
	cancel context.CancelFunc
	// headful: tabs get windows of their own, for the audience to watch.
	headful bool
}

// NewContext opens an isolated browser context whose traffic goes through
// the proxy at proxyAddr (empty: the browser's own setting), with one tab.
func (b *Browser) NewContext(proxyAddr string) (*Context, error) {
	opt := func(p *target.CreateBrowserContextParams) {
		if proxyAddr != "" {
			p.ProxyServer = "http://" + proxyAddr
			// Loopback goes through the proxy too: it routes the app's origins.
			p.ProxyBypassList = "<-loopback>"
		}
	}
	pctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(opt))
	if _, err := chromedp.Run(pctx, chromedp.Evaluate[chromedp.Void](`1`)); err != nil {
		cancel()
		return nil, fmt.Errorf("open a browser context: %w", err)
	}
	c := chromedp.FromContext(pctx)
	return &Context{Page: pctx, ID: string(c.BrowserContextID), cancel: cancel, headful: b.headful}, nil
}

// NewTab opens another tab in the context. A visible tab has a window of
// its own. A hidden one is opened in the background of the first tab's
// window: its page runs as usual (timers, network, workers, IndexedDB),
// but draws nothing, which spares about a fifth of the browser's CPU on a
// checks run (Chromium 156). In a hidden page, requestAnimationFrame
// callbacks, CSS transitions and IntersectionObserver wait until the page
// is shown; see HiddenPageJS. A headful browser always opens visible tabs.
func (c *Context) NewTab(ctx context.Context, visible bool) (context.Context, context.CancelFunc, error) {
	if visible || c.headful {
		tab, cancel := chromedp.NewContext(c.Page)
		return tab, cancel, nil
	}
	pc := chromedp.FromContext(c.Page)
	if pc == nil || pc.Browser == nil {
		return nil, nil, errors.New("open a tab: the browser context has no browser")
	}
	background, newWindow := true, false
	res, err := cdp.Call(ctx, pc.Browser, target.CreateTarget, target.CreateTargetParams{
		URL: "about:blank", BrowserContextID: pc.BrowserContextID, Background: &background, NewWindow: &newWindow,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	tab, cancel := chromedp.NewContext(c.Page, chromedp.WithTargetID(res.TargetID))
	return tab, cancel, nil
}

// Screenshot returns a PNG of tab. A hidden tab (see NewTab) is brought to
// the front for the picture and sent back behind the first tab after it.
func (c *Context) Screenshot(ctx context.Context, tab context.Context) ([]byte, error) {
	tc, pc := chromedp.FromContext(tab), chromedp.FromContext(c.Page)
	if tc == nil || tc.Target == nil || pc == nil || pc.Target == nil {
		return nil, errors.New("screenshot: the tab is not open")
	}
	hidden, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.visibilityState === 'hidden'`))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	if hidden {
		if _, err := cdp.Call(ctx, pc.Browser, target.ActivateTarget, target.ActivateTargetParams{TargetID: tc.Target.TargetID}); err != nil {
			return nil, fmt.Errorf("screenshot: show the tab: %w", err)
		}
		defer func() {
			_, _ = cdp.Call(context.WithoutCancel(ctx), pc.Browser, target.ActivateTarget, target.ActivateTargetParams{TargetID: pc.Target.TargetID})
		}()
	}
	res, err := chromedp.Call(tab, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return res.Data, nil
}

// HiddenPageJS makes requestAnimationFrame work in a hidden page (see
// NewTab) as in a visible one at 60 Hz, so that code which waits for the
// next frame (MDL's menus and ripples, OpenLayers, a student's own) runs
// as it would on screen. It does nothing in a visible page.
const HiddenPageJS = `(() => {
  if (document.visibilityState !== 'hidden') return;
  const timers = new Map();
  let last = 0;
  window.requestAnimationFrame = (cb) => {
    last += 1;
    const id = last;
    timers.set(id, setTimeout(() => { timers.delete(id); cb(performance.now()); }, 16));
    return id;
  };
  window.cancelAnimationFrame = (id) => { clearTimeout(timers.get(id)); timers.delete(id); };
})();
`

// Close closes the context with its tabs and workers.
func (c *Context) Close() { c.cancel() }

// Root is the browser's root chromedp context (for browser-wide commands).
func (b *Browser) Root() context.Context { return b.ctx }

// Close stops the browser and removes its profile. Its profile is thrown
// away, so nothing needs a clean shutdown: every process of the browser is
// killed at once. (Killing only the main process, as chromedp does, leaves
// its renderers to notice and exit one by one, ≈0.15 s at the end of every
// run on a 2-core machine.)
func (b *Browser) Close() {
	for _, pid := range b.processes() {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Kill()
		}
	}
	b.cancel()
	b.allocStop()
	removeSingletonDir(b.userDir)
	_ = os.RemoveAll(b.userDir)
}

// removeSingletonDir removes the folder Chromium made in the system's temp
// folder for its single-instance socket (linked from the profile as
// SingletonSocket). Chromium removes it when it exits by itself; a killed
// browser left one behind per launch (938 of them on this machine after a
// few days of tests).
func removeSingletonDir(userDir string) {
	target, err := os.Readlink(filepath.Join(userDir, "SingletonSocket"))
	if err != nil {
		return
	}
	dir := filepath.Dir(target)
	if filepath.Dir(dir) != filepath.Clean(os.TempDir()) || !strings.Contains(filepath.Base(dir), ".") {
		return // not the folder Chromium makes: leave it alone
	}
	_ = os.RemoveAll(dir)
}

// PID returns the browser's process id, or 0.
func (b *Browser) PID() int {
	c := chromedp.FromContext(b.ctx)
	if c == nil || c.Browser == nil {
		return 0
	}
	if p := c.Browser.Process(); p != nil {
		return p.Pid
	}
	return 0
}

// MemoryPSS sums the proportional set size of the browser and all its child
// processes, in bytes (Linux only; 0 elsewhere).
func (b *Browser) MemoryPSS() int64 {
	var total int64
	for _, pid := range b.processes() {
		total += pssOf(pid)
	}
	return total
}

// CPUTime is the processor time the browser has used so far: its process
// and every descendant, user and system, including the children they have
// already reaped (renderers that ended). Linux only; 0 elsewhere. For
// benchmarks: the difference of two readings is what grading cost the
// browser in between.
func (b *Browser) CPUTime() time.Duration {
	var ticks int64
	for _, pid := range b.processes() {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		// After the name: state, ppid, … utime is the 12th field, then
		// stime, cutime, cstime (proc(5), counted from the state).
		f := strings.Fields(s[strings.LastIndex(s, ")")+1:])
		if len(f) < 15 {
			continue
		}
		for _, i := range []int{11, 12, 13, 14} {
			n, _ := strconv.ParseInt(f[i], 10, 64)
			ticks += n
		}
	}
	// The kernel counts in USER_HZ, 100 per second on Linux.
	return time.Duration(ticks) * (time.Second / 100)
}

// PeakPSS samples MemoryPSS every interval until stop is called and
// returns the highest sample in bytes. Reading PSS is not free: the kernel
// walks every process's page tables (≈1.7 ms per Chromium process here), so
// sampling a busy browser five times a second cost 13 s of CPU in a
// 105-second grading run. Benchmarks sample once a second.
func (b *Browser) PeakPSS(interval time.Duration) (stop func() int64) {
	done := make(chan struct{})
	result := make(chan int64, 1)
	go func() {
		var top int64
		for {
			top = max(top, b.MemoryPSS())
			select {
			case <-done:
				result <- top
				return
			case <-time.After(interval):
			}
		}
	}()
	return func() int64 { close(done); return <-result }
}

// processes returns the browser's process and all its descendants, parents
// first (Linux only; nil elsewhere).
func (b *Browser) processes() []int {
	root := b.PID()
	if root == 0 || runtime.GOOS != "linux" {
		return nil
	}
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The parent pid is the 2nd field after the ")" that ends the name.
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
		if len(fields) > 1 {
			ppid, _ := strconv.Atoi(fields[1])
			children[ppid] = append(children[ppid], pid)
		}
	}
	var all []int
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = append(queue[1:], children[pid]...)
		all = append(all, pid)
	}
	return all
}

func pssOf(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "Pss:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}
