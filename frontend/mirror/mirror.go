// Package mirror answers requests for the CDN addresses that students' apps
// keep from the course's starting repository (Google Fonts, getmdl.io,
// jsDelivr, unpkg, OpenLayers, a place-name service) from npm packages
// installed on this machine, at the version each address asks for, so that
// the checks see the app as it really is without reaching the internet.
//
// The addresses it knows are a table (Table): a host and a path pattern
// mapped to a package, a version and a file. Everything else is a Miss.
package mirror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"

	"synclab/frontend"
)

// Answer is what the mirror sends for an address.
type Answer struct {
	Status int
	// Type is the Content-Type.
	Type string
	Body []byte
	// From says where the answer came from, e.g.
	// "material-design-lite@1.3.0/dist/material.blue_grey-red.min.css".
	From string
}

// Miss says why an address is not answered by the mirror.
type Miss struct {
	URL    string
	Reason string
}

func (m *Miss) Error() string { return m.URL + ": " + m.Reason }

// Mirror answers from the packages in one node_modules folder.
type Mirror struct {
	root  *os.Root
	dir   string
	table []Row

	mu       sync.Mutex
	versions map[string]string // package → installed version ("" if none)
	answers  map[string]Answer // by address: installed packages do not change
}

// New returns a mirror of the packages installed in nodeModules.
func New(nodeModules string) (*Mirror, error) {
	root, err := os.OpenRoot(nodeModules)
	if err != nil {
		return nil, fmt.Errorf("open the npm packages for the CDN mirror: %w", err)
	}
	return &Mirror{root: root, dir: nodeModules, table: Table(), versions: map[string]string{}, answers: map[string]Answer{}}, nil
}

// Dir is the node_modules folder the mirror reads.
func (m *Mirror) Dir() string { return m.dir }

// Close releases the folder.
func (m *Mirror) Close() error { return m.root.Close() }

// Answer returns the mirror's answer for rawURL, or a *Miss. Answers are
// kept in memory: the checks ask for the same few files in every session.
func (m *Mirror) Answer(rawURL string) (Answer, error) {
	m.mu.Lock()
	ans, ok := m.answers[rawURL]
	m.mu.Unlock()
	if ok {
		return ans, nil
	}
	ans, err := m.lookup(rawURL)
	if err == nil {
		m.mu.Lock()
		m.answers[rawURL] = ans
		m.mu.Unlock()
	}
	return ans, err
}

func (m *Mirror) lookup(rawURL string) (Answer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Answer{}, &Miss{URL: rawURL, Reason: "not a valid address"}
	}
	host := strings.ToLower(u.Hostname())
	var misses []string
	for i := range m.table {
		row := &m.table[i]
		if row.Host != host {
			continue
		}
		groups, ok := row.match(u.EscapedPath())
		if !ok {
			continue
		}
		ans, err := row.answer(m, u, groups)
		if err == nil {
			return ans, nil
		}
		var miss *Miss
		if !errors.As(err, &miss) {
			return Answer{}, err
		}
		misses = append(misses, miss.Reason)
	}
	if len(misses) > 0 {
		return Answer{}, &Miss{URL: rawURL, Reason: strings.Join(misses, "; ")}
	}
	return Answer{}, &Miss{URL: rawURL, Reason: "the mirror does not know this address"}
}

// Version returns the installed version of pkg ("" when it is not installed).
func (m *Mirror) Version(pkg string) string {
	if !validPackage(pkg) {
		return ""
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.versions[pkg]; ok {
		return v
	}
	v := ""
	if b, err := m.root.ReadFile(pkg + "/package.json"); err == nil {
		var doc struct {
			Version string `json:"version"`
		}
		if json.Unmarshal(b, &doc) == nil {
			v = doc.Version
		}
	}
	m.versions[pkg] = v
	return v
}

// file reads name (relative to node_modules) and answers with it.
func (m *Mirror) file(name, from string) (Answer, error) {
	clean := path.Clean(name)
	if clean != name || strings.HasPrefix(clean, "../") || clean == ".." || strings.HasPrefix(clean, "/") {
		return Answer{}, &Miss{Reason: "not a file path: " + name}
	}
	b, err := m.root.ReadFile(clean)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Answer{}, &Miss{Reason: "no file " + from}
		}
		return Answer{}, &Miss{Reason: fmt.Sprintf("cannot read %s: %v", from, err)}
	}
	if st, err := m.root.Stat(clean); err == nil && st.IsDir() {
		return Answer{}, &Miss{Reason: from + " is a folder"}
	}
	return Answer{Status: 200, Type: contentType(clean), Body: b, From: from}, nil
}

// pkgFile answers with file of pkg when the installed version matches ver.
func (m *Mirror) pkgFile(pkg, ver string, candidates ...string) (Answer, error) {
	if !validPackage(pkg) {
		return Answer{}, &Miss{Reason: fmt.Sprintf("%q is not an npm package name", pkg)}
	}
	installed := m.Version(pkg)
	if installed == "" {
		return Answer{}, &Miss{Reason: fmt.Sprintf("npm package %s is not installed for the mirror (add it to frontend/package.json)", pkg)}
	}
	if ver != "" && !VersionMatches(installed, ver) {
		return Answer{}, &Miss{Reason: fmt.Sprintf("the mirror has %s@%s, the address asks for version %s", pkg, installed, ver)}
	}
	var last error
	for _, c := range candidates {
		name, from := pkg+"/"+c, pkg+"@"+installed+"/"+c
		if built, ok := strings.CutPrefix(c, "/"); ok {
			name, from = built, pkg+"@"+installed+", built at install as node_modules/"+built
		}
		ans, err := m.file(name, from)
		if err == nil {
			return ans, nil
		}
		last = err
	}
	return Answer{}, last
}

// VersionMatches reports whether the installed version satisfies the
// version an address asks for: the same version, "latest", or a prefix at a
// dot ("1.3" and "1" match "1.3.0").
func VersionMatches(installed, asked string) bool {
	asked = strings.TrimPrefix(asked, "v")
	switch {
	case asked == installed, asked == "latest":
		return true
	case strings.HasPrefix(installed, asked+"."):
		return true
	}
	return false
}

var packageName = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$`)

func validPackage(p string) bool { return packageName.MatchString(p) && !strings.Contains(p, "..") }

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json", ".map":
		return "application/json; charset=utf-8"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".ttf":
		return "font/ttf"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Needs lists paths inside node_modules that the table relies on: when one
// is missing, "npm ci" has not run in frontend/ (or its build step failed).
func Needs() []string {
	return []string{
		"@fontsource/roboto/package.json", "material-icons/package.json",
		"material-design-lite/package.json", "ol/package.json", "idb/package.json",
		".synclab-mirror",
	}
}

// Load opens the mirror over the npm packages of this repository (see
// frontend.NodeModules), installing them first when o.Install is set.
func Load(ctx context.Context, o frontend.VendorOptions) (*Mirror, error) {
	dir, err := frontend.NodeModules(ctx, o, Needs()...)
	if err != nil {
		return nil, fmt.Errorf("the CDN mirror: %w", err)
	}
	return New(dir)
}
