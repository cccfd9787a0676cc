package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestAClientThatLeftIsNoServerError: an upload whose client went away
// while its photo was stored (a service worker stopped in the middle of a
// replay) ends with a debug line, not an ERROR that the checks printed
// above a student's results; the same error while the client waits is
// one.
func TestAClientThatLeftIsNoServerError(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, tc := range []struct {
		name      string
		left      bool
		wantError bool
	}{
		{"client left", true, false},
		{"client waits", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			a := &API{logger: slog.New(slog.NewTextHandler(&logs, nil))}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.left {
				cancel()
			}
			rec := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(rec)
			c.Request = httptest.NewRequestWithContext(ctx, http.MethodPost, "/posts", nil)
			a.failWith(c, fmt.Errorf("store photo: %w", context.Canceled))
			if logged := strings.Contains(logs.String(), "level=ERROR"); logged != tc.wantError {
				t.Errorf("logged an error: %v, want %v:\n%s", logged, tc.wantError, logs.String())
			}
			if rec.Code < 500 {
				t.Errorf("status %d, want a 5xx", rec.Code)
			}
		})
	}
}
