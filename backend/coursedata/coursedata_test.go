package coursedata_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"synclab/backend/coursedata"
	"synclab/backend/posts"
	"synclab/backend/samples"
	"synclab/backend/testdb"
)

// writeInstructorFiles writes collection files the way mongoexport does for
// the original backend's data: one post with a two-chunk photo, one more
// whose chunks are in the chunks file only if withChunks.
func writeInstructorFiles(t *testing.T, dir string, photo []byte, withChunks bool) {
	t.Helper()
	half := len(photo) / 2
	postsJSON := `{"_id":{"$oid":"5f1a2b3c4d5e6f7081920001"},"title":"Mensa","location":"Campus","image_id":"1610000000000-jf-mensa.jpg","__v":0}
{"_id":{"$oid":"5f1a2b3c4d5e6f7081920002"},"title":"Ohne Bild","location":"Nirgendwo","image_id":"1610000000001-jf-fehlt.jpg","__v":0}
`
	filesJSON := fmt.Sprintf(`{"_id":{"$oid":"5f1a2b3c4d5e6f70819200f1"},"length":%d,"chunkSize":%d,"uploadDate":{"$date":"2021-01-07T10:00:00.000Z"},"filename":"1610000000000-jf-mensa.jpg","contentType":"image/jpeg"}
`, len(photo), half)
	chunk := func(id string, n int, b []byte) string {
		return fmt.Sprintf(`{"_id":{"$oid":"%s"},"files_id":{"$oid":"5f1a2b3c4d5e6f70819200f1"},"n":%d,"data":{"$binary":{"base64":"%s","subType":"00"}}}`+"\n",
			id, n, base64.StdEncoding.EncodeToString(b))
	}
	// Chunks out of order, as an export may list them.
	chunksJSON := chunk("5f1a2b3c4d5e6f70819200c2", 1, photo[half:]) + chunk("5f1a2b3c4d5e6f70819200c1", 0, photo[:half])
	must(t, os.WriteFile(filepath.Join(dir, coursedata.PostsFile), []byte(postsJSON), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, coursedata.FilesFile), []byte(filesJSON), 0o644))
	if withChunks {
		must(t, os.WriteFile(filepath.Join(dir, coursedata.ChunksFile), []byte(chunksJSON), 0o644))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportInstructorFilesAndExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	photo, err := samples.Photo(200, 120, 1)
	must(t, err)
	in := t.TempDir()
	writeInstructorFiles(t, in, photo, true)

	db := testdb.New(t)
	rep, err := coursedata.Import(ctx, db.Database, in)
	must(t, err)
	if rep.Counts[coursedata.PostsFile] != 2 || rep.Counts[coursedata.FilesFile] != 1 || rep.Counts[coursedata.ChunksFile] != 2 {
		t.Fatalf("counts = %v", rep.Counts)
	}
	if len(rep.MissingImages) != 1 || !strings.Contains(rep.MissingImages[0], "Ohne Bild") {
		t.Fatalf("missing images = %v, want the post without a file", rep.MissingImages)
	}
	// Importing again changes nothing.
	_, err = coursedata.Import(ctx, db.Database, in)
	must(t, err)
	store := posts.NewStore(db.Database, posts.Options{})
	list, err := store.List(ctx)
	must(t, err)
	if len(list) != 2 || list[0].ID.Hex() != "5f1a2b3c4d5e6f7081920001" || list[0].Image == nil || !bytes.Equal(list[0].Image.Data, photo) {
		t.Fatalf("imported posts = %d, first %s, photo intact: %v", len(list), list[0].ID.Hex(), list[0].Image != nil && bytes.Equal(list[0].Image.Data, photo))
	}

	out := t.TempDir()
	exp, err := coursedata.Export(ctx, db.Database, out)
	must(t, err)
	if exp.Counts[coursedata.PostsFile] != 2 || exp.Counts[coursedata.ChunksFile] != 2 {
		t.Fatalf("export counts = %v", exp.Counts)
	}
	line, _ := os.ReadFile(filepath.Join(out, coursedata.PostsFile))
	if !bytes.Contains(line, []byte(`{"$oid":"5f1a2b3c4d5e6f7081920001"}`)) {
		t.Errorf("exported posts are not Extended JSON with $oid:\n%s", line)
	}
	files, _ := os.ReadFile(filepath.Join(out, coursedata.FilesFile))
	if !bytes.Contains(files, []byte(`"$date"`)) {
		t.Errorf("exported files have no $date:\n%s", files)
	}

	db2 := testdb.New(t)
	_, err = coursedata.Import(ctx, db2.Database, out)
	must(t, err)
	list2, err := posts.NewStore(db2.Database, posts.Options{}).List(ctx)
	must(t, err)
	if len(list2) != len(list) {
		t.Fatalf("round trip: %d posts, want %d", len(list2), len(list))
	}
	for i := range list {
		a, b := list[i], list2[i]
		if a.Post != b.Post || (a.Image == nil) != (b.Image == nil) || (a.Image != nil && !bytes.Equal(a.Image.Data, b.Image.Data)) {
			t.Errorf("round trip changed post %d: %+v → %+v", i, a.Post, b.Post)
		}
	}
}

func TestImportWithoutChunksReportsMissingImages(t *testing.T) {
	ctx := context.Background()
	photo, err := samples.Photo(50, 40, 2)
	must(t, err)
	in := t.TempDir()
	writeInstructorFiles(t, in, photo, false)
	db := testdb.New(t)
	rep, err := coursedata.Import(ctx, db.Database, in)
	must(t, err)
	if len(rep.MissingFiles) != 1 || rep.MissingFiles[0] != coursedata.ChunksFile {
		t.Fatalf("missing files = %v", rep.MissingFiles)
	}
	if len(rep.MissingImages) != 2 {
		t.Fatalf("missing images = %v, want both posts", rep.MissingImages)
	}
	n, _ := posts.NewStore(db.Database, posts.Options{}).Count(ctx)
	if n != 2 {
		t.Fatalf("posts imported = %d, want 2", n)
	}
}

func TestImportErrors(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	tests := []struct {
		name, posts, wants string
	}{
		{"no posts file", "", "posts.json"},
		{"not json", "this is not json\n", "line 1"},
		{"no id", `{"title":"x"}` + "\n", "no _id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.posts != "" {
				must(t, os.WriteFile(filepath.Join(dir, coursedata.PostsFile), []byte(tc.posts), 0o644))
			}
			_, err := coursedata.Import(ctx, db.Database, dir)
			if err == nil || !strings.Contains(err.Error(), tc.wants) {
				t.Fatalf("error = %v, want it to mention %q", err, tc.wants)
			}
		})
	}
}
