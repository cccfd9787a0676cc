package session

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"synclab/failure"
	"synclab/lang"
)

// QueuedPost is a post as it waited in the outbox: what the user entered.
type QueuedPost struct {
	Title, Location string
	// PhotoField is the record's field that held the photo (image_id in the
	// chapter, but any name works).
	PhotoField string
	PhotoSize  int
	PhotoSHA   [32]byte
}

// photoOf returns the record's Blob/File field, whatever its name.
func photoOf(r Record) (string, Blob, bool) {
	names := make([]string, 0, len(r))
	for k := range r {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if b, ok := r.Blob(k); ok && b.Size > 0 {
			return k, b, true
		}
	}
	return "", Blob{}, false
}

func fieldNames(r Record) string {
	names := make([]string, 0, len(r))
	for k := range r {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// ExpectQueuedPost checks the outbox record titled title: it holds the
// location and a photo (a Blob or File in any field).
func ExpectQueuedPost(title, location string) Step {
	return named(lang.Say("expect the queued record %q to hold title, location and photo", "erwarten, dass der wartende Eintrag %q Titel, Ort und Foto enthält", title), func(ctx context.Context, s *Session) error {
		recs, err := s.Outbox(ctx)
		if err != nil {
			return err
		}
		fail := func(seen lang.Text) error {
			return &ExpectationError{Kind: failure.QueuedRecord, Instant: true,
				Expected: lang.Say("the queued record %q to hold the title, the location %q and the photo", "der wartende Eintrag %q enthält den Titel, den Ort %q und das Foto", title, location), Seen: seen}
		}
		for _, r := range recs {
			if r.String("title") != title {
				continue
			}
			if r.String("location") != location {
				return fail(lang.Say("its location is %q (fields: %s)", "sein Ort ist %q (Felder: %s)", r.String("location"), fieldNames(r)))
			}
			if _, _, ok := photoOf(r); !ok {
				return fail(lang.Say("it holds no photo as a Blob or File (fields: %s)", "er enthält kein Foto als Blob oder File (Felder: %s)", fieldNames(r)))
			}
			return nil
		}
		var titles []lang.Text
		for _, r := range recs {
			titles = append(titles, lang.Say("%q (fields: %s)", "%q (Felder: %s)", r.String("title"), fieldNames(r)))
		}
		held := lang.Text{EN: "none", DE: "keinen"}
		if len(titles) > 0 {
			held = lang.Join(titles, ", ")
		}
		return fail(lang.Say("no record has that title; the outbox holds %s", "kein Eintrag hat diesen Titel; die Outbox enthält %s", held))
	})
}

// RememberQueued notes what waits in the outbox now, photo bytes included,
// so that ExpectReplayedAsEntered can compare the backend's posts with it.
func RememberQueued() Step {
	return named(lang.Say("remember the queued posts", "die wartenden Beiträge merken"), func(ctx context.Context, s *Session) error {
		recs, err := s.Records(ctx, DBName, OutboxName, true)
		if err != nil {
			return err
		}
		var queued []QueuedPost
		for _, r := range recs {
			q := QueuedPost{Title: r.String("title"), Location: r.String("location")}
			if field, b, ok := photoOf(r); ok {
				data, err := base64.StdEncoding.DecodeString(b.Base64)
				if err != nil {
					return fmt.Errorf("read the queued photo: %w", err)
				}
				q.PhotoField, q.PhotoSize, q.PhotoSHA = field, len(data), sha256.Sum256(data)
			}
			queued = append(queued, q)
		}
		s.mu.Lock()
		s.queued = queued
		s.mu.Unlock()
		return nil
	})
}

// ExpectReplayedAsEntered waits until every post RememberQueued saw is
// stored at the backend exactly as entered: the same title and location,
// and the photo byte for byte.
func ExpectReplayedAsEntered() Step {
	return named(lang.Say("expect the replayed posts as entered (title, location, photo byte for byte)", "die gesendeten Beiträge wie eingegeben erwarten (Titel, Ort, Foto Byte für Byte)"), func(ctx context.Context, s *Session) error {
		s.mu.Lock()
		queued := slices.Clone(s.queued)
		s.mu.Unlock()
		if len(queued) == 0 {
			return fmt.Errorf("nothing was remembered from the outbox (run RememberQueued while posts wait)")
		}
		return s.waitFor(ctx, failure.ReplayedPost, lang.Say("the backend to store every queued post exactly as entered (title, location, photo byte for byte)",
			"das Backend speichert jeden wartenden Beitrag genau wie eingegeben (Titel, Ort, Foto Byte für Byte)"), 0,
			func(ctx context.Context) (bool, lang.Text, error) {
				list, err := s.BackendPosts(ctx)
				if err != nil {
					return false, lang.Text{}, err
				}
				var problems []lang.Text
				for _, q := range queued {
					found := false
					var near []lang.Text
					for _, p := range list {
						if p.Title != q.Title {
							continue
						}
						size := 0
						var sum [32]byte
						if p.Image != nil {
							size, sum = len(p.Image.Data), sha256.Sum256(p.Image.Data)
						}
						if p.Location == q.Location && size == q.PhotoSize && sum == q.PhotoSHA {
							found = true
							break
						}
						near = append(near, lang.Say("stored with location %q and a photo of %d bytes (queued: %q, %d bytes in %q)",
							"gespeichert mit Ort %q und einem Foto von %d Bytes (wartend: %q, %d Bytes in %q)",
							p.Location, size, q.Location, q.PhotoSize, q.PhotoField))
					}
					switch {
					case found:
					case len(near) > 0:
						problems = append(problems, lang.Say("%q %s", "%q %s", q.Title, lang.Join(near, "; ")))
					default:
						problems = append(problems, lang.Say("%q is not stored", "%q ist nicht gespeichert", q.Title))
					}
				}
				if len(problems) == 0 {
					return true, lang.Text{}, nil
				}
				return false, lang.Say("%s (answers to POST /posts: %s)", "%s (Antworten auf POST /posts: %s)", lang.Join(problems, "; "), s.postStatuses()), nil
			})
	})
}
