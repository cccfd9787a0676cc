package session

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"synclab/backend/lab"
	"synclab/backend/posts"
	"synclab/lang"
	"synclab/simulator/trace"
)

// BackendPosts returns what the backend has stored (from the database).
func (s *Session) BackendPosts(ctx context.Context) ([]posts.WithImage, error) {
	return s.Server.Store.List(ctx)
}

// BackendRequests returns the requests the backend received.
func (s *Session) BackendRequests() []lab.Request { return s.Server.Lab.Requests() }

// postRequests returns the POST /posts requests received.
func (s *Session) postRequests() []lab.Request {
	var out []lab.Request
	for _, r := range s.BackendRequests() {
		if r.Method == "POST" && r.Path == "/posts" {
			out = append(out, r)
		}
	}
	return out
}

// FailNext makes the backend answer the next n POST /posts with status.
func FailNext(n, status int) Step {
	return named(lang.Say("backend answers the next %d post(s) with %d", "das Backend beantwortet %[3]s mit %[2]d", n, status, nextPosts(n)), func(ctx context.Context, s *Session) error {
		s.Server.Lab.FailNext(n, status)
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("next %d POST /posts → %d", n, status))
		return nil
	})
}

// DropNext makes the backend store the next n posts and drop the connection
// without answering.
func DropNext(n int) Step {
	return named(lang.Say("backend stores the next %d post(s) and loses the answer", "das Backend speichert %[2]s und verliert die Antwort", n, nextPosts(n)), func(ctx context.Context, s *Session) error {
		s.Server.Lab.DropNext(n)
		s.Timeline.Add(trace.Backend, "fault", fmt.Sprintf("next %d POST /posts: store, then drop the connection", n))
		return nil
	})
}

// nextPosts says "the next n posts" in German (accusative).
func nextPosts(n int) string {
	if n == 1 {
		return "den nächsten Beitrag"
	}
	return fmt.Sprintf("die nächsten %d Beiträge", n)
}

// Latency delays every backend answer by d.
func Latency(d time.Duration) Step {
	return named(lang.Say("backend answers %v later", "das Backend antwortet %v später", duration(d)), func(ctx context.Context, s *Session) error {
		s.Server.Lab.SetLatency(d)
		return nil
	})
}

// StoreDirectly puts a post into the backend's database without the app
// (e.g. to see it in the feed).
func StoreDirectly(p posts.NewPost) Step {
	return named(lang.Say("backend already holds %q", "das Backend hat schon %q", p.Title), func(ctx context.Context, s *Session) error {
		_, err := s.Server.Store.Create(ctx, p)
		return err
	})
}

// recordBackend adds the backend's requests to the timeline (at the end of a
// session, with their own times).
func (s *Session) recordBackend() {
	for _, r := range s.BackendRequests() {
		text := fmt.Sprintf("received %s %s → %d", r.Method, r.Path, r.Status)
		if r.IdempotencyKey != "" {
			text += " (Idempotency-Key " + r.IdempotencyKey + ")"
		}
		if r.Fault != "" {
			text += " [fault: " + r.Fault + "]"
		}
		s.Timeline.AddEvent(trace.Event{Time: r.Time, Lane: trace.Backend, Kind: "request", Text: text})
	}
}

// WriteTrace writes the session's timeline (with the backend's requests) to dir.
func (s *Session) WriteTrace(dir, title string) error {
	s.RecordEvidence()
	return s.Timeline.Write(dir, title)
}

// RecordEvidence adds the backend's requests and the session's notes to the
// timeline (once), so that the timeline alone tells the whole story.
func (s *Session) RecordEvidence() {
	s.mu.Lock()
	done := s.evidence
	s.evidence = true
	s.mu.Unlock()
	if done {
		return
	}
	s.recordBackend()
	for _, n := range s.Notes() {
		s.Timeline.Add(trace.Sim, "note", n.EN)
	}
}

// postStatuses lists the status codes of the POST /posts answers, e.g.
// "503, 201" ("none" if there were none).
func (s *Session) postStatuses() lang.Text {
	var codes []lang.Text
	for _, r := range s.postRequests() {
		if r.Status == 0 {
			// The connection ended without an answer (dropped, or the
			// client went away while the backend held it).
			codes = append(codes, lang.Text{EN: "no answer", DE: "keine Antwort"})
			continue
		}
		codes = append(codes, lang.Same(strconv.Itoa(r.Status)))
	}
	return joinTexts(codes)
}

// joinTexts lists texts with commas in each language ("none" for none).
func joinTexts(texts []lang.Text) lang.Text {
	if len(texts) == 0 {
		return listOrNone(nil)
	}
	var en, de []string
	for _, t := range texts {
		en, de = append(en, t.EN), append(de, t.DE)
	}
	return lang.Text{EN: strings.Join(en, ", "), DE: strings.Join(de, ", ")}
}
