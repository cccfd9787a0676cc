package session

import (
	"errors"
	"testing"
	"time"

	"synclab/lang"
)

func TestSay(t *testing.T) {
	tests := []struct {
		name   string
		got    lang.Text
		en, de string
	}{
		{"texts among the args are put in their own language",
			lang.Say("%s to hold %s", "%s enthält %s", outboxName(), nRecords(2)),
			"the outbox (IndexedDB posts-store/sync-posts) to hold 2 records", "die Outbox (IndexedDB posts-store/sync-posts) enthält 2 Einträge"},
		{"German word order with argument indexes",
			lang.Say("expected %s within %v", "erwartet innerhalb von %[2]v: %[1]s", lang.Same("x"), time.Second),
			"expected x within 1s", "erwartet innerhalb von 1s: x"},
		{"one", nPosts(1), "1 post", "1 Beitrag"},
		{"none listed", listOrNone(nil), "none", "keine"},
		{"joined", lang.Join([]lang.Text{nCards(0), nTimes(3)}, "; "), "0 cards; 3 times", "0 Karten; 3 Mal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.EN != tt.en || tt.got.DE != tt.de {
				t.Errorf("got %q / %q, want %q / %q", tt.got.EN, tt.got.DE, tt.en, tt.de)
			}
		})
	}
}

func TestExpectationErrorSpeaksBoth(t *testing.T) {
	ee := &ExpectationError{Expected: lang.Say("the backend to store 1 post", "das Backend speichert 1 Beitrag"), Within: 5 * time.Second,
		Seen:    doomedSeen(lang.Say("it has 0 posts", "es hat 0 Beiträge"), lang.Say("the page crashed", "die Seite ist abgestürzt")),
		Context: lang.Say("no sync event was dispatched", "kein sync-Ereignis wurde ausgelöst")}
	if got, want := ee.Error(), "expected the backend to store 1 post within 5s; it has 0 posts; it can no longer happen: the page crashed; no sync event was dispatched"; got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
	if got, want := ee.In(lang.German), "erwartet innerhalb von 5s: das Backend speichert 1 Beitrag; es hat 0 Beiträge; das kann nicht mehr geschehen: die Seite ist abgestürzt; kein sync-Ereignis wurde ausgelöst"; got != want {
		t.Errorf("In(de) = %q\nwant     %q", got, want)
	}
}

func TestErrorInSaysTheStepsToo(t *testing.T) {
	ee := &ExpectationError{Expected: lang.Say("a photo", "ein Foto"), Seen: lang.Say("none", "keins"), Instant: true}
	inner := &StepError{Step: "press Speichern", Title: lang.Say("press Speichern", "Speichern drücken"), Err: ee}
	err := &StepError{Step: `create the post "A"`, Title: lang.Say("create the post %q", "den Beitrag %q erstellen", "A"), Err: inner}
	if got, want := ErrorIn(err, lang.German), `den Beitrag "A" erstellen: Speichern drücken: erwartet: ein Foto; keins`; got != want {
		t.Errorf("ErrorIn(de) = %q, want %q", got, want)
	}
	if got, want := ErrorIn(err, lang.English), err.Error(); got != want {
		t.Errorf("ErrorIn(en) = %q, want Error() %q", got, want)
	}
	late := errors.Join(err, errors.New("the scenario ran out of time (1m0s)"))
	if got, want := ErrorIn(late, lang.German), `den Beitrag "A" erstellen: Speichern drücken: erwartet: ein Foto; keins`+"\nthe scenario ran out of time (1m0s)"; got != want {
		t.Errorf("ErrorIn(de) of a joined error = %q, want %q", got, want)
	}
}

// TestADoomedWaitSaysWhenNotWithin: a wait that ended early on an
// observation says after how long, not "within" that time.
func TestADoomedWaitSaysWhenNotWithin(t *testing.T) {
	ee := &ExpectationError{Expected: lang.Say("x", "X"), Within: 1200 * time.Millisecond, Seen: doomedSeen(lang.Say("y", "Y"), lang.Say("z", "Z")), Doomed: true}
	for l, want := range map[string]string{
		lang.English: "expected x; after 1.2s, y; it can no longer happen: z",
		lang.German:  "erwartet: X; nach 1,2s: Y; das kann nicht mehr geschehen: Z",
	} {
		if got := ee.In(l); got != want {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
	}
}
