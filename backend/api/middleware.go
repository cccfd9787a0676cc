package api

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"synclab/backend/lab"
)

// cors opens the API to every origin: the app is served from another port.
func cors(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
	h.Set("Access-Control-Max-Age", "600")
	if c.Request.Method == http.MethodOptions {
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

func (a *API) recoverJSON(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.logger.Error("handler panicked", "path", c.Request.URL.Path, "panic", v)
			fail(c, http.StatusInternalServerError, "internal error")
		}
	}()
	c.Next()
}

func (a *API) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	a.logger.Debug("request", "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "duration", time.Since(start))
}

// observe records each request and applies the lab's latency. A request is
// recorded just before its answer goes out (or its connection is dropped),
// so whoever saw the answer also finds the request in the log.
func (a *API) observe(c *gin.Context) {
	start := time.Now()
	a.lab.Begin()
	defer a.lab.End()
	if d := a.lab.Latency(); d > 0 && !isLabPath(c.Request.URL.Path) {
		select {
		case <-time.After(d):
		case <-c.Request.Context().Done():
		}
	}
	var once sync.Once
	record := func() {
		once.Do(func() {
			status := c.Writer.Status()
			f, _ := c.Get(faultKey)
			fault, _ := f.(string)
			msg, _ := c.Get(errorKey)
			errText, _ := msg.(string)
			// A dropped answer, and a held one whose client went away,
			// never reached anyone.
			if fault == "drop" || c.GetBool(unansweredKey) {
				status = 0
			}
			a.lab.Record(lab.Request{
				Time:           start,
				Method:         c.Request.Method,
				Path:           c.Request.URL.Path,
				IdempotencyKey: c.GetHeader("Idempotency-Key"),
				Status:         status,
				Bytes:          c.Request.ContentLength,
				Fault:          fault,
				Error:          errText,
			})
		})
	}
	c.Set(recordKey, record)
	c.Writer = &recordingWriter{ResponseWriter: c.Writer, record: record}
	c.Next()
	record()
}

// recordingWriter calls record before the first byte of the answer is sent.
type recordingWriter struct {
	gin.ResponseWriter
	record func()
}

func (w *recordingWriter) WriteHeaderNow() {
	w.record()
	w.ResponseWriter.WriteHeaderNow()
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.record()
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) WriteString(s string) (int, error) {
	w.record()
	return w.ResponseWriter.WriteString(s)
}

// recordNow records the request at once (before a connection is dropped).
func recordNow(c *gin.Context) {
	if f, ok := c.Get(recordKey); ok {
		if record, ok := f.(func()); ok {
			record()
		}
	}
}

const recordKey = "synclab.record"

const faultKey = "synclab.fault"

const errorKey = "synclab.error"

// unansweredKey marks a request whose client went away before it was
// answered.
const unansweredKey = "synclab.unanswered"

func isLabPath(p string) bool { return len(p) >= 5 && p[:5] == "/_lab" }
