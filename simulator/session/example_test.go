package session_test

import (
	"context"
	"fmt"
	"time"

	"synclab/frontend"
	"synclab/simulator/browser"
	"synclab/simulator/session"
)

// A scenario is a short list of steps: here a post made offline is queued
// and sent once the network is back. Every expectation waits with a
// deadline and says what it saw when it fails.
func Example() {
	ctx := context.Background()
	b, err := browser.Launch(ctx, browser.Options{})
	if err != nil {
		fmt.Println(err) // e.g. no Chrome or Chromium installed, and how to get one
		return
	}
	defer b.Close()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{Install: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	app, _ := frontend.App("07", vendor)
	s, err := session.Open(ctx, session.Config{Browser: b, App: app, Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	err = s.Do(ctx,
		session.OpenApp(),
		session.GoOffline(),
		session.CreatePost(session.Post{Title: "Offline", Location: "Berlin"}),
		session.ExpectOutbox(1),
		session.GoOnline(),
		session.ExpectBackendPosts(1),
		session.ExpectOutbox(0),
	)
	fmt.Println("replayed:", err == nil)
	// Output: replayed: true
}
