// Package appserver serves the app's static files as the course's
// "http-server -c-1" does: no caching, the right MIME types, index.html for
// folders, and nothing outside the app's folder.
package appserver

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// contentTypes are the types the app needs, independent of the system's
// MIME tables.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".svg":         "image/svg+xml",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".txt":         "text/plain; charset=utf-8",
}

// ContentType returns the type served for a file name.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Handler serves fsys.
type Handler struct {
	fsys   fs.FS
	logger *slog.Logger
}

// New returns a handler serving fsys.
func New(fsys fs.FS, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{fsys: fsys, logger: logger}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := cleanName(r.URL.Path)
	if !ok {
		h.logger.Warn("refused a path outside the app folder", "path", r.URL.Path)
		http.Error(w, "forbidden: the path leaves the app folder", http.StatusForbidden)
		return
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		h.notFound(w, r, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		h.notFound(w, r, err)
		return
	}
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		_ = f.Close()
		name = path.Join(name, "index.html")
		if f, err = h.fsys.Open(name); err != nil {
			h.notFound(w, r, err)
			return
		}
		defer f.Close()
		if st, err = f.Stat(); err != nil || st.IsDir() {
			h.notFound(w, r, fs.ErrNotExist)
			return
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(name))
	hdr.Set("Cache-Control", "no-cache, no-store, must-revalidate")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, name, time.Time{}, rs)
		return
	}
	b, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, "cannot read "+name, http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(b)))
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		http.Error(w, "not found: "+r.URL.Path, http.StatusNotFound)
		return
	}
	// os.Root refuses symbolic links that point out of the folder.
	h.logger.Warn("refused a file", "path", r.URL.Path, "err", err)
	http.Error(w, "forbidden: "+r.URL.Path, http.StatusForbidden)
}

// cleanName turns a URL path into an fs.FS name, refusing anything that
// climbs out of the root: ".." segments (however encoded: the path is
// already decoded here), backslashes and NUL bytes.
func cleanName(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.Trim(path.Clean(p), "/")
	if name == "" {
		name = "."
	}
	return name, fs.ValidPath(name)
}
