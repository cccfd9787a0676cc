package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// faultRequest is the body of POST /_lab/fail and /_lab/drop.
type faultRequest struct {
	Count  int `json:"count"`
	Status int `json:"status"`
}

// latencyRequest is the body of POST /_lab/latency.
type latencyRequest struct {
	Milliseconds int `json:"ms"`
}

func (a *API) labRoutes(g *gin.RouterGroup) {
	g.GET("/state", func(c *gin.Context) { c.JSON(http.StatusOK, a.lab.State()) })
	g.POST("/fail", func(c *gin.Context) {
		var req faultRequest
		if err := c.ShouldBindJSON(&req); err != nil || req.Count < 0 || (req.Status != 0 && (req.Status < 400 || req.Status > 599)) {
			fail(c, http.StatusBadRequest, `expected {"count": N, "status": 400..599} (status defaults to 503)`)
			return
		}
		a.lab.FailNext(req.Count, req.Status)
		c.JSON(http.StatusOK, a.lab.State())
	})
	g.POST("/drop", func(c *gin.Context) {
		var req faultRequest
		if err := c.ShouldBindJSON(&req); err != nil || req.Count < 0 {
			fail(c, http.StatusBadRequest, `expected {"count": N}`)
			return
		}
		a.lab.DropNext(req.Count)
		c.JSON(http.StatusOK, a.lab.State())
	})
	g.POST("/latency", func(c *gin.Context) {
		var req latencyRequest
		if err := c.ShouldBindJSON(&req); err != nil || req.Milliseconds < 0 {
			fail(c, http.StatusBadRequest, `expected {"ms": N}`)
			return
		}
		a.lab.SetLatency(time.Duration(req.Milliseconds) * time.Millisecond)
		c.JSON(http.StatusOK, a.lab.State())
	})
	g.GET("/requests", func(c *gin.Context) { c.JSON(http.StatusOK, a.lab.Requests()) })
	g.DELETE("/requests", func(c *gin.Context) {
		a.lab.ClearRequests()
		c.Status(http.StatusNoContent)
	})
	g.POST("/reset", func(c *gin.Context) {
		ctx, cancel := a.dbContext(c)
		defer cancel()
		if err := a.store.Reset(ctx); err != nil {
			a.failWith(c, err)
			return
		}
		a.lab.ClearFaults()
		a.lab.ClearRequests()
		c.Status(http.StatusNoContent)
	})
}
