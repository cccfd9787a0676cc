package site

import (
	"fmt"
	"html/template"

	"synclab/course/listing"
)

var funcs = template.FuncMap{
	"fileID": fileID,
	"zip":    ZipName,
	"sprintf": func(format string, args ...any) string {
		return fmt.Sprintf(format, args...)
	},
	"sign": func(k listing.Kind) string {
		switch k {
		case listing.Added:
			return "+"
		case listing.Removed:
			return "−"
		}
		return " "
	},
	"kind": func(k listing.Kind) string {
		switch k {
		case listing.Added:
			return "add"
		case listing.Removed:
			return "del"
		}
		return "ctx"
	},
	"num": func(n int) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprint(n)
	},
}

var layout = template.Must(template.New("layout").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="{{.T.Lang}}" data-root="{{.Root}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Sync Lab</title>
<link rel="icon" href="{{.Root}}assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{{.Root}}assets/course.css">
<link rel="stylesheet" href="{{.Root}}assets/chroma.css">
</head>
<body>
<header class="top">
<a class="brand" href="{{.Root}}{{.T.Lang}}/index.html">Sync Lab</a>
<nav>{{range .Nav}}<a href="{{.URL}}"{{if .Current}} class="current" aria-current="page"{{end}}>{{.Title}}</a>{{end}}</nav>
{{if .OtherURL}}<a class="lang" href="{{.OtherURL}}" hreflang="{{.T.Other}}" lang="{{.T.Other}}">{{.T.OtherName}}</a>{{end}}
</header>
<div class="page{{if .TOC}} with-toc{{end}}">
{{if .TOC}}<aside class="toc"><p>{{.T.Contents}}</p><ul>{{range .TOC}}<li class="l{{.Level}}"><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul></aside>{{end}}
<main>
{{.Body}}
{{if or .Prev .Next}}<nav class="pager">{{with .Prev}}<a class="prev" href="{{.URL}}">← {{.Title}}</a>{{end}}{{with .Next}}<a class="next" href="{{.URL}}">{{.Title}} →</a>{{end}}</nav>{{end}}
</main>
</div>
<footer><span>Sync Lab · {{.T.Course}}</span> <span class="offline-status" data-ready="{{.T.OfflineReady}}">{{.T.Offline}}</span></footer>
<script src="{{.Root}}assets/course.js"></script>
</body>
</html>
`))

var indexBody = template.Must(template.New("index").Funcs(funcs).Parse(`<h1>{{.T.Overview}}</h1>
<p class="lead">{{.T.Intro}}</p>
<h2>{{.T.Chapters}}</h2>
<ol class="cards">{{range .Chapters}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ol>
{{if .Slides}}<h2>{{.T.Slides}}</h2>
<p>{{.T.SlidesIntro}}</p>
<p><a class="button" href="../slides/{{.Lang}}/index.html">{{.T.Present}}</a></p>{{end}}
<h2>{{.T.Steps}}</h2>
<p>{{.T.StepsIntro}}</p>
<ol class="steps">{{range .Steps}}<li><a href="{{.URL}}"><b>{{.ID}}</b> {{.Title}}</a></li>{{end}}</ol>
`))

var stepsIndexBody = template.Must(template.New("steps").Funcs(funcs).Parse(`<h1>{{.T.Steps}}</h1>
<p class="lead">{{.T.StepsIntro}}</p>
<ol class="steps detailed">{{range .Steps}}<li><a href="{{.URL}}"><b>{{.ID}}</b> {{.Title}}</a><p>{{.Summary}}</p></li>{{end}}</ol>
`))

var stepBody = template.Must(template.New("step").Funcs(funcs).Parse(`<p class="kicker">{{.T.Checkpoint}} {{.ID}}</p>
<h1>{{.Title}}</h1>
<p class="lead">{{.Summary}}</p>
<nav class="step-nav">{{if .PrevURL}}<a href="{{.PrevURL}}">← {{.T.Prev}}</a>{{end}} <a href="index.html">{{.T.Steps}}</a> {{if .NextURL}}<a href="{{.NextURL}}">{{.T.Next}} →</a>{{end}}</nav>
<h2 id="run">{{.T.Run}}</h2>
<p>{{.T.RunIntro}}</p>
<div class="commands">
<pre><code>go run ./backend -step {{.ID}}</code></pre><p>{{.T.CmdServe}}</p>
<pre><code>go run ./simulator -step {{.ID}} -check {{.Watch}}</code></pre><p>{{.T.CmdSimulate}}</p>
<pre><code>go run ./backend export-step {{.ID}} {{.T.ExportDir}}</code></pre><p>{{.T.CmdExport}}</p>
</div>
<p>{{.T.CheckIntro}}</p>
<div class="commands">
<pre><code>synclab-checks -step {{.ID}}</code></pre><p>{{.T.CmdCheck}}</p>
</div>
{{if .Checks}}<h3>{{.T.ChecksFor}}</h3>
<ul class="checks">{{range .Checks}}<li><code>synclab-checks -only {{.ID}}</code> — {{.Title}}</li>{{end}}</ul>{{end}}
{{if .Zip}}<p><a class="button download" href="../../steps/{{zip .ID}}" download>{{sprintf .T.Download .ID}}</a> <span class="note">{{.T.DownloadNote}}</span></p>{{end}}
{{if .Prev}}<h2 id="changes">{{sprintf .T.Changes .Prev}}</h2>
{{range .Diffs}}<section class="file-diff" id="{{fileID .Path}}" data-file="{{.Path}}">
<h3><code>{{.Path}}</code> <span class="status {{.Status}}">{{if eq .Status "added"}}{{$.T.Added}}{{else}}{{$.T.Modified}}{{end}}</span>{{if not .Binary}} <span class="counts"><span class="plus">+{{.Added}}</span> <span class="minus">−{{.Removed}}</span></span>{{end}}</h3>
{{if .Binary}}<p class="note">{{$.T.Binary}}</p>{{else}}<div class="diff-scroll"><table class="diff chroma">
{{range $i, $h := .Hunks}}{{if $i}}<tr class="gap"><td colspan="3">⋯</td></tr>{{end}}{{range $h}}<tr class="{{kind .Kind}}"{{if .New}} data-new="{{.New}}"{{end}}{{if .Old}} data-old="{{.Old}}"{{end}}><td class="ln">{{num .Old}}</td><td class="ln">{{num .New}}</td><td class="cl"><span class="sign">{{sign .Kind}}</span>{{.HTML}}</td></tr>
{{end}}{{end}}</table></div>{{end}}
</section>
{{end}}{{else}}<h2 id="files">{{.T.Files}}</h2>
<p>{{.T.FirstStep}}</p>
<ul class="files">{{range .Files}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
`))

var rootTemplate = template.Must(template.New("root").Parse(`<!DOCTYPE html>
<html lang="de" data-root="">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sync Lab</title>
<link rel="icon" href="assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="assets/course.css">
</head>
<body class="root">
<main class="choose">
<h1>Sync Lab</h1>
<p>Hintergrundsynchronisation in einer Progressive Web App<br><span lang="en">Background Sync in a Progressive Web App</span></p>
<p class="langs">{{range .}}{{if eq . "de"}}<a class="button" href="de/index.html" hreflang="de">Deutsch</a>{{else if eq . "en"}}<a class="button" href="en/index.html" hreflang="en" lang="en">English</a>{{end}} {{end}}</p>
</main>
<script src="assets/course.js"></script>
</body>
</html>
`))
