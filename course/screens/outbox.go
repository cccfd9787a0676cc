package screens

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"synclab/simulator/browser"
	"synclab/simulator/session"
)

// captureOutbox shows the records waiting in sync-posts as a small
// inspector (like the browser's developer tools): one row per record with
// its fields and the photo as a thumbnail, and photographs it. Its only
// words are German with English beneath, like the diagrams', since both
// chapters show the same picture; the rest is code (store, fields, types).
func captureOutbox(ctx context.Context, b *browser.Browser, s *session.Session) ([]byte, error) {
	recs, err := s.Records(ctx, session.DBName, session.OutboxName, true)
	if err != nil {
		return nil, fmt.Errorf("read the outbox: %w", err)
	}
	html, err := inspectorHTML(recs)
	if err != nil {
		return nil, err
	}
	bc, err := b.NewContext("")
	if err != nil {
		return nil, err
	}
	defer bc.Close()
	tctx, cancel := context.WithTimeout(bc.Page, 15*time.Second)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	err = chromedp.Do(tctx,
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html})
			return err
		}),
		chromedp.WaitVisible(chromedp.CSS("table.records")),
	)
	if err != nil {
		return nil, fmt.Errorf("show the outbox: %w", err)
	}
	png, err := chromedp.Run(tctx, chromedp.Screenshot(chromedp.CSS("main")))
	if err != nil {
		return nil, fmt.Errorf("show the outbox: %w", err)
	}
	return png, nil
}

type field struct {
	Name  string
	Value string
	Image template.URL
	Note  string
}

// inspectorHTML renders records as a table; fields are shown in a fixed
// order where known (id first), the rest after them.
func inspectorHTML(recs []session.Record) (string, error) {
	var rows [][]field
	var names []string
	for _, r := range recs {
		for k := range r {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	order := []string{"id", "title", "location", "image_id", "picture", "image", "file"}
	slices.SortFunc(names, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, r := range recs {
		var row []field
		for _, n := range names {
			f := field{Name: n}
			if blob, ok := r.Blob(n); ok {
				f.Note = fmt.Sprintf("%s %s, %.1f kB", kindOf(blob), blob.Type, float64(blob.Size)/1000)
				if strings.HasPrefix(blob.Type, "image/") && blob.Base64 != "" {
					f.Image = template.URL("data:" + blob.Type + ";base64," + blob.Base64)
				}
			} else if v, ok := r[n]; ok {
				f.Value = fmt.Sprint(v)
			}
			row = append(row, f)
		}
		rows = append(rows, row)
	}
	var buf bytes.Buffer
	err := inspector.Execute(&buf, struct {
		Names []string
		Rows  [][]field
	}{names, rows})
	return buf.String(), err
}

func kindOf(b session.Blob) string {
	if b.Name != "" {
		return "File " + b.Name + ","
	}
	return "Blob"
}

var inspector = template.Must(template.New("inspector").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 13px "DejaVu Sans", system-ui, sans-serif; color: #1f1f1f; }
main { display: inline-block; min-width: 760px; border: 1px solid #c7c7c7; }
.path { padding: 6px 10px; background: #f1f3f4; border-bottom: 1px solid #c7c7c7; color: #474747; }
.path b { color: #1f1f1f; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: normal; color: #474747; background: #f8f9fa; border-bottom: 1px solid #c7c7c7; padding: 4px 10px; }
td { border-bottom: 1px solid #e0e0e0; padding: 6px 10px; vertical-align: top; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
td.key { color: #1a1aa6; }
td img { display: block; max-width: 120px; max-height: 90px; border: 1px solid #c7c7c7; margin-bottom: 3px; }
.note { color: #5f6368; font-family: "DejaVu Sans", sans-serif; font-size: 11px; }
.count { padding: 5px 10px; color: #5f6368; background: #f8f9fa; }
.count i { color: #80868b; }
</style></head><body><main>
<div class="path">IndexedDB › posts-store › <b>sync-posts</b> (keyPath: id)</div>
<table class="records"><thead><tr><th>#</th>{{range .Names}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range $i, $r := .Rows}}<tr><td>{{$i}}</td>{{range $r}}<td{{if eq .Name "id"}} class="key"{{end}}>{{if .Image}}<img src="{{.Image}}" alt="">{{end}}{{.Value}}{{if .Note}}<span class="note">{{.Note}}</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody></table>
<div class="count">{{len .Rows}} {{if eq (len .Rows) 1}}Datensatz wartet{{else}}Datensätze warten{{end}} auf das sync-Ereignis<br><i lang="en">{{len .Rows}} {{if eq (len .Rows) 1}}record{{else}}records{{end}} waiting for the sync event</i></div>
</main></body></html>`))
