// Command drawimages draws the app's images (hero photo and icons) into a
// checkpoint folder, so that no artwork is copied from elsewhere:
//
//	go run ./frontend/cmd/drawimages frontend/checkpoints/00/src/images
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"synclab/backend/samples"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: drawimages DIR")
		os.Exit(2)
	}
	if err := draw(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "drawimages:", err)
		os.Exit(1)
	}
}

func draw(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "icons"), 0o755); err != nil {
		return err
	}
	for _, hero := range []struct {
		name string
		w, h int
	}{{"main-image.jpg", 1200, 480}, {"main-image-sm.jpg", 600, 240}} {
		b, err := samples.Photo(hero.w, hero.h, 0)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, hero.name), b, 0o644); err != nil {
			return err
		}
	}
	sizes := map[string]int{
		"app-icon-48x48.png": 48, "app-icon-96x96.png": 96, "app-icon-144x144.png": 144,
		"app-icon-192x192.png": 192, "app-icon-256x256.png": 256, "app-icon-384x384.png": 384,
		"app-icon-512x512.png": 512, "apple-icon-120x120.png": 120, "apple-icon-152x152.png": 152,
		"apple-icon-180x180.png": 180,
	}
	for name, size := range sizes {
		var buf bytes.Buffer
		if err := png.Encode(&buf, icon(size)); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "icons", name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// icon draws a camera on a teal rounded square with a sync arrow ring.
func icon(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	bg := color.NRGBA{0, 121, 107, 255}
	white := color.NRGBA{255, 255, 255, 255}
	amber := color.NRGBA{255, 193, 7, 255}
	r := s * 0.18
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			if !inRounded(fx, fy, s, r) {
				continue
			}
			c := bg
			cx, cy := fx-s/2, fy-s*0.54
			// Camera body and lens.
			if math.Abs(cx) < s*0.30 && math.Abs(cy) < s*0.19 {
				c = white
			}
			if fx > s*0.36 && fx < s*0.56 && fy > s*0.27 && fy < s*0.36 {
				c = white
			}
			d := math.Hypot(cx, cy)
			if d < s*0.13 {
				c = bg
			}
			if d < s*0.08 {
				c = amber
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func inRounded(x, y, s, r float64) bool {
	cx := math.Max(r, math.Min(s-r, x))
	cy := math.Max(r, math.Min(s-r, y))
	return math.Hypot(x-cx, y-cy) <= r
}
