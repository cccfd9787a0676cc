package site

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"synclab/course/listing"
	"synclab/course/markdown"
)

func fsReadFile(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

func joinErrors(errs []error) error { return errors.Join(errs...) }

func sourceErr(file string, line int, format string, args ...any) error {
	return &markdown.SourceError{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}

// checkReferences makes sure that every picture, link and step named in
// the chapters and decks exists.
func (b *builder) checkReferences() error {
	var errs []error
	for _, lang := range b.o.Langs {
		docs := b.site.Chapters[lang]
		ids := map[string][]string{} // chapter file → heading ids
		for _, doc := range docs {
			var list []string
			for _, h := range doc.Outline.Headings {
				list = append(list, h.ID)
			}
			ids[path.Base(b.site.Names[doc])] = list
		}
		for _, doc := range docs {
			self := path.Base(b.site.Names[doc])
			errs = append(errs, b.checkOutline(doc.Name, doc.Outline, self, ids)...)
		}
		if d := b.site.Decks[lang]; d != nil {
			for _, s := range d.Slides {
				errs = append(errs, b.checkOutline(d.Name, s.Outline, "", ids)...)
			}
		}
	}
	return errors.Join(errs...)
}

func (b *builder) checkOutline(file string, o markdown.Outline, self string, ids map[string][]string) []error {
	var errs []error
	for _, p := range o.Pictures {
		if err := b.checkPicture(p.Dest); err != nil {
			errs = append(errs, sourceErr(file, p.Line, "picture %s: %v", p.Dest, err))
		}
	}
	for _, l := range o.Links {
		d := l.Dest
		switch {
		case strings.HasPrefix(d, markdown.PicturesPrefix):
			if err := b.checkPicture(d); err != nil {
				errs = append(errs, sourceErr(file, l.Line, "link %s: %v", d, err))
			}
		case strings.HasPrefix(d, markdown.StepScheme):
			if _, err := b.src.Listings.Previous(strings.TrimPrefix(d, markdown.StepScheme)); err != nil {
				errs = append(errs, sourceErr(file, l.Line, "link %s: %v", d, err))
			}
		case markdown.IsInternal(d):
			p, frag, _ := strings.Cut(d, "#")
			target := self
			if p != "" {
				target = path.Base(p)
				if _, ok := ids[target]; !ok || path.Dir(p) != "." || !strings.HasSuffix(p, ".md") {
					errs = append(errs, sourceErr(file, l.Line, "link %s: there is no chapter %s in this language (chapters: %s)", d, p, strings.Join(slices.Sorted(maps.Keys(ids)), ", ")))
					continue
				}
			}
			if frag == "" {
				continue
			}
			if target == "" {
				errs = append(errs, sourceErr(file, l.Line, "link %s: slides cannot link to their own headings", d))
				continue
			}
			if !slices.Contains(ids[target], markdown.Slug(frag)) {
				errs = append(errs, sourceErr(file, l.Line, "link %s: %s has no heading with the id %q (ids: %s)", d, target, markdown.Slug(frag), strings.Join(ids[target], ", ")))
			}
		}
	}
	return errs
}

func (b *builder) checkPicture(dest string) error {
	if !strings.HasPrefix(dest, markdown.PicturesPrefix) {
		if markdown.IsInternal(dest) {
			return fmt.Errorf("pictures live in course/pictures and are named pictures/NAME")
		}
		return nil // on another site: not checked (and not offline)
	}
	name := strings.TrimPrefix(dest, markdown.PicturesPrefix)
	if _, err := fs.Stat(b.src.Pictures, name); err != nil {
		return fmt.Errorf("course/pictures has no %s (generate the pictures with: go run ./course -pictures)", name)
	}
	return nil
}

// compareLanguages makes sure that every language has the same chapters
// with the same sections (heading levels in order), listings and pictures,
// and decks with the same slides.
func (b *builder) compareLanguages() error {
	if len(b.o.Langs) < 2 {
		return nil
	}
	first := b.o.Langs[0]
	var errs []error
	for _, lang := range b.o.Langs[1:] {
		a, c := b.site.Chapters[first], b.site.Chapters[lang]
		if len(a) != len(c) {
			errs = append(errs, fmt.Errorf("%s has %d chapters, %s has %d: every chapter needs a version in each language", first, len(a), lang, len(c)))
			continue
		}
		for i := range a {
			errs = append(errs, compareOutlines(a[i].Name, a[i].Outline, c[i].Name, c[i].Outline)...)
		}
		da, dc := b.site.Decks[first], b.site.Decks[lang]
		if da == nil || dc == nil {
			continue
		}
		if len(da.Slides) != len(dc.Slides) {
			errs = append(errs, fmt.Errorf("%s has %d slides, %s has %d", da.Name, len(da.Slides), dc.Name, len(dc.Slides)))
			continue
		}
		for i := range da.Slides {
			sa, sc := da.Slides[i], dc.Slides[i]
			if sa.Demo != sc.Demo {
				errs = append(errs, sourceErr(dc.Name, sc.Line, "slide %d: the live-demo slide is slide %d in %s", i+1, i+1, da.Name))
			}
			// Slides may word headings differently; listings and pictures must match.
			sa.Outline.Headings, sc.Outline.Headings = nil, nil
			errs = append(errs, compareOutlines(da.Name, sa.Outline, dc.Name, sc.Outline)...)
		}
	}
	return errors.Join(errs...)
}

func compareOutlines(na string, a markdown.Outline, nb string, b markdown.Outline) []error {
	var errs []error
	for i := 0; i < max(len(a.Headings), len(b.Headings)); i++ {
		switch {
		case i >= len(a.Headings):
			h := b.Headings[i]
			errs = append(errs, sourceErr(nb, h.Line, "section %q (level %d) has no counterpart in %s", h.Text, h.Level, na))
		case i >= len(b.Headings):
			h := a.Headings[i]
			errs = append(errs, sourceErr(na, h.Line, "section %q (level %d) has no counterpart in %s", h.Text, h.Level, nb))
		case a.Headings[i].Level != b.Headings[i].Level:
			ha, hb := a.Headings[i], b.Headings[i]
			errs = append(errs, sourceErr(nb, hb.Line, "section %d %q is level %d, but in %s:%d %q is level %d", i+1, hb.Text, hb.Level, na, ha.Line, ha.Text, ha.Level))
		}
		if len(errs) > 0 {
			return errs // one mismatch shifts everything after it
		}
	}
	key := func(s listing.Spec) string { s.Title = ""; return s.String() }
	for i := 0; i < max(len(a.Listings), len(b.Listings)); i++ {
		switch {
		case i >= len(a.Listings):
			errs = append(errs, sourceErr(nb, b.Listings[i].Line, "listing %s has no counterpart in %s", key(b.Listings[i].Spec), na))
		case i >= len(b.Listings):
			errs = append(errs, sourceErr(na, a.Listings[i].Line, "listing %s has no counterpart in %s", key(a.Listings[i].Spec), nb))
		case key(a.Listings[i].Spec) != key(b.Listings[i].Spec):
			errs = append(errs, sourceErr(nb, b.Listings[i].Line, "listing %d is %s, but in %s:%d it is %s", i+1, key(b.Listings[i].Spec), na, a.Listings[i].Line, key(a.Listings[i].Spec)))
		}
		if len(errs) > 0 {
			return errs
		}
	}
	for i := 0; i < max(len(a.Pictures), len(b.Pictures)); i++ {
		switch {
		case i >= len(a.Pictures):
			errs = append(errs, sourceErr(nb, b.Pictures[i].Line, "picture %s has no counterpart in %s", b.Pictures[i].Dest, na))
		case i >= len(b.Pictures):
			errs = append(errs, sourceErr(na, a.Pictures[i].Line, "picture %s has no counterpart in %s", a.Pictures[i].Dest, nb))
		case a.Pictures[i].Dest != b.Pictures[i].Dest:
			errs = append(errs, sourceErr(nb, b.Pictures[i].Line, "picture %d is %s, but in %s:%d it is %s", i+1, b.Pictures[i].Dest, na, a.Pictures[i].Line, a.Pictures[i].Dest))
		}
		if len(errs) > 0 {
			return errs
		}
	}
	return nil
}
