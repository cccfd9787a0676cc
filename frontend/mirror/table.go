package mirror

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Row is one kind of address the mirror answers: a host and a path pattern
// (a regular expression; its named groups pkg, ver and file fill the
// templates) mapped to a package, a version and candidate files, or to a
// generated answer.
type Row struct {
	// Name says what the row is for.
	Name string
	Host string
	// Path is matched against the whole escaped path.
	Path string
	// Package is the npm package; "${pkg}" takes it from the address.
	Package string
	// Version is the version the address asks for ("${ver}"); empty: any.
	Version string
	// Files are candidate files inside the package, first found wins;
	// "${file}" and "${ver}" are filled in from the address, "${installed}"
	// with the installed version that answers. A leading "/" means a path
	// inside node_modules instead (files built at install time).
	Files []string
	// Generate makes the answer instead (CSS of Google Fonts, place names).
	Generate func(m *Mirror, u *url.URL) (Answer, error)
	// Example is an address this row answers (the tests request each).
	Example string

	re *regexp.Regexp
}

func (r *Row) match(p string) (map[string]string, bool) {
	m := r.re.FindStringSubmatch(p)
	if m == nil {
		return nil, false
	}
	groups := map[string]string{}
	for i, name := range r.re.SubexpNames() {
		if name != "" {
			v, err := url.PathUnescape(m[i])
			if err != nil {
				return nil, false
			}
			groups[name] = v
		}
	}
	return groups, true
}

func (r *Row) answer(m *Mirror, u *url.URL, g map[string]string) (Answer, error) {
	if r.Generate != nil {
		return r.Generate(m, u)
	}
	fill := func(s string) string {
		for k, v := range g {
			s = strings.ReplaceAll(s, "${"+k+"}", v)
		}
		return s
	}
	files := make([]string, len(r.Files))
	for i, f := range r.Files {
		files[i] = fill(f)
	}
	return m.pkgFile(fill(r.Package), fill(r.Version), files...)
}

// The path pattern of "package@version/file".
const npmPath = `(?P<pkg>(?:@[^/@]+/)?[^/@]+)@(?P<ver>[^/]+)/(?P<file>.+)`

// Table returns the addresses the mirror answers. To mirror another
// address, add a row here and its package to frontend/package.json; the
// tests request every row's Example.
func Table() []Row {
	// The files of Google's Workbox CDN are the build/ folders of the npm
	// packages workbox-<module>, e.g. workbox-core.prod.js, .dev.js (the
	// debug build workbox-sw loads on localhost) and their .map files; the
	// Google Analytics module's files are named workbox-offline-ga.*.
	workboxModules := []string{
		"sw", "core", "routing", "strategies", "precaching", "background-sync", "expiration",
		"cacheable-response", "broadcast-update", "navigation-preload", "range-requests",
		"streams", "recipes", "window",
	}
	rows := []Row{
		{
			Name: "Google Fonts CSS (API v1), e.g. Roboto", Host: "fonts.googleapis.com", Path: `^/css$`,
			Generate: googleFontsCSS, Example: "https://fonts.googleapis.com/css?family=Roboto:400,700",
		},
		{
			Name: "Google Fonts CSS (API v2)", Host: "fonts.googleapis.com", Path: `^/css2$`,
			Generate: googleFontsCSS, Example: "https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap",
		},
		{
			Name: "Material Icons CSS", Host: "fonts.googleapis.com", Path: `^/icon$`,
			Generate: googleFontsCSS, Example: "https://fonts.googleapis.com/icon?family=Material+Icons",
		},
		{
			Name: "font files the generated CSS refers to", Host: "fonts.gstatic.com", Path: `^/synclab/` + npmPath + `$`,
			Package: "${pkg}", Version: "${ver}", Files: []string{"${file}"},
			Example: "https://fonts.gstatic.com/synclab/@fontsource/roboto@5.3.0/files/roboto-latin-700-normal.woff2",
		},
		{
			Name: "Material Design Lite from getmdl.io (every colour theme)", Host: "code.getmdl.io", Path: `^/(?P<ver>[0-9][^/]*)/(?P<file>[^/]+)$`,
			Generate: mdlFile, Example: "https://code.getmdl.io/1.3.0/material.blue_grey-red.min.css",
		},
		{
			Name: "OpenLayers CSS (the starting app's address)", Host: "cdn.jsdelivr.net",
			Path:    `^/gh/openlayers/openlayers\.github\.io@[^/]+/en/v(?P<ver>[0-9][^/]*)/css/ol\.css$`,
			Package: "ol", Version: "${ver}", Files: []string{"ol.css"},
			Example: "https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/css/ol.css",
		},
		{
			Name: "OpenLayers full build (the starting app's address)", Host: "cdn.jsdelivr.net",
			Path:    `^/gh/openlayers/openlayers\.github\.io@[^/]+/en/v(?P<ver>[0-9][^/]*)/build/ol\.js$`,
			Package: "ol", Version: "${ver}", Files: []string{"/.synclab-mirror/ol@${installed}/build/ol.js"},
			Example: "https://cdn.jsdelivr.net/gh/openlayers/openlayers.github.io@master/en/v6.15.1/build/ol.js",
		},
		{
			Name: "OpenLayers CSS on openlayers.org", Host: "openlayers.org", Path: `^/en/v(?P<ver>[0-9][^/]*)/css/ol\.css$`,
			Package: "ol", Version: "${ver}", Files: []string{"ol.css"},
			Example: "https://openlayers.org/en/v6.15.1/css/ol.css",
		},
		{
			Name: "OpenLayers full build on openlayers.org", Host: "openlayers.org", Path: `^/en/v(?P<ver>[0-9][^/]*)/build/ol\.js$`,
			Package: "ol", Version: "${ver}", Files: []string{"/.synclab-mirror/ol@${installed}/build/ol.js"},
			Example: "https://openlayers.org/en/v6.15.1/build/ol.js",
		},
		{
			Name: "Workbox from Google's CDN: workbox-sw.js and the modules it loads", Host: "storage.googleapis.com",
			Path:    `^/workbox-cdn/releases/(?P<ver>[0-9][^/]*)/(?P<file>(?P<pkg>workbox-(?:` + strings.Join(workboxModules, "|") + `))\.[a-z0-9.]+)$`,
			Package: "${pkg}", Version: "${ver}", Files: []string{"build/${file}"},
			Example: "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-sw.js",
		},
		{
			Name: "Workbox's Google Analytics module (workbox-offline-ga) from Google's CDN", Host: "storage.googleapis.com",
			Path:    `^/workbox-cdn/releases/(?P<ver>[0-9][^/]*)/(?P<file>workbox-offline-ga\.[a-z0-9.]+)$`,
			Package: "workbox-google-analytics", Version: "${ver}", Files: []string{"build/${file}"},
			Example: "https://storage.googleapis.com/workbox-cdn/releases/6.4.1/workbox-offline-ga.prod.js",
		},
		{
			Name: "any installed npm package on jsDelivr", Host: "cdn.jsdelivr.net", Path: `^/npm/` + npmPath + `$`,
			Package: "${pkg}", Version: "${ver}", Files: []string{"${file}"},
			Example: "https://cdn.jsdelivr.net/npm/idb@8.0.4/build/umd.js",
		},
		{
			Name: "any installed npm package on unpkg", Host: "unpkg.com", Path: `^/` + npmPath + `$`,
			Package: "${pkg}", Version: "${ver}", Files: []string{"${file}"},
			Example: "https://unpkg.com/material-design-lite@1.3.0/material.min.js",
		},
		{
			Name: "place names (a canned answer near HTW Berlin)", Host: "nominatim.openstreetmap.org", Path: `^/(reverse|search)(\.php)?$`,
			Generate: placeName, Example: "https://nominatim.openstreetmap.org/reverse?format=jsonv2&lat=52.4572&lon=13.5262",
		},
	}
	for i := range rows {
		rows[i].re = regexp.MustCompile(rows[i].Path)
	}
	return rows
}

// mdlFile answers code.getmdl.io/<ver>/<file> with the file of
// material-design-lite (dist/ first). A colour theme whose file is not
// there (the libraries built into the program carry only the template) is
// made from dist/material.min.css.template and the theme's colours, which
// build-mdl-themes.mjs read from the package's own theme files at install.
func mdlFile(m *Mirror, u *url.URL) (Answer, error) {
	ver, file, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	const pkg = "material-design-lite"
	ans, err := m.pkgFile(pkg, ver, "dist/"+file, file)
	theme, isTheme := strings.CutPrefix(file, "material.")
	theme, isTheme = strings.CutSuffix(theme, ".min.css")
	var miss *Miss
	if err == nil || !isTheme || !errors.As(err, &miss) || !strings.HasPrefix(miss.Reason, "no file") {
		return ans, err
	}
	installed := m.Version(pkg)
	made, merr := m.mdlTheme(installed, theme)
	if merr != nil {
		return Answer{}, &Miss{Reason: miss.Reason + "; " + merr.Error()}
	}
	return Answer{Status: 200, Type: contentType(file), Body: made,
		From: pkg + "@" + installed + "/dist/" + file + " (made from dist/material.min.css.template)"}, nil
}

// mdlTheme fills the template of material-design-lite@version with a
// theme's colours.
func (m *Mirror) mdlTheme(version, theme string) ([]byte, error) {
	built := ".synclab-mirror/material-design-lite@" + version + "/themes.json"
	b, err := fs.ReadFile(m.fsys, built)
	if err != nil {
		return nil, fmt.Errorf("no colour themes were described at install (node_modules/%s)", built)
	}
	var doc struct {
		Template string                       `json:"template"`
		Themes   map[string]map[string]string `json:"themes"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("node_modules/%s: %w", built, err)
	}
	colours, ok := doc.Themes[theme]
	if !ok {
		return nil, fmt.Errorf("material-design-lite@%s has no colour theme %q", version, theme)
	}
	tmpl, err := fs.ReadFile(m.fsys, "material-design-lite/"+doc.Template)
	if err != nil {
		return nil, fmt.Errorf("the theme template: %w", err)
	}
	// The longest names first: $color-primary is a prefix of $color-primary-dark.
	names := slices.Collect(maps.Keys(colours))
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(names))
	for _, n := range names {
		pairs = append(pairs, "$"+n, colours[n])
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(tmpl))), nil
}

// googleFontsCSS answers the Google Fonts CSS APIs (v1 "family=Roboto:400,700|Material+Icons",
// v2 "family=Roboto:ital,wght@0,400;1,700") with @font-face rules whose
// files come from @fontsource packages (and material-icons).
func googleFontsCSS(m *Mirror, u *url.URL) (Answer, error) {
	// Not u.Query(): API v2 separates values with ";", which net/url drops.
	var families []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "family" {
			continue
		}
		f, err := url.QueryUnescape(v)
		if err != nil {
			return Answer{}, &Miss{Reason: "family= is not valid: " + err.Error()}
		}
		families = append(families, strings.Split(f, "|")...)
	}
	if len(families) == 0 {
		return Answer{}, &Miss{Reason: "no family= in the address"}
	}
	var css strings.Builder
	var from []string
	for _, fam := range families {
		name, faces := parseFamily(fam, strings.HasSuffix(u.Path, "css2"))
		if strings.EqualFold(name, "Material Icons") {
			ver := m.Version("material-icons")
			if ver == "" {
				return Answer{}, &Miss{Reason: "npm package material-icons is not installed for the mirror"}
			}
			fmt.Fprintf(&css, materialIconsCSS, "https://fonts.gstatic.com/synclab/material-icons@"+ver+"/iconfont/material-icons.woff2")
			from = append(from, "material-icons@"+ver)
			continue
		}
		pkg := "@fontsource/" + strings.ToLower(strings.ReplaceAll(name, " ", "-"))
		ver := m.Version(pkg)
		if ver == "" {
			return Answer{}, &Miss{Reason: fmt.Sprintf("font %q: npm package %s is not installed for the mirror", name, pkg)}
		}
		slug := strings.TrimPrefix(pkg, "@fontsource/")
		for _, f := range faces {
			file := fmt.Sprintf("files/%s-latin-%d-%s.woff2", slug, f.weight, f.style)
			if _, err := fs.Stat(m.fsys, pkg+"/"+file); err != nil {
				return Answer{}, &Miss{Reason: fmt.Sprintf("font %q has no weight %d %s in %s@%s", name, f.weight, f.style, pkg, ver)}
			}
			fmt.Fprintf(&css, "@font-face {\n  font-family: '%s';\n  font-style: %s;\n  font-weight: %d;\n  src: url(https://fonts.gstatic.com/synclab/%s@%s/%s) format('woff2');\n}\n",
				name, f.style, f.weight, pkg, ver, file)
		}
		from = append(from, pkg+"@"+ver)
	}
	return Answer{Status: 200, Type: "text/css; charset=utf-8", Body: []byte(css.String()), From: "generated from " + strings.Join(from, ", ")}, nil
}

type face struct {
	weight int
	style  string
}

// parseFamily reads "Roboto:400,700italic" (v1) or "Roboto:ital,wght@0,400;1,700" (v2).
func parseFamily(spec string, v2 bool) (string, []face) {
	name, axes, _ := strings.Cut(spec, ":")
	name = strings.TrimSpace(strings.ReplaceAll(name, "+", " "))
	var faces []face
	if v2 {
		tags, values, ok := strings.Cut(axes, "@")
		if ok {
			names := strings.Split(tags, ",")
			for _, tuple := range strings.Split(values, ";") {
				f := face{weight: 400, style: "normal"}
				for i, v := range strings.Split(tuple, ",") {
					if i >= len(names) {
						break
					}
					switch names[i] {
					case "wght":
						if w, err := strconv.Atoi(v); err == nil {
							f.weight = w
						}
					case "ital":
						if v == "1" {
							f.style = "italic"
						}
					}
				}
				faces = append(faces, f)
			}
		}
	} else if axes != "" {
		for _, v := range strings.Split(axes, ",") {
			f := face{weight: 400, style: "normal"}
			v = strings.TrimSpace(v)
			if rest, ok := strings.CutSuffix(v, "italic"); ok {
				f.style, v = "italic", rest
			}
			switch v {
			case "", "regular":
			case "bold":
				f.weight = 700
			default:
				if w, err := strconv.Atoi(v); err == nil {
					f.weight = w
				}
			}
			faces = append(faces, f)
		}
	}
	if len(faces) == 0 {
		faces = []face{{weight: 400, style: "normal"}}
	}
	return name, faces
}

const materialIconsCSS = `@font-face {
  font-family: 'Material Icons';
  font-style: normal;
  font-weight: 400;
  src: url(%s) format('woff2');
}
.material-icons {
  font-family: 'Material Icons';
  font-weight: normal;
  font-style: normal;
  font-size: 24px;
  line-height: 1;
  letter-spacing: normal;
  text-transform: none;
  display: inline-block;
  white-space: nowrap;
  word-wrap: normal;
  direction: ltr;
  -webkit-font-feature-settings: 'liga';
  font-feature-settings: 'liga';
  -webkit-font-smoothing: antialiased;
}
`

// placeName answers a reverse (or forward) place-name look-up with one
// canned place, echoing the coordinates asked for.
func placeName(_ *Mirror, u *url.URL) (Answer, error) {
	q := u.Query()
	lat, lon := q.Get("lat"), q.Get("lon")
	if lat == "" {
		lat = "52.4572"
	}
	if lon == "" {
		lon = "13.5262"
	}
	place := map[string]any{
		"place_id":     1,
		"licence":      "Sync Lab: canned answer for the checks (no internet)",
		"lat":          lat,
		"lon":          lon,
		"display_name": "Wilhelminenhofstraße 75A, Oberschöneweide, Treptow-Köpenick, Berlin, 12459, Deutschland",
		"address": map[string]string{
			"road": "Wilhelminenhofstraße", "house_number": "75A", "suburb": "Oberschöneweide",
			"city": "Berlin", "postcode": "12459", "country": "Deutschland", "country_code": "de",
		},
	}
	var body any = place
	if strings.HasPrefix(u.Path, "/search") {
		body = []any{place}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return Answer{}, err
	}
	return Answer{Status: 200, Type: "application/json; charset=utf-8", Body: b, From: "canned place name"}, nil
}
