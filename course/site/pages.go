package site

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"strings"

	"synclab/course/deck"
	"synclab/course/listing"
	"synclab/course/markdown"
)

// navLink is an entry of the top navigation or a table of contents.
type navLink struct {
	Title, URL string
	Current    bool
	Level      int
}

// page is what the layout needs.
type page struct {
	T     texts
	Title string
	// Root is the relative URL of the site's root ("../" from LANG/).
	Root     string
	Nav      []navLink
	TOC      []navLink
	OtherURL string
	Body     template.HTML
	Prev     *navLink
	Next     *navLink
}

func (b *builder) render(p string, pg page) error {
	var buf bytes.Buffer
	if err := layout.Execute(&buf, pg); err != nil {
		return fmt.Errorf("page %s: %w", p, err)
	}
	b.put(p, buf.Bytes())
	return nil
}

// nav returns the top navigation for a page of lang at depth (0: LANG/,
// 1: LANG/steps/).
func (b *builder) nav(lang string, depth int, current string) []navLink {
	up := strings.Repeat("../", depth)
	t := textsFor(lang)
	var out []navLink
	for i, doc := range b.site.Chapters[lang] {
		name := pageName(path.Base(b.site.Names[doc]))
		out = append(out, navLink{Title: fmt.Sprintf("%d. %s", i+1, doc.Title), URL: up + name, Current: current == name})
	}
	out = append(out, navLink{Title: t.Steps, URL: up + "steps/index.html", Current: current == "steps"})
	if b.site.Decks[lang] != nil {
		out = append(out, navLink{Title: t.Slides, URL: up + "../slides/" + lang + "/index.html"})
	}
	return out
}

func (b *builder) converters(lang string) (course, slides, notes *markdown.Converter) {
	t := textsFor(lang)
	course = markdown.New(markdown.Options{
		Listings: b.src.Listings, Lang: lang, PicturesURL: "../pictures/",
		StepURL:   func(s string) string { return "steps/" + s + ".html" },
		StepLabel: t.checkpoint,
	})
	slides = markdown.New(markdown.Options{
		Listings: b.src.Listings, Lang: lang, Slides: true, PicturesURL: "../../pictures/", ChaptersURL: "../../" + lang + "/",
		StepURL:   func(s string) string { return "../../" + lang + "/steps/" + s + ".html" },
		StepLabel: t.checkpoint,
	})
	notes = markdown.New(markdown.Options{Listings: b.src.Listings, Lang: lang, PicturesURL: "../../pictures/", ChaptersURL: "../../" + lang + "/"})
	return course, slides, notes
}

// chapters renders a language's chapters; pages are written once every
// chapter is known (for the navigation).
func (b *builder) chapters(lang string) error {
	names, err := chapterFiles(b.src.Chapters, lang)
	if err != nil {
		return err
	}
	conv, _, _ := b.converters(lang)
	var errs []error
	for _, n := range names {
		src, err := fsReadFile(b.src.Chapters, lang+"/"+n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		doc, err := conv.Render(lang+"/"+n, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if doc.Title == "" {
			errs = append(errs, &markdown.SourceError{File: doc.Name, Line: 1, Err: fmt.Errorf("a chapter starts with a title line \"# Title\"")})
		}
		b.site.Chapters[lang] = append(b.site.Chapters[lang], doc)
		b.site.Names[doc] = lang + "/" + n
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	return nil
}

// chapterPages writes a language's chapter pages.
func (b *builder) chapterPages(lang string) error {
	t := textsFor(lang)
	docs := b.site.Chapters[lang]
	other := b.site.Chapters[t.Other]
	for i, doc := range docs {
		name := pageName(path.Base(b.site.Names[doc]))
		pg := page{T: t, Title: doc.Title, Root: "../", Nav: b.nav(lang, 0, name), Body: doc.HTML}
		for _, h := range doc.Outline.Headings {
			if h.Level == 2 || h.Level == 3 {
				pg.TOC = append(pg.TOC, navLink{Title: h.Text, URL: "#" + h.ID, Level: h.Level})
			}
		}
		if i < len(other) {
			pg.OtherURL = "../" + t.Other + "/" + pageName(path.Base(b.site.Names[other[i]]))
		}
		if i > 0 {
			pg.Prev = &navLink{Title: docs[i-1].Title, URL: pageName(path.Base(b.site.Names[docs[i-1]]))}
		}
		if i+1 < len(docs) {
			pg.Next = &navLink{Title: docs[i+1].Title, URL: pageName(path.Base(b.site.Names[docs[i+1]]))}
		}
		if err := b.render(lang+"/"+name, pg); err != nil {
			return err
		}
	}
	return nil
}

// deck renders a language's slides.
func (b *builder) deck(lang string) error {
	name := lang + "/deck.md"
	src, err := fsReadFile(b.src.Decks, name)
	if err != nil {
		return err
	}
	_, slides, notes := b.converters(lang)
	d, err := deck.Build(name, src, deck.Converters{Slides: slides, Notes: notes})
	if err != nil {
		return err
	}
	b.site.Decks[lang] = d
	html, err := d.HTML(deck.Page{Lang: lang, Assets: "../../assets/", Root: "../../", Back: textsFor(lang).BackToCourse})
	if err != nil {
		return err
	}
	b.put("slides/"+lang+"/index.html", html)
	return nil
}

// indexPage writes LANG/index.html and the chapter pages.
func (b *builder) indexPage(lang string) error {
	if err := b.chapterPages(lang); err != nil {
		return err
	}
	t := textsFor(lang)
	var body bytes.Buffer
	err := indexBody.Execute(&body, struct {
		T        texts
		Chapters []navLink
		Steps    []stepLink
		Slides   bool
		Lang     string
	}{t, b.nav(lang, 0, "")[:len(b.site.Chapters[lang])], b.stepLinks(lang), b.site.Decks[lang] != nil, lang})
	if err != nil {
		return err
	}
	return b.render(lang+"/index.html", page{T: t, Title: t.Course, Root: "../", Nav: b.nav(lang, 0, ""),
		OtherURL: "../" + t.Other + "/index.html", Body: template.HTML(body.String())})
}

// rootPage writes index.html: the choice of language.
func (b *builder) rootPage() error {
	var buf bytes.Buffer
	if err := rootTemplate.Execute(&buf, b.o.Langs); err != nil {
		return err
	}
	b.put("index.html", buf.Bytes())
	return nil
}

type stepLink struct {
	ID, Title, Summary, URL string
}

func (b *builder) stepLinks(lang string) []stepLink {
	var out []stepLink
	for _, s := range b.src.Steps {
		out = append(out, stepLink{ID: s.ID, Title: s.Title.In(lang), Summary: s.Summary.In(lang), URL: "steps/" + s.ID + ".html"})
	}
	return out
}

// stepPages writes the step browser of a language.
func (b *builder) stepPages(lang string) error {
	t := textsFor(lang)
	var index bytes.Buffer
	links := b.stepLinks(lang)
	for i := range links {
		links[i].URL = links[i].ID + ".html"
	}
	if err := stepsIndexBody.Execute(&index, struct {
		T     texts
		Steps []stepLink
	}{t, links}); err != nil {
		return err
	}
	if err := b.render(lang+"/steps/index.html", page{T: t, Title: t.Steps, Root: "../../", Nav: b.nav(lang, 1, "steps"),
		OtherURL: "../../" + t.Other + "/steps/index.html", Body: template.HTML(index.String())}); err != nil {
		return err
	}
	for i, s := range b.src.Steps {
		prev, err := b.src.Listings.Previous(s.ID)
		if err != nil {
			return err
		}
		diffs, err := b.src.Listings.StepDiff(s.ID)
		if err != nil {
			return err
		}
		var files []string
		if prev == "" {
			if files, err = b.src.Listings.Files(s.ID); err != nil {
				return err
			}
		}
		data := stepData{T: t, ID: s.ID, Title: s.Title.In(lang), Summary: s.Summary.In(lang), Prev: prev,
			Diffs: diffs, Files: files, Zip: b.src.App != nil, Checks: b.checks(s.ID, lang), Watch: "replay"}
		if len(data.Checks) > 0 {
			data.Watch = data.Checks[0].ID
		}
		if i > 0 {
			data.PrevURL = b.src.Steps[i-1].ID + ".html"
		}
		if i+1 < len(b.src.Steps) {
			data.NextURL = b.src.Steps[i+1].ID + ".html"
		}
		var body bytes.Buffer
		if err := stepBody.Execute(&body, data); err != nil {
			return fmt.Errorf("step page %s: %w", s.ID, err)
		}
		pg := page{T: t, Title: t.checkpoint(s.ID) + ": " + data.Title, Root: "../../", Nav: b.nav(lang, 1, "steps"),
			OtherURL: "../../" + t.Other + "/steps/" + s.ID + ".html", Body: template.HTML(body.String())}
		for _, d := range diffs {
			pg.TOC = append(pg.TOC, navLink{Title: d.Path, URL: "#" + fileID(d.Path), Level: 2})
		}
		if err := b.render(lang+"/steps/"+s.ID+".html", pg); err != nil {
			return err
		}
	}
	return nil
}

type stepData struct {
	T                texts
	ID, Title        string
	Summary, Prev    string
	PrevURL, NextURL string
	Diffs            []listing.FileDiff
	Files            []string
	Zip              bool
	Checks           []checkLine
	// Watch is the check the page's simulator command runs: the step's
	// first, else the replay.
	Watch string
}

// checkLine is a check as its step's page lists it.
type checkLine struct{ ID, Title string }

// checks returns the checks of a step in lang.
func (b *builder) checks(step, lang string) []checkLine {
	var out []checkLine
	for _, c := range b.src.Checks[step] {
		out = append(out, checkLine{c.ID, c.Title.In(lang)})
	}
	return out
}

// fileID is the anchor of a file's diff on a step page.
func fileID(p string) string {
	return "file-" + strings.NewReplacer("/", "-", ".", "-").Replace(p)
}

// ZipName is the download of a complete checkpoint.
func ZipName(step string) string { return "synclab-step-" + step + ".zip" }
