package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"synclab/backend/posts"
)

// maxFieldBytes bounds the text fields of the form.
const maxFieldBytes = 64 << 10

// acceptedImages are the photo types recognised by their content.
var acceptedImages = map[string]bool{
	"image/jpeg": true,
	"image/png":  true,
	"image/gif":  true,
	"image/webp": true,
}

// uploadError is a problem with the submitted form, with its status.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

func badUpload(status int, format string, args ...any) error {
	return &uploadError{status: status, msg: fmt.Sprintf(format, args...)}
}

// readUpload reads the multipart form (title, location, file) and checks it.
// The photo's type is decided by its content, not by what the client says.
func readUpload(r *http.Request, maxUpload int64) (posts.NewPost, error) {
	var np posts.NewPost
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return np, badUpload(http.StatusBadRequest, "expected a multipart/form-data body with the fields title, location and file")
	}
	boundary := params["boundary"]
	if boundary == "" {
		return np, badUpload(http.StatusBadRequest, "multipart body without a boundary")
	}
	body := http.MaxBytesReader(nil, r.Body, maxUpload+2*maxFieldBytes+64<<10)
	mr := multipart.NewReader(body, boundary)
	var seenTitle, seenLocation, seenFile bool
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return np, readError(err, maxUpload)
		}
		switch part.FormName() {
		case "title", "location":
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return np, readError(err, maxUpload)
			}
			if len(b) > maxFieldBytes {
				return np, badUpload(http.StatusRequestEntityTooLarge, "field %q is longer than %d bytes", part.FormName(), maxFieldBytes)
			}
			if !utf8.Valid(b) {
				return np, badUpload(http.StatusBadRequest, "field %q is not valid UTF-8 text", part.FormName())
			}
			if part.FormName() == "title" {
				np.Title, seenTitle = strings.TrimSpace(string(b)), true
			} else {
				np.Location, seenLocation = strings.TrimSpace(string(b)), true
			}
		case "file":
			if seenFile {
				return np, badUpload(http.StatusBadRequest, "more than one file in field \"file\"; send one photo per post")
			}
			seenFile = true
			data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
			if err != nil {
				return np, readError(err, maxUpload)
			}
			if int64(len(data)) > maxUpload {
				return np, badUpload(http.StatusRequestEntityTooLarge, "file is larger than the limit of %s", humanBytes(maxUpload))
			}
			np.Data = data
			np.FileName = part.FileName()
			np.ContentType = part.Header.Get("Content-Type")
		default:
			// Unknown fields are read and ignored, as the original did.
			if _, err := io.Copy(io.Discard, io.LimitReader(part, maxFieldBytes+1)); err != nil {
				return np, readError(err, maxUpload)
			}
		}
		_ = part.Close()
	}
	switch {
	case !seenTitle || np.Title == "":
		return np, badUpload(http.StatusBadRequest, "field \"title\" is missing or empty")
	case !seenLocation || np.Location == "":
		return np, badUpload(http.StatusBadRequest, "field \"location\" is missing or empty")
	case !seenFile || len(np.Data) == 0:
		return np, badUpload(http.StatusBadRequest, "field \"file\" is missing or empty: attach a photo")
	}
	sniffed := http.DetectContentType(np.Data)
	if !acceptedImages[sniffed] {
		declared := np.ContentType
		if declared == "" {
			declared = "none"
		}
		return np, badUpload(http.StatusUnsupportedMediaType,
			"file is not an image: its content looks like %s (declared type: %s); send a JPEG, PNG, GIF or WebP photo", sniffed, declared)
	}
	np.ContentType = sniffed
	if np.FileName == "" {
		np.FileName = "photo" + extensionFor(sniffed)
	}
	return np, nil
}

func readError(err error, maxUpload int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return badUpload(http.StatusRequestEntityTooLarge, "request body is larger than the limit of %s", humanBytes(maxUpload))
	}
	return badUpload(http.StatusBadRequest, "malformed multipart body: %v", err)
}

func extensionFor(contentType string) string {
	switch contentType {
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	default:
		return ".jpg"
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// validKey accepts Idempotency-Key values of printable ASCII up to 255 bytes.
func validKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

func (a *API) createPost(c *gin.Context) {
	if a.lab != nil {
		if status, ok := a.lab.TakeFailure(); ok {
			c.Set(faultKey, "status")
			_, _ = io.Copy(io.Discard, io.LimitReader(c.Request.Body, a.maxUpload+1<<20))
			fail(c, status, fmt.Sprintf("injected fault: the lab made this request answer %d", status))
			return
		}
	}
	key := c.GetHeader("Idempotency-Key")
	if key != "" && !validKey(key) {
		fail(c, http.StatusBadRequest, "Idempotency-Key must be 1 to 255 printable ASCII characters")
		return
	}
	np, err := readUpload(c.Request, a.maxUpload)
	if err != nil {
		var ue *uploadError
		if errors.As(err, &ue) {
			fail(c, ue.status, ue.msg)
			return
		}
		a.failWith(c, err)
		return
	}
	ctx, cancel := a.dbContext(c)
	defer cancel()
	var (
		p       posts.Post
		created = true
	)
	if key != "" {
		p, created, err = a.store.CreateOnce(ctx, key, np)
	} else {
		p, err = a.store.Create(ctx, np)
	}
	if err != nil {
		a.failWith(c, err)
		return
	}
	if a.lab != nil && a.lab.TakeDrop() {
		c.Set(faultKey, "drop")
		recordNow(c)
		a.dropConnection(c)
		return
	}
	if a.lab != nil && a.lab.TakeHold() {
		c.Set(faultKey, "hold")
		if !a.lab.Hold(c.Request.Context()) {
			// The client went away while its answer was held: there is
			// no one left to answer (the log records status 0).
			c.Set(unansweredKey, true)
			c.Abort()
			return
		}
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, postJSON{ID: p.ID.Hex(), Title: p.Title, Location: p.Location, ImageID: p.ImageID})
}

// dropConnection closes the client's connection without an answer, as if
// the network had lost the response after the post was stored.
func (a *API) dropConnection(c *gin.Context) {
	conn, _, err := c.Writer.Hijack()
	if err != nil {
		// HTTP/2 or a test recorder: abort the handler instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
	c.Abort()
}
