package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows how far a run is; update comes after each trial, finish
// once the trials are over (maybe twice).
type progress interface {
	update(done, total int)
	finish()
}

// chooseProgress: nothing with --quiet, a bar on a terminal, else a line
// at every tick.
func chooseProgress(quiet bool, stderr io.Writer, label string, tick <-chan time.Time) progress {
	switch {
	case quiet:
		return noProgress{}
	case isTerminal(stderr):
		return newProgressBar(stderr, label)
	}
	return newProgressLine(stderr, label, time.Now, tick)
}

type noProgress struct{}

func (noProgress) update(done, total int) {}
func (noProgress) finish()                {}

// progressEvery is how often a progress line is printed where stderr is
// not a terminal (CI logs).
const progressEvery = 5 * time.Second

// progressLine prints, at every tick, a line of its own (no redrawing:
// logs keep every line): trials done of the total and an estimate of the
// time left, from the pace so far. The clock and the ticks are given, so a
// test can drive them.
type progressLine struct {
	w      io.Writer
	label  string
	now    func() time.Time
	start  time.Time
	mu     sync.Mutex
	done   int
	total  int
	stop   chan struct{}
	exited chan struct{}
	once   sync.Once
}

func newProgressLine(w io.Writer, label string, now func() time.Time, tick <-chan time.Time) *progressLine {
	p := &progressLine{w: w, label: label, now: now, start: now(), stop: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(p.exited)
		for {
			select {
			case <-tick:
				p.print()
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

func (p *progressLine) update(done, total int) {
	p.mu.Lock()
	p.done, p.total = done, total
	p.mu.Unlock()
}

func (p *progressLine) print() {
	p.mu.Lock()
	done, total := p.done, p.total
	p.mu.Unlock()
	elapsed := p.now().Sub(p.start)
	left := "time left unknown"
	if done > 0 {
		rest := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		left = "about " + rest.Round(time.Second).String() + " left"
	}
	pct := 0
	if total > 0 {
		pct = 100 * done / total
	}
	fmt.Fprintf(p.w, "%s: %d/%d trials (%d%%), %s elapsed, %s\n", p.label, done, total, pct, elapsed.Round(time.Second), left)
}

// finish stops the ticks; no line is printed after it returns.
func (p *progressLine) finish() {
	p.once.Do(func() { close(p.stop) })
	<-p.exited
}

// isTerminal reports whether w is a character device, such as a terminal;
// progress bars only go there, never into logs or pipes.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line on a terminal, at most ten times a second.
type progressBar struct {
	w     io.Writer
	label string
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, start: time.Now()}
}

// update redraws the bar; it is safe on a nil bar, which draws nothing.
func (p *progressBar) update(done, total int) {
	if p == nil {
		return
	}
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	fill := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d trials %5.1fs", p.label,
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total, now.Sub(p.start).Seconds())
	p.drawn = true
}

// finish clears the bar; it is safe on a nil bar.
func (p *progressBar) finish() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}
