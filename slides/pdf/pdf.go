// Package pdf prints a reveal.js deck to PDF with headless Chromium, one
// page per slide, optionally with the speaker notes (a handout: each
// slide's notes on a page of their own after it, never over the slide).
package pdf

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/chromedp/chromedp"

	"synclab/simulator/browser"
)

// Options say what to print.
type Options struct {
	// Notes prints each slide's speaker notes on a page of their own right
	// after the slide (reveal.js's showNotes 'separate-page'), so that no
	// note is drawn over code.
	Notes bool
	// Timeout bounds loading and printing (60 s if zero).
	Timeout time.Duration
}

// Print opens the deck at deckURL in reveal.js's print view and prints it.
func Print(ctx context.Context, b *browser.Browser, deckURL string, o Options) ([]byte, error) {
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	u, err := url.Parse(deckURL)
	if err != nil {
		return nil, fmt.Errorf("deck URL: %w", err)
	}
	q := "print-pdf"
	if o.Notes {
		q += "&showNotes=" + NotesLayout
	}
	u.RawQuery = q
	bc, err := b.NewContext("")
	if err != nil {
		return nil, err
	}
	defer bc.Close()
	tctx, cancel := context.WithTimeout(bc.Page, o.Timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tctx, chromedp.Navigate(u.String())); err != nil {
		return nil, fmt.Errorf("open the deck: %w", err)
	}
	// reveal.js lays the print pages out after it is ready.
	state, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(async () => {
  if (typeof Reveal === 'undefined') return 'reveal.js did not load';
  await new Promise(r => Reveal.isReady() ? r() : Reveal.on('ready', r));
  await document.fonts.ready;
  const until = Date.now() + 20000;
  while (document.querySelectorAll('.pdf-page').length < Reveal.getTotalSlides()) {
    if (Date.now() > until) return 'the print view was not laid out';
    await new Promise(r => setTimeout(r, 50));
  }
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  if (Reveal.getConfig().showNotes) {
    const over = document.querySelectorAll('.pdf-page .speaker-notes').length;
    if (over > 0) return over + ' speaker notes would be drawn over their slides';
    const pages = document.querySelectorAll('.speaker-notes-pdf[data-layout="separate-page"]').length;
    const withNotes = Reveal.getSlides().filter(s => Reveal.getSlideNotes(s)).length;
    if (pages !== withNotes) return pages + ' pages of notes for ' + withNotes + ' slides with notes';
  }
  return 'ok';
})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("wait for the print view: %w", err)
	}
	if state != "ok" {
		return nil, fmt.Errorf("print the deck: %s", state)
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		return nil, fmt.Errorf("Page.printToPDF: %w", err)
	}
	return pdf, nil
}

// NotesLayout is how the handout places the notes: reveal.js's print
// view puts them on a page of their own after their slide.
const NotesLayout = "separate-page"

var pageRe = regexp.MustCompile(`/Type\s*/Page\b`)

// Pages counts the pages of a PDF (its page objects).
func Pages(pdf []byte) int { return len(pageRe.FindAll(pdf, -1)) }
