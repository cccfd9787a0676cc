package session_test

import (
	"context"
	"testing"
	"time"

	"synclab/frontend"
	"synclab/simulator/session"
)

// A pool hands out the sessions it opened ahead of time, and they work like
// any other: the app opens and its worker activates.
func TestPoolHandsOutSessionsOpenedAhead(t *testing.T) {
	ctx := context.Background()
	vendor, err := frontend.Vendor(ctx, frontend.VendorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	app, err := frontend.App("07", vendor)
	if err != nil {
		t.Fatal(err)
	}
	cfg := session.Config{Browser: shared, App: app}
	p := &session.Pool{}
	defer p.Close()

	p.Fill(ctx, 1)
	if n := p.Spare(); n != 0 {
		t.Fatalf("a pool that has not opened anything yet knows no configuration, but has %d spare sessions", n)
	}
	first, err := p.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	p.Fill(ctx, 2)
	for deadline := time.Now().Add(30 * time.Second); p.Spare() < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the pool holds %d spare sessions 30 s after Fill(2)", p.Spare())
		}
	}
	p.Fill(ctx, 2) // already full: opens none
	s, err := p.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := p.Spare(); n != 1 {
		t.Fatalf("after handing one out the pool has %d spare sessions, want 1", n)
	}
	if err := s.Do(ctx, session.OpenApp()); err != nil {
		t.Fatalf("a session from the pool does not run the app: %v", err)
	}
}
