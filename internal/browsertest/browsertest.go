// Package browsertest starts Debian's headless Chromium for the page tests
// of report and live, and records every request and console error of the
// pages it opens, so a test can insist that a page needs no network and
// throws nothing. chromedp gives each browser a fresh user data directory
// and removes it.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Options shape a browser.
type Options struct {
	Width, Height int
	Timeout       time.Duration // bounds everything the test does with it
	Offline       bool          // the network off: only file:// pages load
	Files         bool          // pages from file:// may read other files
}

// Browser is one headless Chromium. Ctx is for chromedp.Run.
type Browser struct {
	Ctx      context.Context
	mu       sync.Mutex
	requests []string
	errors   []string
}

// Start starts a browser, closed when the test ends. Without chromium the
// test is skipped, or fails under CI, where .ci/run installs it.
func Start(t testing.TB, o Options) *Browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(o.Width, o.Height),
	)
	if o.Files {
		opts = append(opts, chromedp.Flag("allow-file-access-from-files", true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, o.Timeout)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &Browser{Ctx: ctx}
	chromedp.ListenTarget(ctx, b.record)
	actions := []chromedp.Action{runtime.Enable(), network.Enable()}
	if o.Offline {
		actions = append(actions, chromedp.ActionFunc(func(ctx context.Context) error {
			// Raw, with offline at both levels: Debian's Chromium 148 wants
			// it beside the rules and refuses cdproto's form (offline only
			// in each rule) as invalid parameters; newer ones read the rule.
			return cdp.Execute(ctx, network.CommandEmulateNetworkConditionsByRule, map[string]any{"offline": true,
				"matchedNetworkConditions": []map[string]any{{"urlPattern": "", "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1, "offline": true}}}, nil)
		}), network.OverrideNetworkState(true, 0, -1, -1))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *Browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		b.errors = append(b.errors, fmt.Sprintf("%s at %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			b.errors = append(b.errors, "console: "+strings.Join(parts, " "))
		}
	}
}

// Check fails the test on a console error, or on a request whose URL
// starts with none of the prefixes given (data: URLs are always allowed);
// why says what the pages must do instead.
func (b *Browser) Check(t testing.TB, why string, prefixes ...string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		ok := strings.HasPrefix(u, "data:")
		for _, p := range prefixes {
			ok = ok || strings.HasPrefix(u, p)
		}
		if !ok {
			t.Errorf("the page requested %s; %s", u, why)
		}
	}
	for _, e := range b.errors {
		t.Errorf("console error: %s", e)
	}
}
