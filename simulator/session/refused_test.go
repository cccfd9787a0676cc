package session_test

import (
	"context"
	"testing"

	"synclab/simulator/session"
)

// TestNothingLeavesTheMachine: a session's browser context asks for nothing
// but the app's two origins while the app loads and a post is sent (the
// proxy would refuse and record anything else).
func TestNothingLeavesTheMachine(t *testing.T) {
	s := open(t, "08")
	if err := s.Do(context.Background(), session.OpenApp(), session.CreatePost(session.Post{Title: "x", Location: "y"}), session.ExpectBackendPosts(1)); err != nil {
		t.Fatal(err)
	}
	if refused := s.Refused(); len(refused) > 0 {
		t.Fatalf("requests to elsewhere: %v", refused)
	}
}
