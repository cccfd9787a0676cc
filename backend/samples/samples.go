// Package samples draws a few sample photos and posts for a fresh feed, so
// that the app shows something without any course data.
package samples

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"

	"synclab/backend/posts"
)

// scene describes one drawn landscape.
type scene struct {
	title, location, file string
	sky, ground, sun      color.RGBA
	hills                 float64
}

var scenes = []scene{
	{"Sonnenuntergang an der Spree", "Berlin", "spree.jpg",
		color.RGBA{250, 140, 80, 255}, color.RGBA{40, 70, 120, 255}, color.RGBA{255, 230, 120, 255}, 0.6},
	{"Morgennebel im Park", "Treptower Park", "park.jpg",
		color.RGBA{190, 205, 215, 255}, color.RGBA{60, 120, 60, 255}, color.RGBA{245, 245, 235, 255}, 1.4},
	{"Campus Wilhelminenhof", "Oberschöneweide", "campus.jpg",
		color.RGBA{110, 170, 230, 255}, color.RGBA{150, 110, 80, 255}, color.RGBA{255, 250, 200, 255}, 2.2},
	{"Nachtschicht in der Bibliothek", "Campus Treskowallee", "night.jpg",
		color.RGBA{20, 30, 70, 255}, color.RGBA{30, 30, 40, 255}, color.RGBA{230, 230, 255, 255}, 3.1},
}

// Posts returns the sample posts with freshly drawn JPEG photos.
func Posts() ([]posts.NewPost, error) {
	out := make([]posts.NewPost, 0, len(scenes))
	for i, s := range scenes {
		data, err := Photo(480, 320, i)
		if err != nil {
			return nil, err
		}
		out = append(out, posts.NewPost{Title: s.title, Location: s.location, FileName: s.file, ContentType: "image/jpeg", Data: data})
	}
	return out, nil
}

// Photo draws sample landscape number n (any n) as a JPEG of w×h pixels.
func Photo(w, h, n int) ([]byte, error) {
	s := scenes[((n%len(scenes))+len(scenes))%len(scenes)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	horizon := float64(h) * 0.62
	sunX, sunY, sunR := float64(w)*0.7, horizon*0.55, float64(h)*0.11
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			hill := horizon - math.Sin(fx/float64(w)*math.Pi*s.hills+float64(n))*float64(h)*0.06
			var c color.RGBA
			switch {
			case fy > hill:
				c = shade(s.ground, 1-0.4*(fy-hill)/float64(h))
			case math.Hypot(fx-sunX, fy-sunY) < sunR:
				c = s.sun
			default:
				c = shade(s.sky, 0.75+0.35*fy/horizon)
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode sample photo: %w", err)
	}
	return buf.Bytes(), nil
}

func shade(c color.RGBA, f float64) color.RGBA {
	clamp := func(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }
	return color.RGBA{clamp(float64(c.R) * f), clamp(float64(c.G) * f), clamp(float64(c.B) * f), 255}
}
