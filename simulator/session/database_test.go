package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"synclab/backend/dbsource"
	"synclab/frontend/studentapp"
	"synclab/simulator/session"
)

// TestADatabaseThatStopsAnsweringIsTheEnvironments: when the checks' own
// database stops answering in the middle of a session, the step that sees
// it and every step after it fail as the environment's (a DatabaseError
// that says itself in both languages), never as the app's mistake. The
// app is the course's own (camera only); the database is an embedded
// FerretDB the test stops.
func TestADatabaseThatStopsAnsweringIsTheEnvironments(t *testing.T) {
	for _, tc := range []struct {
		name string
		// before runs after the database stopped; sees is the step that
		// meets it.
		before []session.Step
		sees   session.Step
	}{
		// The app's post reaches the backend, which cannot store it: the
		// step only counts requests, the lab knows why the answer was 503.
		{"the backend could not answer the app", []session.Step{session.CreatePost(session.Post{Title: "Während", Location: "Keller"})},
			session.ExpectPostRequests(1)},
		// The checks' own look at what the backend stored fails.
		{"the checks could not read the backend", nil, session.ExpectBackendPosts(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := dbsource.Open(ctx, dbsource.WithMode(dbsource.Embedded), dbsource.Ephemeral())
			if err != nil {
				t.Fatal(err)
			}
			s, err := session.Open(ctx, session.Config{Browser: shared, App: studentFolder(t, studentapp.CourseApp),
				Mongo: []dbsource.Option{dbsource.WithMode(dbsource.URI), dbsource.WithURI(db.URI)}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Do(ctx, session.OpenApp()); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(ctx); err != nil {
				t.Fatalf("stop the database: %v", err)
			}
			if err := s.Do(ctx, tc.before...); err != nil {
				t.Fatal(err)
			}
			for i, st := range []session.Step{tc.sees, session.ExpectNoErrors()} {
				err := s.Do(ctx, st)
				var env *session.EnvironmentError
				var dead *session.DatabaseError
				if !errors.As(err, &env) || !errors.As(err, &dead) {
					t.Fatalf("step %d: %v (%T), want the environment's failure: a database that stopped answering", i, err, err)
				}
				if de := dead.Text().DE; !strings.Contains(de, "antwortete nicht mehr") || !strings.Contains(de, "-mongo embedded") {
					t.Errorf("in German: %s", de)
				}
			}
		})
	}
}
