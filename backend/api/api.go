// Package api is the reference REST backend of the chapter's app: posts with
// photos in GridFS, idempotent replays, and (in lab mode) fault injection.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"synclab/backend/lab"
	"synclab/backend/posts"
)

// DefaultMaxUpload is the largest photo accepted unless Config says otherwise.
const DefaultMaxUpload = 10 << 20

// Config holds the API's dependencies and limits.
type Config struct {
	Store *posts.Store
	// Lab enables the fault-injection and observation routes under /_lab/
	// when not nil.
	Lab *lab.Lab
	// MaxUpload bounds the photo size in bytes (DefaultMaxUpload if zero).
	MaxUpload int64
	// Timeout bounds the database work of one request (10 s if zero).
	Timeout time.Duration
	Logger  *slog.Logger
}

// API serves the posts routes.
type API struct {
	store     *posts.Store
	lab       *lab.Lab
	maxUpload int64
	timeout   time.Duration
	logger    *slog.Logger
}

// New returns the API's router.
func New(cfg Config) http.Handler {
	a := &API{store: cfg.Store, lab: cfg.Lab, maxUpload: cfg.MaxUpload, timeout: cfg.Timeout, logger: cfg.Logger}
	if a.maxUpload <= 0 {
		a.maxUpload = DefaultMaxUpload
	}
	if a.timeout <= 0 {
		a.timeout = 10 * time.Second
	}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	return a.routes()
}

func (a *API) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(a.recoverJSON, a.logRequests, cors)
	if a.lab != nil {
		r.Use(a.observe)
	}
	r.NoRoute(func(c *gin.Context) {
		fail(c, http.StatusNotFound, "no such route: "+c.Request.Method+" "+c.Request.URL.Path)
	})
	r.NoMethod(func(c *gin.Context) {
		fail(c, http.StatusMethodNotAllowed, "method "+c.Request.Method+" is not allowed on "+c.Request.URL.Path)
	})

	r.GET("/healthz", a.health)
	r.POST("/posts", a.createPost)
	r.GET("/posts", a.listPosts)
	r.GET("/posts/:id", a.getPost)
	r.DELETE("/posts/:id", a.deletePost)
	r.GET("/posts/:id/image", a.getImage)
	if a.lab != nil {
		a.labRoutes(r.Group("/_lab"))
	}
	return r
}

// errorBody is every error answer's shape.
type errorBody struct {
	Error string `json:"error"`
}

func fail(c *gin.Context, status int, msg string) {
	c.Set(errorKey, msg) // for the lab's request log
	c.AbortWithStatusJSON(status, errorBody{Error: msg})
}

// failWith maps a store error to a status.
func (a *API) failWith(c *gin.Context, err error) {
	switch {
	case errors.Is(err, posts.ErrInvalidID):
		fail(c, http.StatusBadRequest, "malformed post id: expected 24 hexadecimal digits")
	case errors.Is(err, posts.ErrNotFound):
		fail(c, http.StatusNotFound, "post does not exist")
	case errors.Is(err, posts.ErrKeyReused):
		fail(c, http.StatusUnprocessableEntity, "this Idempotency-Key was already used for a different post; use a new key for a new post")
	case errors.Is(err, posts.ErrKeyInProgress):
		c.Header("Retry-After", "1")
		fail(c, http.StatusServiceUnavailable, "a request with this Idempotency-Key is still being processed; retry shortly")
	case (posts.IsUnavailable(err) || errors.Is(err, context.Canceled)) && c.Request.Context().Err() != nil:
		// The client left (or the server is closing) before the database
		// answered: nobody waits for this answer, nothing to warn about.
		a.logger.Debug("request ended before the database answered", "path", c.Request.URL.Path, "err", err)
		fail(c, http.StatusServiceUnavailable, "request ended before the database answered")
	case posts.IsUnavailable(err):
		a.logger.Warn("database unavailable", "path", c.Request.URL.Path, "err", err)
		if a.lab != nil {
			a.lab.DatabaseFailed(err)
		}
		c.Header("Retry-After", "5")
		fail(c, http.StatusServiceUnavailable, "database unavailable; try again later")
	default:
		a.logger.Error("request failed", "path", c.Request.URL.Path, "err", err)
		fail(c, http.StatusInternalServerError, "internal error: "+err.Error())
	}
}

func (a *API) dbContext(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), a.timeout)
}

func (a *API) health(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": fmt.Sprintf("database does not answer: %v", err)})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// postJSON is a post as the API answers it.
type postJSON struct {
	ID       string `json:"_id"`
	Title    string `json:"title"`
	Location string `json:"location"`
	ImageID  string `json:"image_id"`
}

func withDataURL(w posts.WithImage) postJSON {
	p := postJSON{ID: w.ID.Hex(), Title: w.Title, Location: w.Location}
	if w.Image != nil {
		p.ImageID = w.Image.DataURL()
	}
	return p
}

func (a *API) listPosts(c *gin.Context) {
	ctx, cancel := a.dbContext(c)
	defer cancel()
	list, err := a.store.List(ctx)
	if err != nil {
		a.failWith(c, err)
		return
	}
	out := make([]postJSON, len(list))
	for i, w := range list {
		out[i] = withDataURL(w)
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) getPost(c *gin.Context) {
	id, err := posts.ParseID(c.Param("id"))
	if err != nil {
		a.failWith(c, err)
		return
	}
	ctx, cancel := a.dbContext(c)
	defer cancel()
	w, err := a.store.Get(ctx, id)
	if err != nil {
		a.failWith(c, err)
		return
	}
	c.JSON(http.StatusOK, withDataURL(w))
}

func (a *API) deletePost(c *gin.Context) {
	id, err := posts.ParseID(c.Param("id"))
	if err != nil {
		a.failWith(c, err)
		return
	}
	ctx, cancel := a.dbContext(c)
	defer cancel()
	if err := a.store.Delete(ctx, id); err != nil {
		a.failWith(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *API) getImage(c *gin.Context) {
	id, err := posts.ParseID(c.Param("id"))
	if err != nil {
		a.failWith(c, err)
		return
	}
	ctx, cancel := a.dbContext(c)
	defer cancel()
	im, err := a.store.Image(ctx, id)
	if err != nil {
		a.failWith(c, err)
		return
	}
	etag := `"` + im.Filename + `"`
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Header("ETag", etag)
	if !im.UploadDate.IsZero() {
		c.Header("Last-Modified", im.UploadDate.UTC().Format(http.TimeFormat))
	}
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, im.ContentType, im.Data)
}
