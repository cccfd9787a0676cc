package site

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"time"
)

// zipTime stamps every file in the downloads, so that the same checkpoint
// always gives the same bytes.
var zipTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// zips writes steps/synclab-step-NN.zip for every checkpoint: the complete
// app with its libraries in a folder synclab-step-NN/.
func (b *builder) zips(ctx context.Context) error {
	if b.src.App == nil {
		return nil
	}
	for _, s := range b.src.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		app, err := b.src.App(s.ID)
		if err != nil {
			return fmt.Errorf("checkpoint %s for its ZIP: %w", s.ID, err)
		}
		z, err := zipFS(app, "synclab-step-"+s.ID+"/")
		if err != nil {
			return fmt.Errorf("ZIP of checkpoint %s: %w", s.ID, err)
		}
		b.put("steps/"+ZipName(s.ID), z)
	}
	return nil
}

// zipFS packs every file of fsys under the folder prefix.
func zipFS(fsys fs.FS, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + p, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		_, err = w.Write(content)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
