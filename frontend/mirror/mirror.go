// Package mirror answers requests for the CDN addresses that students' apps
// keep from the course's starting repository (Google Fonts, getmdl.io,
// jsDelivr, unpkg, OpenLayers, a place-name service) from npm packages
// installed on this machine (or built into the program, see
// frontend.EmbeddedLibraries), at the version each address asks for, so that
// the checks see the app as it really is without reaching the internet.
//
// A second version of a package is installed under an npm alias named
// "<package>-<version>" ("ol-6.14.1": "npm:ol@6.14.1" in
// frontend/package.json): the mirror finds every folder of node_modules
// whose package.json names the package and answers from the one whose
// version the address asks for.
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
	"slices"
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

// Mirror answers from the packages in one node_modules tree.
type Mirror struct {
	fsys  fs.FS
	dir   string
	close func() error
	table []Row

	mu       sync.Mutex
	installs map[string][]install // package → the folders holding a version of it
	answers  map[string]Answer    // by address: installed packages do not change
}

// install is one installed version of a package: the folder of node_modules
// it is in (the package's name, or an alias such as "ol-6.14.1").
type install struct {
	folder, version string
}

// New returns a mirror of the packages installed in the folder nodeModules.
// Nothing outside the folder is read, not even through symbolic links.
func New(nodeModules string) (*Mirror, error) {
	root, err := os.OpenRoot(nodeModules)
	if err != nil {
		return nil, fmt.Errorf("open the npm packages for the CDN mirror: %w", err)
	}
	m := NewFS(root.FS())
	m.dir, m.close = nodeModules, root.Close
	return m, nil
}

// NewFS returns a mirror of the packages in fsys, a tree shaped like a
// node_modules folder ("ol/package.json", "ol/ol.css", …), such as the
// libraries built into the program (frontend.EmbeddedLibraries).
func NewFS(fsys fs.FS) *Mirror {
	return &Mirror{fsys: fsys, close: func() error { return nil }, table: Table(), installs: map[string][]install{}, answers: map[string]Answer{}}
}

// Dir is the node_modules folder the mirror reads; empty when it reads
// another fs.FS (NewFS).
func (m *Mirror) Dir() string { return m.dir }

// FS is the node_modules tree the mirror reads.
func (m *Mirror) FS() fs.FS { return m.fsys }

// Close releases the folder.
func (m *Mirror) Close() error { return m.close() }

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

// Version returns the installed version of pkg under its own name ("" when
// it is not installed); versions installed under an alias are in Versions.
func (m *Mirror) Version(pkg string) string {
	for _, in := range m.installed(pkg) {
		if in.folder == pkg {
			return in.version
		}
	}
	return ""
}

// Versions returns every installed version of pkg: the one under its own
// name first, then those under aliases ("ol-6.14.1").
func (m *Mirror) Versions(pkg string) []string {
	var vs []string
	for _, in := range m.installed(pkg) {
		vs = append(vs, in.version)
	}
	return vs
}

// installed finds the folders holding pkg: its own, then each sibling named
// "<name>-…" whose package.json names pkg.
func (m *Mirror) installed(pkg string) []install {
	if !validPackage(pkg) {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if ins, ok := m.installs[pkg]; ok {
		return ins
	}
	var ins []install
	if name, v := m.manifest(pkg); v != "" && (name == pkg || name == "") {
		ins = append(ins, install{folder: pkg, version: v})
	}
	parent, base := path.Split(pkg)
	dir := strings.TrimSuffix(parent, "/")
	if dir == "" {
		dir = "."
	}
	entries, _ := fs.ReadDir(m.fsys, dir)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), base+"-") {
			continue
		}
		folder := parent + e.Name()
		if name, v := m.manifest(folder); name == pkg && v != "" {
			ins = append(ins, install{folder: folder, version: v})
		}
	}
	m.installs[pkg] = ins
	return ins
}

// manifest reads the name and version in folder/package.json.
func (m *Mirror) manifest(folder string) (name, version string) {
	b, err := fs.ReadFile(m.fsys, folder+"/package.json")
	if err != nil {
		return "", ""
	}
	var doc struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return "", ""
	}
	return doc.Name, doc.Version
}

// file reads name (relative to node_modules) and answers with it.
func (m *Mirror) file(name, from string) (Answer, error) {
	clean := path.Clean(name)
	if clean != name || strings.HasPrefix(clean, "../") || clean == ".." || strings.HasPrefix(clean, "/") {
		return Answer{}, &Miss{Reason: "not a file path: " + name}
	}
	b, err := fs.ReadFile(m.fsys, clean)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Answer{}, &Miss{Reason: "no file " + from}
		}
		return Answer{}, &Miss{Reason: fmt.Sprintf("cannot read %s: %v", from, err)}
	}
	if st, err := fs.Stat(m.fsys, clean); err == nil && st.IsDir() {
		return Answer{}, &Miss{Reason: from + " is a folder"}
	}
	return Answer{Status: 200, Type: contentType(clean), Body: b, From: from}, nil
}

// pkgFile answers with a file of pkg from the installed version that
// matches ver (the first installed one when ver is empty). A candidate's
// "${installed}" is that version.
func (m *Mirror) pkgFile(pkg, ver string, candidates ...string) (Answer, error) {
	if !validPackage(pkg) {
		return Answer{}, &Miss{Reason: fmt.Sprintf("%q is not an npm package name", pkg)}
	}
	ins := m.installed(pkg)
	if len(ins) == 0 {
		return Answer{}, &Miss{Reason: fmt.Sprintf("npm package %s is not installed for the mirror (add it to frontend/package.json)", pkg)}
	}
	i := slices.IndexFunc(ins, func(in install) bool { return ver == "" || VersionMatches(in.version, ver) })
	if i < 0 {
		have := make([]string, len(ins))
		for j, in := range ins {
			have[j] = pkg + "@" + in.version
		}
		return Answer{}, &Miss{Reason: fmt.Sprintf("the mirror has %s, the address asks for version %s", strings.Join(have, ", "), ver)}
	}
	folder, installed := ins[i].folder, ins[i].version
	var last error
	for _, c := range candidates {
		c = strings.ReplaceAll(c, "${installed}", installed)
		name, from := folder+"/"+c, pkg+"@"+installed+"/"+c
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
		"ol-6.14.1/package.json", "workbox-sw/package.json", "workbox-core/package.json",
		".synclab-mirror/ol@6.15.1/build/ol.js", ".synclab-mirror/ol@6.14.1/build/ol.js",
		".synclab-mirror/material-design-lite@1.3.0/themes.json",
	}
}

// Load opens the mirror over the npm packages found as frontend.Libraries
// finds them (an explicit folder, SYNCLAB_NODE_MODULES, the libraries built
// into the program, this repository's frontend/node_modules), installing
// them first when o.Install is set.
func Load(ctx context.Context, o frontend.VendorOptions) (*Mirror, error) {
	fsys, dir, err := frontend.Libraries(ctx, o, Needs()...)
	if err != nil {
		return nil, fmt.Errorf("the CDN mirror: %w", err)
	}
	if dir != "" {
		return New(dir)
	}
	return NewFS(fsys), nil
}
