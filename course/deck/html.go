package deck

import (
	"bytes"
	"html/template"
)

// Page says how the deck's HTML page refers to its assets.
type Page struct {
	Lang string
	// Assets is the URL of the site's assets folder, e.g. "../../assets/".
	Assets string
	// Root is the URL of the site's root, e.g. "../../" (for the service
	// worker and the way back to the course).
	Root string
	// Back names the link to the course.
	Back string
}

// HTML writes the deck as a reveal.js page. Printing with "?print-pdf"
// gives one page per slide (fragments are not split into pages).
func (d *Deck) HTML(p Page) ([]byte, error) {
	var b bytes.Buffer
	err := pageTemplate.Execute(&b, struct {
		Deck *Deck
		Page
	}{d, p})
	return b.Bytes(), err
}

var pageTemplate = template.Must(template.New("deck").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Deck.Title}}</title>
<link rel="icon" href="{{.Assets}}icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{{.Assets}}reveal/reset.css">
<link rel="stylesheet" href="{{.Assets}}reveal/reveal.css">
<link rel="stylesheet" href="{{.Assets}}reveal/theme/white.css">
<link rel="stylesheet" href="{{.Assets}}chroma.css">
<link rel="stylesheet" href="{{.Assets}}slides.css">
<style>
/* A named step of a listing says its name in the corner. */
.reveal .code-steps > pre[data-step-name]::after { content: attr(data-step-name); position: absolute; top: 0.3em; right: 0.6em; padding: 0.1em 0.6em; border-radius: 4px; font: 600 1em system-ui, sans-serif; color: #00695c; background: #e0f2f1; }
/* The handout: each slide's notes on a page of their own, readable. */
html.reveal-print .reveal .speaker-notes-pdf[data-layout=separate-page] { font-size: 26px; line-height: 1.45; padding: 48px 64px; }
html[lang=de].reveal-print .reveal .speaker-notes-pdf::before { content: "Sprechernotizen"; }
html.reveal-print .reveal .speaker-notes-pdf[data-layout=separate-page]:last-child { page-break-after: auto; }
</style>
</head>
<body>
<div class="reveal"><div class="slides">
{{range $i, $s := .Deck.Slides}}<section data-source-line="{{$s.Line}}"{{if $s.Demo}} class="demo"{{end}}>
{{$s.HTML}}{{if $s.Notes}}<aside class="notes">
{{$s.Notes}}</aside>
{{end}}</section>
{{end}}</div></div>
<a class="back-to-course" href="{{.Root}}{{.Lang}}/index.html">{{.Back}}</a>
<script src="{{.Assets}}reveal/reveal.js"></script>
<script src="{{.Assets}}reveal/plugin/notes.js"></script>
<script>
Reveal.initialize({
  hash: true,
  width: 1280,
  height: 800,
  margin: 0.04,
  slideNumber: 'c/t',
  pdfSeparateFragments: false,
  pdfMaxPagesPerSlide: 1,
  plugins: [RevealNotes]
});
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('{{.Root}}sw.js').catch(function () {});
}
</script>
</body>
</html>
`))
